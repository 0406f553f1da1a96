// The virtiofs flavour. A virtiofs design is the base model with FUSE's
// lookup, attribute refresh and timeouts, write-through I/O, flush on close,
// dentries that die when they expire, the ioctl forwarded to virtiofsd, and
// S_DAX decided by the server's FUSE_ATTR_DAX. The design chooses when
// fuse_change_attributes marks the inode DONTCACHE, and whether the ioctl
// marks it too.

import type { Draft } from 'immer';
import type { MutableParts } from '../../checker/model.js';
import type { DontcacheCheck } from './actions/fuse.js';
import { faultByInode } from './actions/mmap.js';
import { forwardAndMarkDontcache, forwardToServer } from './actions/setflag.js';
import type { Constants } from './constants.js';
import { ctxFor } from './context.js';
import { virtiofsFlavour } from './flavour.js';
import { partsFor } from './parts.js';
import type { Schema } from './state.js';

export interface VirtiofsDesign {
  readonly dontcache: (c: Constants) => DontcacheCheck;
  /** Mark DONTCACHE when the guest changes FS_XFLAG_DAX, as well. */
  readonly markAtIoctl?: boolean;
}

export function virtiofs(m: Draft<MutableParts<Schema>>, c: Constants, d: VirtiofsDesign): void {
  const flavour = virtiofsFlavour(c);
  const ctx = ctxFor(c, flavour);
  const parts = partsFor(c, flavour, {
    setFlag: d.markAtIoctl ? forwardAndMarkDontcache(ctx) : forwardToServer,
    faultRule: faultByInode,
    writebackUnderDax: false,
    readOnlyOpens: false,
    dontcache: d.dontcache(c),
  });
  m.init = parts.init;
  m.actions = parts.actions as typeof m.actions;
  m.properties = parts.properties as typeof m.properties;
}
