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
  // (virtiofsd src/main.rs, QEMU tools/virtiofsd/passthrough_ll.c main:
  // none -> 0 s, auto -> 1 s, always -> 86400 s; see alwaysTimeout). The default is
  // `always` because that is where the virtiofs designs part ways (Jeffle Xu,
  // seed 002, 2021-10-20: "the DAX state won't be updated for a long time");
  // virtiofsd's own default is auto.
  cache: enumConstant(['always', 'auto', 'none'], 'always', 'virtiofs: virtiofsd cache= mode (entry/attr timeouts: always = 86400 s, see alwaysTimeout; auto = 1 s, expires at some point; none = zero)'),
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
  // --- virtiofs connection and timeouts (issue 15; spec/dax/fuse-init.ts, spec/dax/fuse-timeout.ts) ---
  // cache=always is 86400 s in virtiofsd, and the kernel's timeout is always
  // finite (time_to_jiffies, fs/fuse/dir.c). `beyond-run`: the day never
  // passes in the behaviours checked; `expires`: it passes, as cache=auto's.
  alwaysTimeout: enumConstant(['beyond-run', 'expires'], 'beyond-run', 'virtiofs cache=always: the 86400 s entry/attr timeout never passes within a run (beyond-run) or passes like any finite timeout (expires)'),
  // Whether the server sets FUSE_ATTR_DAX only after FUSE_HAS_INODE_DAX was
  // negotiated, or by its policy whatever FUSE_INIT said (the kernel does
  // not check: fuse_dax_dontcache, fs/fuse/dax.c).
  attrDaxSent: enumConstant(['if-negotiated', 'always'], 'if-negotiated', 'virtiofs: the server sets FUSE_ATTR_DAX only once FUSE_HAS_INODE_DAX is negotiated, or always by its policy'),
  // The device's DAX window (virtio shared-memory region VIRTIO_FS_SHMCAP_ID_CACHE; qemu's cache-size=).
  window: enumConstant(['present', 'absent'], 'present', 'virtiofs: the device exposes a DAX window (virtio_fs_setup_dax)'),
  // The server's FUSE_INIT reply: FUSE_MAP_ALIGNMENT with a map_alignment of at most 21 (2 MiB), one over it, or no FUSE_MAP_ALIGNMENT at all.
  mapAlignment: enumConstant(['fits', 'too-large', 'not-replied'], 'fits', 'virtiofs: FUSE_MAP_ALIGNMENT in the FUSE_INIT reply: map_alignment <= 21, > 21, or the flag not set'),
  // --- virtiofs DAX window (issue 15; spec/dax/window-ranges.ts, spec/dax/actions/dax-window.ts) ---
  // How many 2 MiB ranges the window holds (fuse_dax_mem_range_init): `enough`
  // for every chunk of every file; `one` for all files (cache-size=2M); `two`,
  // more than one but, with files=3 or fileChunks=two, fewer than the chunks
  // that want one. Where a DAX access finds the window exhausted it waits, or
  // reclaims a range of its own file inline.
  windowRanges: enumConstant(['enough', 'one', 'two'], 'enough', 'virtiofs: 2 MiB ranges in the DAX window: enough for every file, one for all of them, or two (range exhaustion, inline reclaim and the free-range worker)'),
  // FUSE_DAX_SHIFT: a file over 2 MiB needs a range per 2 MiB chunk. `two`: a
  // file over the server's size threshold is over 2 MiB as well and spans two
  // chunks; the model follows the data and PTEs of the first only (its one page).
  fileChunks: enumConstant(['one', 'two'], 'one', 'virtiofs: 2 MiB chunks a big file spans: one, or two (a range per chunk; only the first chunk\'s data and PTEs are followed)'),
  // The server's answer to FUSE_SETUPMAPPING (fuse_setup_one_mapping): always
  // success, or success or an error at each request.
  setupMapping: enumConstant(['succeeds', 'may-fail'], 'succeeds', 'virtiofs: the server maps every FUSE_SETUPMAPPING, or may refuse any (the fault is SIGBUS, read/write -errno)'),
  // Directories (spec/dax/tree.ts): 0 keeps the flat model, whose files exist
  // before the run; n >= 1 gives directories d1..dn (d1 the run's own
  // directory) and files created in the run by Create and Copy, moved by
  // Rename, with FS_XFLAG_DAX inherited from the parent (dax.rst "Summary" 3).
  dirs: intConstant(0, 3, 0, 'ext4/xfs: directories d1..dn with FS_XFLAG_DAX (d1 the run\'s directory; mkdir, create, rename, copy); 0 = files only, created before the run'),
  // Mounting within a run (spec/dax/mount.ts): umount (-EBUSY while a file is
  // open or mapped) and mount again with any dax= mode. `mount` is then the
  // mode the run starts with.
  remount: enumConstant(['off', 'on'], 'off', 'ext4/xfs: umount (refused while files are in use) and mount again with dax=inode|always|never within the run'),
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
  // --- The flag ioctl's error paths (issue 15; spec/dax/request-errors.ts) ---
  // `dax`: the request changes FS_XFLAG_DAX and nothing else, as before.
  // `plus-refused`: a request may also carry an attribute the filesystem
  // refuses only after d_mark_dontcache (SetFlag's parameter rt on xfs,
  // projid on ext4).
  flagRequest: enumConstant(['dax', 'plus-refused'], 'dax',
    'ext4/xfs designs: FS_IOC_FSSETXATTR changes only FS_XFLAG_DAX (dax), or may also carry an attribute refused after the mark: xfs FS_XFLAG_REALTIME without a realtime device, ext4 a project ID without the project feature'),
};

export type Constants = ConstantValues<typeof constants>;
