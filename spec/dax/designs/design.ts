// The type every design file fills in.

import type { Design } from '../../../checker/model.js';
import type { constants } from '../constants.js';
import type { Schema } from '../state.js';

export type DaxDesign = Design<typeof constants, Schema>;
