// What the designs disagree on: whether fuse_file_io_open gives a DAX inode
// I/O modes, whether read/write/mmap ask for passthrough before FUSE_IS_DAX,
// and what fuse_change_attributes does when the server's FUSE_ATTR_DAX no
// longer matches S_DAX. Everything else is v6.12 and shared.

import type { DesignInfo } from '../../checker/model.js';

export interface ModesDesign extends DesignInfo {
  /** fuse_file_io_open applies the io modes to a DAX inode too (v6.12: "io modes are not relevant with DAX"). */
  readonly ioModesOnDax: boolean;
  /** read/write/mmap take ff->passthrough before FUSE_IS_DAX (v6.12: DAX first). */
  readonly passthroughBeforeDax: boolean;
  /** When a reply's FUSE_ATTR_DAX differs from S_DAX: mark the inode DONTCACHE (v6.12), or switch S_DAX and the a_ops on the live inode. */
  readonly onAttrDaxChange: 'mark-dontcache' | 'switch-live';
}

export const landed: ModesDesign = {
  summary: 'v6.12: S_DAX fixed at fuse_iget; a DAX inode has no io modes (FOPEN_PASSTHROUGH/FOPEN_DIRECT_IO ignored, every path DAX); a changed FUSE_ATTR_DAX marks the inode DONTCACHE',
  source: 'fs/fuse/iomode.c fuse_file_io_open; fs/fuse/file.c fuse_file_read_iter, fuse_file_write_iter, fuse_file_mmap; fs/fuse/dax.c fuse_dax_inode_init, fuse_dax_dontcache (v6.12)',
  ioModesOnDax: false,
  passthroughBeforeDax: false,
  onAttrDaxChange: 'mark-dontcache',
};

export const switchLive: ModesDesign = {
  summary: 'the alternative the v6 cover\'s [Note] turned down: fuse_change_attributes switches S_DAX and the a_ops of the live inode (write-back and invalidation first), io modes left as they are',
  source: 'seed 002 (Jeffle Xu, v6 cover, 2021-10-11) [Note]: "dynamic switching needs to switch a_ops atomiclly", Ira Weiny\'s i_aops_sem',
  ioModesOnDax: false,
  passthroughBeforeDax: false,
  onAttrDaxChange: 'switch-live',
};

export const passthroughOnDax: ModesDesign = {
  summary: 'honour FOPEN_PASSTHROUGH on a DAX inode: fuse_file_io_open applies the io modes whatever S_DAX is, and read/write/mmap take ff->passthrough before FUSE_IS_DAX',
  source: 'derived: the "mix" answer to "does a DAX inode ignore, refuse or mix passthrough"; no such patch was posted',
  ioModesOnDax: true,
  passthroughBeforeDax: true,
  onAttrDaxChange: 'mark-dontcache',
};
