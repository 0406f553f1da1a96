// virtiofs: a connection that never came up (spec/dax/fuse-init.ts). The
// mount failed, or FUSE_INIT did and every request since is -ECONNREFUSED
// (fs/fuse/dev.c `fuse_get_req`: `fc->conn_error`, v6.12):
// no open or statx of a file reaches the server, so none takes a step, and
// nothing else can start without an open file.

import type { ActionDef } from '../../../checker/model.js';
import type { Ctx } from '../context.js';
import { connectionOf } from '../fuse-init.js';
import type { Schema } from '../state.js';

/** The steps that start from a path: they are what a dead connection refuses. */
const FROM_A_PATH = ['Open', 'Statx'];

export function refuseWithoutConnection(ctx: Ctx, actions: Record<string, ActionDef<Schema, any>>): Record<string, ActionDef<Schema, any>> {
  const why = connectionOf(ctx.c).unusable;
  if (ctx.flavour.fs !== 'virtiofs' || !why) return actions;
  const out = { ...actions };
  for (const k of FROM_A_PATH) {
    const a = out[k];
    if (a) out[k] = { ...a, guard: () => false, guardDoc: why };
  }
  return out;
}
