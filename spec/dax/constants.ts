// The constants of the per-file DAX model: sizes that bound the state space,
// and the configuration a kernel developer would set on a real machine (mount
// option, virtiofsd's cache mode and DAX policy).

import { enumConstant, intConstant, type ConstantValues } from '../../checker/model.js';

export const constants = {
  files: intConstant(1, 3, 1, 'number of files (f1..)'),
  procs: intConstant(1, 3, 2, 'number of processes (p1..); fork reuses a slot whose process has exited'),
  versions: intConstant(1, 4, 2, 'writes explored per file: data versions 0..versions (a write at the bound is not taken)'),
  // Documentation/filesystems/dax.rst "Summary" item 4: dax=inode is the
  // default and follows FS_XFLAG_DAX; the legacy `-o dax` is an alias of
  // dax=always. virtiofs takes the same three (fs/fuse/virtio_fs.c; the
  // tri-state came with Jeffle Xu's v5/v6 series, seed 002).
  mount: enumConstant(['inode', 'always', 'never'], 'inode', 'mount option dax=inode|always|never (legacy -o dax = always)'),
  // virtiofsd's cache= sets the entry and attribute timeouts the client keeps
  // (KM §2.1: none -> 0, auto -> about 1 s, always -> long). The default is
  // `always` because that is where the virtiofs designs part ways (Jeffle Xu,
  // seed 002, 2021-10-20: "the DAX state won't be updated for a long time");
  // virtiofsd's own default is auto.
  cache: enumConstant(['always', 'auto', 'none'], 'always', 'virtiofs: virtiofsd cache= mode (entry/attr timeouts: always = never expire, auto = expire at some point, none = zero)'),
  // The server decides FUSE_ATTR_DAX "in an implementation specific" way (v6
  // cover, seed 002, item 2). `flag` follows FS_XFLAG_DAX on the host;
  // `size` is the v6 cover's motivation (no DAX for files under 32 KiB);
  // `flag-and-size` honours the flag only for files over the threshold,
  // which is the v6 cover's own example of a flag the server "finally
  // decides" not to follow.
  policy: enumConstant(['flag-and-size', 'flag', 'size'], 'flag-and-size', 'virtiofs: how the server decides FUSE_ATTR_DAX'),
  // FUSE_INIT: the client asks for FUSE_HAS_INODE_DAX only under an inode
  // mode (fs/fuse/inode.c fuse_send_init, v5.17+); the server may or may not
  // grant it (process_init_reply sets fc->inode_dax).
  serverPerFileDax: enumConstant(['yes', 'no'], 'yes', 'virtiofs: does virtiofsd grant FUSE_HAS_INODE_DAX in its FUSE_INIT reply'),
  // Where the steps are cut. `locks`: the ioctl of a design that checks before
  // it flips is two steps (the check, then flush + invalidate + flip under the
  // same locks), and a fault is two (the mm's choice of handler, then the
  // filesystem's handler under its fault lock), so only a design's locking keeps
  // other steps out from between them (spec/dax/locks.ts). `atomic`: each is
  // one step, as if every lock excluded everything. Designs whose S_DAX changes
  // only at iget are cut atomically either way: nothing can observe the
  // difference there, and that keeps their traces what the conformance run replays.
  cut: enumConstant(['locks', 'atomic'], 'locks', 'where steps are cut: locks = ioctl check/flip and fault mm/handler are separate steps with the kernel\'s locks as state; atomic = one step each'),
  reclaim: enumConstant(['on', 'off'], 'on', 'memory pressure / drop_caches may evict unreferenced inodes'),
  // Which of the two filesystems an ext4/xfs design runs on, where they differ
  // (spec/dax/fault-path.ts): the fault path of a live flip. `xfs` is the
  // default because the 2017 flip designs were xfs's (flip-on-ioctl is v4.13
  // xfs); virtiofs designs ignore it.
  fs: enumConstant(['xfs', 'ext4'], 'xfs', 'ext4/xfs designs: which filesystem (xfs asks IS_DAX at fault time, ext4 follows the vm_ops ext4_file_mmap chose)'),
  // Files and devices that cannot be DAX (spec/dax/exclusions.ts). `none` and
  // `dax` are the defaults: every file and the device DAX-capable, as before.
  unfit: enumConstant(['none', 'journal-data', 'inline-data', 'encrypted', 'verity', 'reflink'], 'none',
    'ext4/xfs designs: every file has this attribute (ext4: journal-data, inline-data, encrypted, verity; xfs: reflink)'),
  device: enumConstant(['dax', 'nodax', 'blocksize'], 'dax',
    'ext4/xfs designs: the device: DAX-capable; no DAX (fs_dax_get_by_bdev gives none); DAX but a block size other than PAGE_SIZE'),
};

export type Constants = ConstantValues<typeof constants>;
