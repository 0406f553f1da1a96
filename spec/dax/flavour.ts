// What differs between the two filesystems the model covers. A design picks
// its flavour: the 2017 designs are ext4/xfs ones, the 2021 ones virtiofs
// ones (spec/dax/virtiofs.ts turns the ext4/xfs base into virtiofs).

import { match } from 'ts-pattern';
import type { Constants } from './constants.js';
import { connectionOf, serverSendsAttrDax } from './fuse-init.js';
import { checkSetting, filesCanBeDax, mountInEffect } from './exclusions.js';
import { diskFaultPath, faultByInode, type FaultRule } from './fault-path.js';
import { Size, type S } from './state.js';

export interface Flavour {
  readonly fs: 'ext4/xfs' | 'virtiofs';
  /** The S_DAX an inode instantiated now would get. */
  readonly desiredDax: (s: S, f: number) => boolean;
  /** Whether the file's dentry is killed at its last dput, which evicts the inode. */
  readonly dentryDiesAtLastRef: (s: S, f: number) => boolean;
  /** FUSE writes dirty pages back when a file is closed (fuse_flush) and a page-cache VMA goes away (fuse_vma_close). */
  readonly flushOnRelease: boolean;
  /** The last dput kept the dentry (retain_dentry): what that leaves behind (the 5.8-5.10 LRU state; nothing elsewhere). */
  readonly dentryRetained?: (s: S, f: number) => void;
  /** iput_final writes a dirty I_DONTCACHE inode back before evicting it (88149082bb8e, 5.11); before, generic_drop_inode dropped it unwritten. */
  readonly dontcacheEvictWritesBack?: boolean;
  /** Which path a fault takes where the design does not say: xfs asks IS_DAX then, ext4 follows the VMA (spec/dax/fault-path.ts). */
  readonly faultPath: FaultRule;
}

/**
 * ext4/xfs as of v5.8+. S_DAX at iget: ext4_should_enable_dax (fs/ext4/inode.c)
 * and xfs_inode_should_enable_dax (fs/xfs/xfs_iops.c): never -> off, always ->
 * on, inode -> the on-disk flag. The device and the files are DAX-capable
 * unless the `device` and `unfit` constants say otherwise (spec/dax/exclusions.ts).
 */
export function ext4xfs(c: Constants): Flavour {
  checkSetting(c);
  // Files or a device that cannot be DAX (spec/dax/exclusions.ts): never DAX at iget.
  const desiredDax = !filesCanBeDax(c) ? () => false : match(mountInEffect(c))
    .with('always', () => () => true)
    .with('never', () => () => false)
    .with('inode', () => (s: S, f: number) => s.xflagDax[f] === 1)
    .exhaustive();
  return {
    fs: 'ext4/xfs',
    desiredDax,
    // retain_dentry (fs/dcache.c) refuses a DCACHE_DONTCACHE dentry, even a
    // REFERENCED one since 77573fa310d9 (5.11); otherwise the unused dentry
    // and its inode stay on the LRU.
    dentryDiesAtLastRef: (s, f) => s.dDontcache[f] === 1,
    flushOnRelease: false,
    faultPath: diskFaultPath(c),
  };
}

/**
 * FUSE_ATTR_DAX as virtiofsd would send it now. By default the server sets
 * it only if FUSE_HAS_INODE_DAX was negotiated at FUSE_INIT (v6 cover, seed
 * 002, item 4: "server may omit querying persistent inode flags on host");
 * `attrDaxSent=always` makes it an input of its own (spec/dax/fuse-init.ts).
 */
export function serverAttrDax(c: Constants): (s: S, f: number) => boolean {
  if (!serverSendsAttrDax(c)) return () => false;
  return match(c.policy)
    .with('flag', () => (s: S, f: number) => s.xflagDax[f] === 1)
    .with('size', () => (s: S, f: number) => s.size[f] === Size.big)
    .with('flag-and-size', () => (s: S, f: number) => s.xflagDax[f] === 1 && s.size[f] === Size.big)
    .exhaustive();
}

/**
 * virtiofs as landed in 5.17. S_DAX at iget: fuse_should_enable_dax
 * (fs/fuse/dax.c, 5.17+, as in 6.12): never -> off; no window (fc->dax NULL)
 * -> off, silently, in any mode that mounted; always -> on; inode ->
 * fc->inode_dax && FUSE_ATTR_DAX (the connection: spec/dax/fuse-init.ts).
 */
export function virtiofsFlavour(c: Constants): Flavour {
  const attrDax = serverAttrDax(c);
  const conn = connectionOf(c);
  const desiredDax = !conn.window ? () => false : match(c.mount)
    .with('always', () => () => true)
    .with('never', () => () => false)
    .with('inode', () => (conn.inodeDax ? attrDax : () => false))
    .exhaustive();
  return {
    fs: 'virtiofs',
    desiredDax,
    // fuse_dentry_delete (fs/fuse/dir.c) drops a dentry whose entry timeout
    // has passed; .drop_inode = generic_delete_inode (fs/fuse/inode.c) then
    // evicts the inode at once. DCACHE_DONTCACHE kills it in any case.
    dentryDiesAtLastRef: (s, f) => s.dDontcache[f] === 1 || s.entryValid[f] === 0,
    flushOnRelease: true,
    // fuse_dax_mmap sets fuse_dax_vm_ops at mmap; S_DAX never changes on a live virtiofs inode, so asking it is the same.
    faultPath: faultByInode,
  };
}
