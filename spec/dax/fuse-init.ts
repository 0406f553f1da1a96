// virtiofs: what the connection is before any file is touched, from the
// mount, the device and the FUSE_INIT exchange. Every fact is per
// connection and fixed for the run, so it is derived from the constants,
// not kept in the state.
//
// The mode (fs/fuse/fuse_i.h enum fuse_dax_mode): FUSE_DAX_INODE_DEFAULT (no
// dax option), FUSE_DAX_ALWAYS (-o dax, -o dax=always), FUSE_DAX_NEVER,
// FUSE_DAX_INODE_USER (-o dax=inode); fuse_is_inode_dax_mode is true for both
// inode ones, and the kernel treats them alike below, so `mount=inode` stands
// for either.
//
// Mount (fs/fuse/virtio_fs.c, 5.17+, as in 6.12): virtio_fs_setup_dax
// finds the window as the virtio shared-memory region VIRTIO_FS_SHMCAP_ID_CACHE
// and leaves fs->dax_dev NULL when the device has none ("No cache
// capability"); virtio_fs_fill_super refuses dax=always without a window with
// -EINVAL ("dax can't be enabled as filesystem device does not support it")
// and passes the window on for any other mode but never; fuse_dax_conn_alloc
// (fs/fuse/dax.c) records the mode and allocates fc->dax only for a window.
//
// FUSE_INIT (fs/fuse/inode.c, 6.12): fuse_send_init offers FUSE_MAP_ALIGNMENT
// when fc->dax exists and FUSE_HAS_INODE_DAX under an inode mode
// (fuse_is_inode_dax_mode), with or without a window; FUSE_HAS_INODE_DAX is
// bit 33, carried in flags2 under FUSE_INIT_EXT (protocol 7.36), so a reply
// without FUSE_INIT_EXT cannot grant it. process_init_reply sets
// fc->inode_dax from the reply's FUSE_HAS_INODE_DAX without asking whether it
// was offered (Jeffle Xu, v6 review: a server that replies with it unasked
// "shall be blamed"), and a reply with FUSE_MAP_ALIGNMENT fails
// fuse_dax_check_alignment when fc->dax exists and map_alignment > 21
// (FUSE_DAX_SHIFT, 2 MiB ranges): ok = false, so conn_init = 0 and
// conn_error = 1, and every later request fails with -ECONNREFUSED
// (fs/fuse/dev.c fuse_get_req). A reply without FUSE_MAP_ALIGNMENT is not
// checked at all.

import type { Constants } from './constants.js';

type InitConstants = Pick<Constants, 'mount' | 'window' | 'serverPerFileDax' | 'mapAlignment' | 'attrDaxSent'>;

export interface Connection {
  /** fc->dax: the mount has a DAX window (not under dax=never). */
  readonly window: boolean;
  /** The flags fuse_send_init offers that concern DAX. */
  readonly offered: readonly ('FUSE_MAP_ALIGNMENT' | 'FUSE_HAS_INODE_DAX')[];
  /** The flags the server's reply carries that concern DAX. */
  readonly replied: readonly ('FUSE_MAP_ALIGNMENT' | 'FUSE_HAS_INODE_DAX')[];
  /** fc->inode_dax after process_init_reply. */
  readonly inodeDax: boolean;
  /** Why no request gets through, if none does: the mount failed, or FUSE_INIT did. */
  readonly unusable?: string;
}

export function connectionOf(c: InitConstants): Connection {
  const inodeMode = c.mount === 'inode';
  const window = c.window === 'present' && c.mount !== 'never';
  const offered = [...(window ? ['FUSE_MAP_ALIGNMENT' as const] : []), ...(inodeMode ? ['FUSE_HAS_INODE_DAX' as const] : [])];
  const replied = [...(c.mapAlignment !== 'not-replied' ? ['FUSE_MAP_ALIGNMENT' as const] : []), ...(c.serverPerFileDax === 'yes' ? ['FUSE_HAS_INODE_DAX' as const] : [])];
  const unusable = c.mount === 'always' && c.window === 'absent'
    ? 'the mount failed: dax=always on a device with no DAX window is -EINVAL (virtio_fs_fill_super)'
    : window && c.mapAlignment === 'too-large'
      ? 'FUSE_INIT failed: map_alignment > 21 with a DAX window (fuse_dax_check_alignment), so conn_error is set and every request is -ECONNREFUSED'
      : undefined;
  return { window, offered, replied, inodeDax: c.serverPerFileDax === 'yes', ...(unusable ? { unusable } : {}) };
}

/**
 * Whether the server puts FUSE_ATTR_DAX in its attributes at all:
 * `if-negotiated`, only when both sides had FUSE_HAS_INODE_DAX (the client
 * offers it only under an inode mode); `always`, by its policy whatever
 * FUSE_INIT said. The kernel's use of the bit is fuse_should_enable_dax
 * (at iget: fc->inode_dax && FUSE_ATTR_DAX, and only with a window) and
 * fuse_dax_dontcache (at every attribute update: inode mode only, and it
 * checks neither fc->inode_dax nor fc->dax), fs/fuse/dax.c 5.17+, as in 6.12.
 */
export function serverSendsAttrDax(c: InitConstants): boolean {
  if (c.attrDaxSent === 'always') return true;
  const conn = connectionOf(c);
  return conn.offered.includes('FUSE_HAS_INODE_DAX') && conn.replied.includes('FUSE_HAS_INODE_DAX');
}
