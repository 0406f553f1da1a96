#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/fs.h>
#include <linux/fscrypt.h>
#include <linux/fsverity.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000 /* include/uapi/linux/stat.h, v5.8 */
#endif
#ifndef FS_XFLAG_DAX
#define FS_XFLAG_DAX 0x00008000
#endif
#ifndef MAP_SYNC
#define MAP_SYNC 0x80000 /* include/uapi/asm-generic/mman-common.h, v4.15 */
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

#define NPROCS 1
#define NFILES 1
/* Directories d1.. (the model's dirs constant); 0: the files sit in DIR itself. */
#define NDIRS 0
/*
 * Files that cannot be DAX (the model's unfit constant, spec/dax/exclusions.ts):
 * 0 none, 1 journal-data (FS_JOURNAL_DATA_FL), 2 inline-data (the filesystem's
 * inline_data feature; nothing per file), 3 encrypted (DIR gets an fscrypt v2
 * policy before its files are made), 4 verity (FS_IOC_ENABLE_VERITY after the
 * data is written), 5 reflink (FICLONE of the file's data into a sibling).
 */
#define UNFIT 0
#define MAP_LEN 4096L
#define BIG_LEN 65536L
/* A flag request's argument beyond the DAX bit: an attribute the filesystem refuses after its mark (spec/dax/request-errors.ts). */
#define SETFLAG_REALTIME 0x2
#define SETFLAG_PROJID 0x4
/* A write's argument: the data version, and whether to take the file past 32 KiB. */
#define WRITE_EXTEND 0x100
/* virtiofsd's cache=auto keeps entries and attributes about 1 s; raise this for other settings. */
#define FUSE_TIMEOUT_SECONDS 2
#define P(i) (i)
#define F(i) (i)
/* Not every reproducer uses every helper. */
#define HELPER static __attribute__((unused))
/*
 * Evicting unused inodes: one `echo 2` often leaves inodes that still have
 * page cache, three rounds of `echo 3` (page cache first) evict them
 * (measured on 6.12, ext4 and xfs; a DAX inode faulted through a mapping
 * stays, see README "Conformance").
 */
#define DROP_CACHES "sync; for i in 1 2 3; do echo 3 > /proc/sys/vm/drop_caches; done"

enum op {
  OP_OPEN, OP_CLOSE, OP_MMAP, OP_MUNMAP, OP_FAULT_READ, OP_FAULT_WRITE, OP_LOAD, OP_STORE,
  OP_READ, OP_WRITE, OP_SETFLAG, OP_STATX_PATH, OP_FORK, OP_QUIT, OP_OBSERVE,
  OP_CREATE, OP_MOVED, OP_DIR_MOVED
};
struct cmd { int op, file, arg; };

static char paths[NFILES][4096];
/*
 * dirs >= 1: the tree. DIR/d1 is the model's d1; file f lives in the
 * directory file_parent[f], directory d (> 0) in dir_parent[d]. Every
 * process keeps its own copy and recomputes its paths when a name moves.
 */
static char run_dir[4096];
static int file_parent[NFILES];
static int dir_parent[NDIRS + 1];
static void refresh_paths(void);
/* remount=on: the mount the run changed is put back as it was before the next program. */
static void restore_mount(void);
static int cmd_pipe[NPROCS][2], ack_pipe[NPROCS][2];
static int alive[NPROCS];
static int interactive, run_manual;
/* The last data version written to each file: version v is the byte v at offset 0, as the model numbers them. */
static int version[NFILES];
/*
 * -m (or DAXCHECK_OBS=1): print observations for a program, one a line, and
 * nothing else:  @step N LABEL, then for that step
 *   @obs WHO FILE ret OP RET ERRNO   a system call's return value and errno name (0: none)
 *   @obs WHO FILE data V             the data version a read, load or fault returned
 *   @obs WHO FILE signal SIGBUS      a fault that raised a signal
 *   @obs WHO FILE sdax V fd|map      STATX_ATTR_DAX, by statx on the process's descriptor,
 *                                    or (mapping only) on /proc/self/map_files, never by path
 *   @obs WHO FILE xflag V            FS_XFLAG_DAX by FS_IOC_FSGETXATTR on the descriptor
 *   @obs WHO FILE size BYTES
 *   @obs WHO FILE mapsync 1|0 [ERRNO] whether a fresh MAP_SHARED_VALIDATE|MAP_SYNC mapping is accepted
 *   @obs WHO FILE vma dax|pagecache  what the process's live mapping is (smaps VmFlags)
 *   @obs path FILE sdax V            statx by path, where the step is a path lookup
 *   @obs kernel FILE evicted         the kernel evicted the file's inode in the step
 *                                    (ext4_evict_inode / xfs_destroy_inode tracepoints, if enabled)
 * WHO is p1, p2, ...; FILE f1, f2, ...; after every step each live process
 * reports every file it holds.
 */
static int machine;

/*
 * For the summary: a worker answers each command with whether a call in it
 * did not return what the step expects (every step is one the model took, so
 * success), and the parent notes the steps where one did not.
 */
static int call_failed;
static int step_failed, steps_run, steps_failed;
static char failed_steps[256];

/*
 * Evictions, where the kernel's tracepoints are enabled (as root:
 * echo 1 > /sys/kernel/tracing/events/ext4/ext4_evict_inode/enable, and
 * xfs/xfs_destroy_inode): after each step the parent drains trace_pipe
 * (a consuming, non-blocking read: emptying `trace` instead resets the ring
 * buffer, which waits for an RCU grace period, and made a run five times
 * slower under qemu) and looks for the files' inode numbers. Without the
 * tracepoints nothing is said.
 */
#define TRACING "/sys/kernel/tracing"
static int tracing = -1;
static unsigned long inode_no[NFILES];

/* The worker's own state: its descriptors and mappings, by file. */
static int me = -1;
static int fds[NFILES];
static volatile unsigned char *maps[NFILES];
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t in_fault;

static void fail(const char *what)
{
  fprintf(stderr, "repro: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void say(const char *fmt, ...)
{
  va_list ap;
  printf("    p%d: ", me + 1);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
  fflush(stdout);
}

static void read_full(int fd, void *buf, size_t n)
{
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      _exit(3);
    p += r;
    n -= (size_t)r;
  }
}

static void write_full(int fd, const void *buf, size_t n)
{
  const char *p = buf;
  while (n > 0) {
    ssize_t r = write(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      _exit(3);
    p += r;
    n -= (size_t)r;
  }
}

static const char *errno_name(int e)
{
  switch (e) {
  case 0: return "0";
  case EPERM: return "EPERM";
  case ENOENT: return "ENOENT";
  case EIO: return "EIO";
  case EBADF: return "EBADF";
  case EAGAIN: return "EAGAIN";
  case ENOMEM: return "ENOMEM";
  case EACCES: return "EACCES";
  case EFAULT: return "EFAULT";
  case EBUSY: return "EBUSY";
  case EEXIST: return "EEXIST";
  case ENODEV: return "ENODEV";
  case EINVAL: return "EINVAL";
  case ETXTBSY: return "ETXTBSY";
  case EFBIG: return "EFBIG";
  case ENOSPC: return "ENOSPC";
  case EROFS: return "EROFS";
  case ENOTTY: return "ENOTTY";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  default: {
    static char buf[16];
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
  }
  }
}

/* One machine-readable observation by this process about file f (see machine above). */
static void obs(int f, const char *fmt, ...)
{
  va_list ap;

  printf("@obs p%d f%d ", me + 1, f + 1);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

/* A system call's outcome, in both formats' terms: RET and errno's name when RET < 0. */
static void obs_ret(int f, const char *op, long ret, int err)
{
  obs(f, "ret %s %ld %s", op, ret, ret < 0 ? errno_name(err) : "0");
}

/* A call of this command returned what the step does not expect. */
static void unexpected(long ret, long want_at_least)
{
  if (ret < want_at_least)
    call_failed = 1;
}

/*
 * S_DAX of a file this process holds only through a mapping: statx on
 * /proc/self/map_files/START-END, which resolves to the mapping's own file
 * (no lookup in the file system, and the mapping pins the inode, so nothing
 * is instantiated or evicted by asking). Needs CAP_SYS_ADMIN.
 */
static void observe_mapping(int f)
{
  char link[96];
  struct statx stx;
  unsigned long start = (unsigned long)maps[f];

  snprintf(link, sizeof link, "/proc/self/map_files/%lx-%lx", start, start + (unsigned long)MAP_LEN);
  if (statx(AT_FDCWD, link, 0, STATX_BASIC_STATS, &stx) != 0)
    obs(f, "note map_files %s", errno_name(errno));
  else if (stx.stx_attributes_mask & STATX_ATTR_DAX)
    obs(f, "sdax %d map", (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
}

/*
 * What the live mapping of file f is: ext4_file_mmap and xfs_file_mmap give a
 * DAX VMA VM_HUGEPAGE ("hg" in smaps VmFlags, fs/proc/task_mmu.c), a
 * page-cache VMA of a regular file has it only after madvise(MADV_HUGEPAGE),
 * which no program here calls. The kind is fixed at mmap time.
 */
static void observe_vma_kind(int f)
{
  char line[512], head[64];
  int in = 0;
  FILE *m = fopen("/proc/self/smaps", "r");

  if (!m)
    return;
  snprintf(head, sizeof head, "%lx-", (unsigned long)maps[f]);
  while (fgets(line, sizeof line, m)) {
    if (strncmp(line, "VmFlags:", 8) != 0) {
      if (strchr(line, '-') && strchr(line, '-') < strchr(line, ' ') && line[0] != ' ')
        in = strncmp(line, head, strlen(head)) == 0;
      continue;
    }
    if (in) {
      obs(f, "vma %s", strstr(line, " hg") ? "dax" : "pagecache");
      break;
    }
  }
  fclose(m);
}

/* Every file this process holds, machine format. */
static void observe_held(void)
{
  struct statx stx;
  struct fsxattr fa;
  void *probe;
  int f;

  for (f = 0; f < NFILES; f++) {
    if (maps[f])
      observe_vma_kind(f);
    if (fds[f] < 0) {
      if (maps[f])
        observe_mapping(f);
      continue;
    }
    if (statx(fds[f], "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) != 0) {
      obs(f, "note statx %s", errno_name(errno));
    } else {
      if (stx.stx_attributes_mask & STATX_ATTR_DAX)
        obs(f, "sdax %d fd", (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
      obs(f, "size %lld", (long long)stx.stx_size);
    }
    if (ioctl(fds[f], FS_IOC_FSGETXATTR, &fa) == 0)
      obs(f, "xflag %d", (fa.fsx_xflags & FS_XFLAG_DAX) ? 1 : 0);
    else
      obs(f, "note FS_IOC_FSGETXATTR %s", errno_name(errno));
    /*
     * The mode a fresh mapping would get: MAP_SYNC is accepted only on a DAX
     * inode (daxdev_mapping_supported, include/linux/dax.h; ext4_file_mmap,
     * xfs_file_mmap). The mapping is never touched, so it takes no fault and
     * leaves no DAX entry; the descriptor keeps the inode, so its munmap
     * evicts nothing.
     */
    probe = mmap(NULL, MAP_LEN, PROT_READ, MAP_SHARED_VALIDATE | MAP_SYNC, fds[f], 0);
    if (probe != MAP_FAILED) {
      munmap(probe, MAP_LEN);
      obs(f, "mapsync 1");
    } else {
      obs(f, "mapsync 0 %s", errno_name(errno));
    }
  }
}

/* What the kernel says about file f now, through this process's descriptor. */
static void observe(int f)
{
  struct statx stx;
  struct fsxattr fa;
  char sdax[64], xflag[64];

  if (fds[f] < 0 || machine)
    return;
  if (statx(fds[f], "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) != 0)
    snprintf(sdax, sizeof sdax, "statx: %s", strerror(errno));
  else if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
    snprintf(sdax, sizeof sdax, "S_DAX=? (statx does not report it)");
  else
    snprintf(sdax, sizeof sdax, "S_DAX=%d", (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
  if (ioctl(fds[f], FS_IOC_FSGETXATTR, &fa) != 0)
    snprintf(xflag, sizeof xflag, "FS_IOC_FSGETXATTR: %s", strerror(errno));
  else
    snprintf(xflag, sizeof xflag, "FS_XFLAG_DAX=%d", (fa.fsx_xflags & FS_XFLAG_DAX) ? 1 : 0);
  say("f%d now: %s, %s, size %lld", f + 1, sdax, xflag, (long long)stx.stx_size);
}

static void on_fault_signal(int sig)
{
  if (in_fault)
    siglongjmp(fault_jmp, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* A page fault by touching the mapping; SIGBUS and SIGSEGV are reported, not fatal. */
static void touch(int f, int write, int value)
{
  int sig;
  unsigned char got;

  if (!maps[f]) {
    if (machine)
      obs(f, "note not-mapped");
    else
      say("f%d is not mapped in this process", f + 1);
    return;
  }
  sig = sigsetjmp(fault_jmp, 1);
  if (sig) {
    in_fault = 0;
    call_failed = 1;
    if (machine)
      obs(f, "signal %s", sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
    else
      say("%s on f%d's mapping", sig == SIGBUS ? "SIGBUS" : "SIGSEGV", f + 1);
    return;
  }
  in_fault = 1;
  if (write) {
    maps[f][0] = (unsigned char)value;
    in_fault = 0;
    if (machine)
      obs(f, "stored %d", value);
    else
      say("stored %d into f%d's mapping", value, f + 1);
  } else {
    got = maps[f][0];
    in_fault = 0;
    if (machine)
      obs(f, "data %d", got);
    else
      say("loaded %d from f%d's mapping", got, f + 1);
  }
}

static void serve(struct cmd c)
{
  int f = c.file, r;
  unsigned char byte;
  struct fsxattr fa;
  struct statx stx;

  switch (c.op) {
  case OP_OPEN:
    fds[f] = open(paths[f], c.arg);
    unexpected(fds[f], 0);
    if (machine)
      obs_ret(f, "open", fds[f], errno);
    else if (fds[f] < 0)
      say("open(f%d): %s", f + 1, strerror(errno));
    else
      say("open(f%d, %s) = %d", f + 1, (c.arg & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "O_RDWR", fds[f]);
    break;
  case OP_CLOSE:
    r = close(fds[f]);
    unexpected(r, 0);
    if (machine)
      obs_ret(f, "close", r, errno);
    else
      say("close(f%d) = %d%s%s", f + 1, r, r ? ": " : "", r ? strerror(errno) : "");
    fds[f] = -1;
    return;
  case OP_MMAP: {
    int prot = PROT_READ;
    void *p;

    if ((fcntl(fds[f], F_GETFL) & O_ACCMODE) == O_RDWR)
      prot |= PROT_WRITE;
    p = mmap(NULL, MAP_LEN, prot, MAP_SHARED, fds[f], 0);
    unexpected(p == MAP_FAILED ? -1 : 0, 0);
    if (machine)
      obs_ret(f, "mmap", p == MAP_FAILED ? -1 : 0, errno);
    if (p == MAP_FAILED) {
      if (!machine)
      say("mmap(f%d): %s", f + 1, strerror(errno));
    } else {
      maps[f] = p;
      if (!machine)
        say("mmap(f%d, %s, MAP_SHARED) = %p", f + 1, prot & PROT_WRITE ? "PROT_READ|PROT_WRITE" : "PROT_READ", p);
    }
    break;
  }
  case OP_MUNMAP:
    r = munmap((void *)maps[f], MAP_LEN);
    unexpected(r, 0);
    if (machine)
      obs_ret(f, "munmap", r, errno);
    else
      say("munmap(f%d) = %d", f + 1, r);
    maps[f] = NULL;
    break;
  case OP_FAULT_READ:
  case OP_LOAD:
    touch(f, 0, 0);
    break;
  case OP_FAULT_WRITE:
  case OP_STORE:
    touch(f, 1, c.arg);
    break;
  case OP_READ:
    r = (int)pread(fds[f], &byte, 1, 0);
    unexpected(r, 0);
    if (machine) {
      obs_ret(f, "read", r, errno);
      if (r == 1)
        obs(f, "data %d", byte);
    } else if (r == 1)
      say("read(f%d) = 1 byte: %d", f + 1, byte);
    else
      say("read(f%d) = %d%s%s", f + 1, r, r < 0 ? ": " : " (end of file)", r < 0 ? strerror(errno) : "");
    break;
  case OP_WRITE:
    byte = (unsigned char)(c.arg & 0xff);
    r = (int)pwrite(fds[f], &byte, 1, 0);
    unexpected(r, 1);
    if (machine)
      obs_ret(f, "write", r, errno);
    else
      say("write(f%d, %d) = %d%s%s", f + 1, byte, r, r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
    if (c.arg & WRITE_EXTEND) {
      r = (int)pwrite(fds[f], &byte, 1, BIG_LEN - 1);
      if (machine)
        obs_ret(f, "write", r, errno);
      else
        say("write(f%d, %d at %ld) = %d%s%s", f + 1, byte, BIG_LEN - 1, r, r < 0 ? ": " : "", r < 0 ? strerror(errno) : "");
    }
    break;
  case OP_SETFLAG:
    if (ioctl(fds[f], FS_IOC_FSGETXATTR, &fa) != 0) {
      if (machine)
        obs_ret(f, "ioctl", -1, errno);
      else
        say("ioctl(f%d, FS_IOC_FSGETXATTR): %s", f + 1, strerror(errno));
      break;
    }
    if (c.arg & 1)
      fa.fsx_xflags |= FS_XFLAG_DAX;
    else
      fa.fsx_xflags &= ~FS_XFLAG_DAX;
    if (c.arg & SETFLAG_REALTIME)
      fa.fsx_xflags |= FS_XFLAG_REALTIME;
    if (c.arg & SETFLAG_PROJID)
      fa.fsx_projid = 1;
    r = ioctl(fds[f], FS_IOC_FSSETXATTR, &fa);
    unexpected(r, 0);
    if (machine)
      obs_ret(f, "ioctl", r, errno);
    else
      say("ioctl(f%d, FS_IOC_FSSETXATTR, %s FS_XFLAG_DAX%s%s) = %d%s%s", f + 1, c.arg & 1 ? "set" : "clear",
        c.arg & SETFLAG_REALTIME ? ", set FS_XFLAG_REALTIME" : "", c.arg & SETFLAG_PROJID ? ", fsx_projid = 1" : "", r,
        r ? ": " : "", r ? strerror(errno) : "");
    break;
  case OP_STATX_PATH:
    /* A path lookup, as stat(1) would do: on virtiofs it may refresh attributes. */
    if (statx(AT_FDCWD, paths[f], 0, STATX_BASIC_STATS, &stx) != 0)
      say("statx(f%d): %s", f + 1, strerror(errno));
    else
      say("statx(f%d): S_DAX=%d", f + 1, (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
    return;
  case OP_OBSERVE:
    observe_held();
    return;
  case OP_CREATE:
    /* open(O_CREAT|O_EXCL): the new inode takes its parent's FS_XFLAG_DAX and gets S_DAX at once. */
    fds[f] = open(paths[f], O_RDWR | O_CREAT | O_EXCL, 0644);
    unexpected(fds[f], 0);
    if (machine)
      obs_ret(f, "open", fds[f], errno);
    else
      say("open(f%d, O_RDWR|O_CREAT|O_EXCL) = %d%s%s", f + 1, fds[f], fds[f] < 0 ? ": " : "", fds[f] < 0 ? strerror(errno) : "");
    break;
  case OP_MOVED:
    file_parent[f] = c.arg;
    refresh_paths();
    return;
  case OP_DIR_MOVED:
    dir_parent[f] = c.arg;
    refresh_paths();
    return;
  }
  observe(f);
}

static void worker_loop(void)
{
  struct cmd c;
  int reply, f;
  pid_t pid;

  for (;;) {
    read_full(cmd_pipe[me][0], &c, sizeof c);
    reply = 0;
    if (c.op == OP_FORK) {
      fflush(stdout);
      pid = fork();
      if (pid < 0)
        fail("fork");
      if (pid == 0) {
        /* The child is process q from now on, with p's descriptors and mappings. */
        me = c.arg;
        if (!machine)
          say("forked from p%d", c.file + 1);
        continue;
      }
      reply = (int)pid;
    } else if (c.op == OP_QUIT) {
      /* Exit as the kernel would do it, but before answering, so the parent sees it done. */
      for (f = 0; f < NFILES; f++) {
        if (maps[f])
          munmap((void *)maps[f], MAP_LEN);
        if (fds[f] >= 0)
          close(fds[f]);
      }
      if (!machine)
        say("exited");
      write_full(ack_pipe[me][1], &reply, sizeof reply);
      _exit(0);
    } else {
      call_failed = 0;
      serve(c);
      reply = call_failed;
    }
    fflush(stdout);
    write_full(ack_pipe[me][1], &reply, sizeof reply);
  }
}

static void spawn(int p)
{
  pid_t pid;

  fflush(stdout);
  pid = fork();
  if (pid < 0)
    fail("fork");
  if (pid == 0) {
    me = p;
    worker_loop();
  }
  alive[p] = 1;
}

/* Has process p do one operation and waits until it is done. */
HELPER int run(int p, int op, int f, int arg)
{
  struct cmd c = { op, f, arg };
  int reply;

  if (!alive[p])
    spawn(p);
  write_full(cmd_pipe[p][1], &c, sizeof c);
  read_full(ack_pipe[p][0], &reply, sizeof reply);
  if (op == OP_QUIT)
    alive[p] = 0;
  else if (op != OP_FORK && op != OP_OBSERVE && reply)
    step_failed = 1;
  return reply;
}

HELPER void fork_proc(int p, int q)
{
  if (alive[q])
    run(q, OP_QUIT, 0, 0);
  run(p, OP_FORK, p, q);
  alive[q] = 1;
}

HELPER void exit_proc(int p)
{
  if (alive[p])
    run(p, OP_QUIT, 0, 0);
}

/* A path walk from the parent, which holds nothing open: on a miss it instantiates the inode (iget, or FUSE_LOOKUP). */
HELPER void lookup_path(int f)
{
  struct statx stx;

  if (machine) {
    if (statx(AT_FDCWD, paths[f], 0, STATX_BASIC_STATS, &stx) != 0)
      printf("@obs path f%d ret statx -1 %s\n", f + 1, errno_name(errno));
    else if (stx.stx_attributes_mask & STATX_ATTR_DAX)
      printf("@obs path f%d sdax %d\n", f + 1, (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
  } else if (statx(AT_FDCWD, paths[f], 0, STATX_BASIC_STATS, &stx) != 0)
    printf("    statx(f%d): %s\n", f + 1, strerror(errno));
  else if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
    printf("    statx(f%d): S_DAX=? (statx does not report it), size %lld\n", f + 1, (long long)stx.stx_size);
  else
    printf("    statx(f%d): S_DAX=%d, size %lld\n", f + 1, (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0, (long long)stx.stx_size);
  fflush(stdout);
}

/* The kernel writes dirty pages back on its own schedule; sync(2) forces it now, for every file. */
HELPER void writeback(int f)
{
  sync();
  if (!machine)
    printf("    sync() for f%d's dirty pages\n", f + 1);
  fflush(stdout);
}

HELPER void wait_timeout(void)
{
  printf("    sleeping %d s for the FUSE entry and attribute timeouts\n", FUSE_TIMEOUT_SECONDS);
  fflush(stdout);
  sleep(FUSE_TIMEOUT_SECONDS);
}

HELPER int next_version(int f)
{
  return ++version[f];
}

static int event_enabled(const char *event)
{
  char path[128];
  int c = 0;
  FILE *f;

  snprintf(path, sizeof path, TRACING "/events/%s/enable", event);
  f = fopen(path, "r");
  if (f) {
    c = fgetc(f);
    fclose(f);
  }
  return c == '1';
}

/* One trace line: an eviction of one of the files? ext4 prints `ino N`, xfs `ino 0xN`. */
static void eviction_line(const char *line)
{
  const char *at;
  unsigned long ino;
  int f;

  if (!strstr(line, "ext4_evict_inode:") && !strstr(line, "xfs_destroy_inode:"))
    return;
  if (!(at = strstr(line, " ino ")))
    return;
  ino = strtoul(at + 5, NULL, 0);
  for (f = 0; f < NFILES; f++) {
    if (inode_no[f] == 0 || ino != inode_no[f])
      continue;
    if (machine)
      printf("@obs kernel f%d evicted\n", f + 1);
    else
      printf("    kernel: f%d's inode evicted (%s)\n", f + 1, strstr(line, "xfs_") ? "xfs_destroy_inode" : "ext4_evict_inode");
  }
}

/* Reads what the tracepoints wrote since the last look; `report`: say which files were evicted. */
static void drain_trace(int report)
{
  static char buf[65536], line[1024];
  static size_t used;
  ssize_t n;
  char *p;

  for (;;) {
    n = read(tracing, buf, sizeof buf);
    if (n <= 0)
      break;
    for (p = buf; p < buf + n; p++) {
      if (*p != '\n') {
        if (used < sizeof line - 1)
          line[used++] = *p;
        continue;
      }
      line[used] = 0;
      used = 0;
      if (report)
        eviction_line(line);
    }
  }
}

static void observe_evictions(void)
{
  if (tracing < 0)
    return;
  if (machine)
    printf("@obs kernel - tracing\n");
  drain_trace(1);
  fflush(stdout);
}

/* Machine format: after a step, every live process reports what it holds. */
static void observe_all(void)
{
  int p;

  observe_evictions();

  for (p = 0; p < NPROCS; p++)
    if (alive[p])
      run(p, OP_OBSERVE, 0, 0);
}

static int last_step = -1;

/* The step that just ended, for the summary. */
static void tally(void)
{
  char n[16];

  if (last_step <= 0)
    return;
  steps_run++;
  if (step_failed) {
    steps_failed++;
    snprintf(n, sizeof n, "%s%d", steps_failed > 1 ? ", " : "", last_step);
    if (strlen(failed_steps) + strlen(n) < sizeof failed_steps - 4)
      strcat(failed_steps, n);
  }
  step_failed = 0;
}

HELPER void step(int n, const char *label, const char *words)
{
  tally();
  if (machine) {
    if (last_step >= 0)
      observe_all();
    printf("@step %d %s\n", n, label);
  } else {
    observe_evictions();
    printf("step %d: %s    [%s]\n", n, label, words);
  }
  last_step = n;
  fflush(stdout);
}

HELPER void expect(const char *change)
{
  if (machine)
    return;
  printf("    model: %s\n", change);
  fflush(stdout);
}

HELPER void verdict(const char *what)
{
  if (machine)
    return;
  printf("    MODEL: %s\n", what);
  fflush(stdout);
}

HELPER void manual(int n, const char *label, const char *why, const char *shell)
{
  int c, status;

  tally();
  if (machine) {
    if (last_step >= 0)
      observe_all();
    printf("@step %d %s\n", n, label);
    last_step = n;
  } else {
    observe_evictions();
    printf("step %d: %s    [by hand]\n    no program can do this: %s\n    by hand: %s\n", n, label, why, shell);
  }
  fflush(stdout);
  if (run_manual) {
    /* system() waits for its child, which it cannot do while SIGCHLD is ignored (it reports -1). */
    signal(SIGCHLD, SIG_DFL);
    status = system(shell);
    signal(SIGCHLD, SIG_IGN);
    if (status != 0)
      step_failed = 1;
    if (machine)
      printf("@obs parent - ret shell %d 0\n", status);
    else
      printf("    running: %s -> exit status %d\n", shell, status);
  } else if (interactive) {
    printf("    do it now, then press Enter ");
    fflush(stdout);
    while ((c = getchar()) != EOF && c != '\n')
      ;
  }
  fflush(stdout);
}

/*
 * UNFIT 3: an fscrypt key for the filesystem and a v2 policy on the still
 * empty DIR, so that every file made in it is encrypted (EXT4_INODE_ENCRYPT).
 * The key is fixed: the run tests DAX, not secrecy.
 */
static void encrypt_run_dir(void)
{
  struct {
    struct fscrypt_add_key_arg arg;
    unsigned char raw[64];
  } k;
  struct fscrypt_policy_v2 pol;
  int fd = open(run_dir, O_RDONLY | O_DIRECTORY);

  if (fd < 0)
    fail(run_dir);
  memset(&k, 0, sizeof k);
  k.arg.key_spec.type = FSCRYPT_KEY_SPEC_TYPE_IDENTIFIER;
  k.arg.raw_size = sizeof k.raw;
  memset(k.raw, 0x5a, sizeof k.raw);
  if (ioctl(fd, FS_IOC_ADD_ENCRYPTION_KEY, &k.arg) != 0)
    fail("FS_IOC_ADD_ENCRYPTION_KEY");
  memset(&pol, 0, sizeof pol);
  pol.version = FSCRYPT_POLICY_V2;
  pol.contents_encryption_mode = FSCRYPT_MODE_AES_256_XTS;
  pol.filenames_encryption_mode = FSCRYPT_MODE_AES_256_CTS;
  pol.flags = FSCRYPT_POLICY_FLAGS_PAD_32;
  memcpy(pol.master_key_identifier, k.arg.key_spec.u.identifier, FSCRYPT_KEY_IDENTIFIER_SIZE);
  if (ioctl(fd, FS_IOC_SET_ENCRYPTION_POLICY, &pol) != 0)
    fail("FS_IOC_SET_ENCRYPTION_POLICY");
  close(fd);
}

/* UNFIT 1 and 5, on the new file with its data: the journal flag, or a clone that shares its extents. */
static void make_unfit(int f, int fd, long size)
{
  char clone[4200];
  int flags, cfd;

  if (UNFIT == 1) {
    /* ext4_ioctl_setflags -> ext4_change_inode_journal_flag (needs CAP_SYS_RESOURCE; the file is not DAX yet). */
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
      fail("FS_IOC_GETFLAGS");
    flags |= FS_JOURNAL_DATA_FL;
    if (ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
      fail("FS_IOC_SETFLAGS +j");
  } else if (UNFIT == 5) {
    /* An empty file has no extent to share: FICLONE succeeds and leaves it unshared. */
    snprintf(clone, sizeof clone, "%s/.clone-f%d", run_dir, f + 1);
    cfd = open(clone, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (cfd < 0)
      fail(clone);
    if (ioctl(cfd, FICLONE, fd) != 0)
      fail("FICLONE");
    close(cfd);
    if (!machine)
      printf("setup: f%d cloned into %s (%s)\n", f + 1, clone, size > 0 ? "reflinked" : "empty: nothing shared");
  }
}

/* UNFIT 4: FS_IOC_ENABLE_VERITY needs a read-only descriptor and no writable one open. */
static void enable_verity(int f)
{
  struct fsverity_enable_arg arg;
  int fd = open(paths[f], O_RDONLY);

  if (fd < 0)
    fail(paths[f]);
  memset(&arg, 0, sizeof arg);
  arg.version = 1;
  arg.hash_algorithm = FS_VERITY_HASH_ALG_SHA256;
  arg.block_size = 4096;
  if (ioctl(fd, FS_IOC_ENABLE_VERITY, &arg) != 0)
    fail("FS_IOC_ENABLE_VERITY");
  close(fd);
}

/* The attribute the kernel shows for UNFIT (FS_IOC_GETFLAGS), checked once the file is set up. */
static void check_unfit(int f)
{
  /* An empty file has no inline data yet (ext4 sets EXT4_INLINE_DATA_FL with its first inline write). */
  static const int want[] = { 0, FS_JOURNAL_DATA_FL, FS_INLINE_DATA_FL, FS_ENCRYPT_FL, FS_VERITY_FL, 0 };
  int flags = 0, fd;
  struct stat st;

  if (want[UNFIT] == 0 || (UNFIT == 2 && (stat(paths[f], &st) != 0 || st.st_size == 0)))
    return;
  fd = open(paths[f], O_RDONLY);
  if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
    fail("FS_IOC_GETFLAGS");
  close(fd);
  if (!(flags & want[UNFIT])) {
    fprintf(stderr, "repro: setup: f%d lacks the attribute 0x%x (flags 0x%x)\n", f + 1, want[UNFIT], flags);
    exit(2);
  }
}

HELPER void setup_file(int f, int dax_flag, long size)
{
  struct fsxattr fa;
  struct stat st;
  static const char zeros[BIG_LEN];
  static int dir_ready;
  int fd;

  if (UNFIT == 3 && !dir_ready++)
    encrypt_run_dir();
  fd = open(paths[f], O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    fail(paths[f]);
  /* UNFIT 2: few enough bytes to sit in the inode (still the size class small), so that the file has inline data. */
  if (UNFIT == 2 && size > 0)
    size = 16;
  if (size > 0 && write(fd, zeros, (size_t)size) != size)
    fail("write");
  make_unfit(f, fd, size);
  if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) != 0) {
    printf("setup: f%d: FS_IOC_FSGETXATTR: %s (no per-file DAX flag here?)\n", f + 1, strerror(errno));
  } else {
    if (dax_flag)
      fa.fsx_xflags |= FS_XFLAG_DAX;
    else
      fa.fsx_xflags &= ~FS_XFLAG_DAX;
    if (ioctl(fd, FS_IOC_FSSETXATTR, &fa) != 0)
      printf("setup: f%d: FS_IOC_FSSETXATTR: %s\n", f + 1, strerror(errno));
  }
  if (fsync(fd) != 0)
    fail("fsync");
  if (fstat(fd, &st) == 0)
    inode_no[f] = (unsigned long)st.st_ino;
  if (machine && ioctl(fd, FS_IOC_FSGETXATTR, &fa) == 0 && !!(fa.fsx_xflags & FS_XFLAG_DAX) != !!dax_flag)
    printf("@setup-error f%d FS_XFLAG_DAX is %d, not %d\n", f + 1, !!(fa.fsx_xflags & FS_XFLAG_DAX), dax_flag);
  close(fd);
  if (UNFIT == 4)
    enable_verity(f);
  check_unfit(f);
  if (!machine)
    printf("setup: f%d created, %ld bytes, FS_XFLAG_DAX=%d\n", f + 1, size, dax_flag);
}

/*
 * Whether DIR can be DAX at all, said before anything runs: ext4 and xfs need
 * a block device whose queue/dax is 1 (an fsdax pmem namespace; in raw mode
 * dax=inode mounts but S_DAX is silently never set) and no dax=never;
 * virtiofs needs the dax mount option (and a DAX window). The program goes
 * on either way, so that it can show what happens without DAX.
 */
static void check_dax_mount(const char *dir)
{
  struct stat st;
  char line[4096], point[4096], fstype[64], opts[1024], sopts[1024], best_type[64] = "", best_opts[2048] = "";
  char path[128], real[4096];
  unsigned maj, min;
  size_t best = 0, len;
  int dax_dev = 0;
  FILE *m;

  if (stat(dir, &st) != 0 || !realpath(dir, real))
    fail(dir);
  m = fopen("/proc/self/mountinfo", "r");
  while (m && fgets(line, sizeof line, m)) {
    /* ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER-OPTIONS */
    char *dash = strstr(line, " - ");
    if (!dash || sscanf(line, "%*d %*d %u:%u %*s %4095s %1023s", &maj, &min, point, opts) != 4)
      continue;
    if (sscanf(dash + 3, "%63s %*s %1023s", fstype, sopts) != 2 || makedev(maj, min) != st.st_dev)
      continue;
    len = strlen(point);
    if (strncmp(real, point, len) != 0 || (real[len] != '/' && real[len] != 0 && len > 1) || len < best)
      continue;
    best = len;
    snprintf(best_type, sizeof best_type, "%s", fstype);
    snprintf(best_opts, sizeof best_opts, "%s,%s", opts, sopts);
  }
  if (m)
    fclose(m);
  if (strcmp(best_type, "virtiofs") == 0) {
    if (!strstr(best_opts, "dax"))
      fprintf(stderr, "repro: %s is on virtiofs mounted without a dax option: S_DAX will stay 0\n", dir);
    return;
  }
  snprintf(path, sizeof path, "/sys/dev/block/%u:%u/queue/dax", major(st.st_dev), minor(st.st_dev));
  m = fopen(path, "r");
  if (!m) {
    /* A partition has no queue of its own: its disk's. */
    snprintf(path, sizeof path, "/sys/dev/block/%u:%u/../queue/dax", major(st.st_dev), minor(st.st_dev));
    m = fopen(path, "r");
  }
  if (m) {
    dax_dev = fgetc(m) == '1';
    fclose(m);
  }
  if (!dax_dev)
    fprintf(stderr, "repro: %s is not on a DAX-capable mount (%s on device %u:%u, whose queue/dax is not 1): S_DAX will stay 0 and the model's DAX expectations will not hold\n",
            dir, best_type[0] ? best_type : "a file system", major(st.st_dev), minor(st.st_dev));
  else if (strstr(best_opts, "dax=never"))
    fprintf(stderr, "repro: %s is mounted with dax=never: S_DAX will stay 0\n", dir);
}

static void start(int argc, char **argv)
{
  const char *dir;
  int opt, i;

  machine = getenv("DAXCHECK_OBS") != NULL && strcmp(getenv("DAXCHECK_OBS"), "1") == 0;
  while ((opt = getopt(argc, argv, "irm")) != -1) {
    if (opt == 'i')
      interactive = 1;
    else if (opt == 'r')
      run_manual = 1;
    else if (opt == 'm')
      machine = 1;
    else
      goto usage;
  }
  if (optind != argc - 1)
    goto usage;
  dir = argv[optind];
  snprintf(run_dir, sizeof run_dir, "%s", dir);
  check_dax_mount(dir);
  if (event_enabled("ext4/ext4_evict_inode") || event_enabled("xfs/xfs_destroy_inode"))
    tracing = open(TRACING "/trace_pipe", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  /* What an earlier program's files left there is not this program's. */
  if (tracing >= 0)
    drain_trace(0);
  for (i = 0; i < NFILES; i++)
    snprintf(paths[i], sizeof paths[i], "%s/f%d", dir, i + 1);
  refresh_paths();
  for (i = 0; i < NFILES; i++) {
    fds[i] = -1;
    maps[i] = NULL;
  }
  for (i = 0; i < NPROCS; i++)
    if (pipe(cmd_pipe[i]) != 0 || pipe(ack_pipe[i]) != 0)
      fail("pipe");
  /* Workers are reaped by the kernel; the parent waits on their answers instead. */
  signal(SIGCHLD, SIG_IGN);
  signal(SIGBUS, on_fault_signal);
  signal(SIGSEGV, on_fault_signal);
  setvbuf(stdout, NULL, _IOLBF, 0);
  return;
usage:
  fprintf(stderr, "usage: %s [-i] [-r] [-m] DIR   (DIR on a DAX-capable ext4/xfs or virtiofs mount)\n", argv[0]);
  exit(2);
}

/* The model starts with no inode in memory; the files just written are. */
static void settle(void)
{
  manual(0, "initial state", "the model starts with no file's inode in memory, and setup has just instantiated them",
         DROP_CACHES);
}

static void finish(void)
{
  int p;

  if (machine && last_step >= 0)
    observe_all();
  else
    observe_evictions();
  tally();
  for (p = 0; p < NPROCS; p++)
    exit_proc(p);
  restore_mount();
  if (!machine) {
    printf("summary: %d steps; the kernel's return values were what the model's step expects in %d", steps_run, steps_run - steps_failed);
    if (steps_failed)
      printf("; not in step%s %s", steps_failed > 1 ? "s" : "", failed_steps);
    printf(" (S_DAX, FS_XFLAG_DAX and data are printed beside the model's lines; daxcheck conform checks them all)\n");
  }
  printf(machine ? "@done\n" : "done\n");
}

/* ---- directories (dirs >= 1: spec/dax/tree.ts, spec/dax/actions/dirs.ts) ---- */

/* The path of directory d: DIR/d1, then each level below it. */
HELPER void dir_path(int d, char *out, size_t n)
{
  char up[3072];

  if (d == 0) {
    if (snprintf(out, n, "%s/d1", run_dir) >= (int)n)
      fail("path too long");
    return;
  }
  dir_path(dir_parent[d], up, sizeof up);
  if (snprintf(out, n, "%s/d%d", up, d + 1) >= (int)n)
    fail("path too long");
}

static void refresh_paths(void)
{
  char d[3072];
  int f;

  if (NDIRS == 0)
    return;
  for (f = 0; f < NFILES; f++) {
    dir_path(file_parent[f], d, sizeof d);
    if (snprintf(paths[f], sizeof paths[f], "%s/f%d", d, f + 1) >= (int)sizeof paths[f])
      fail("path too long");
  }
}

/* Every process learns that a name moved (workers keep their own paths). */
HELPER void tell_moved(int op, int what, int where)
{
  int p;

  if (op == OP_MOVED)
    file_parent[what] = where;
  else
    dir_parent[what] = where;
  refresh_paths();
  for (p = 0; p < NPROCS; p++)
    if (alive[p])
      run(p, op, what, where);
}

/* What the parent did, in both formats: `@obs path fN|dN ret OP RET ERRNO`. */
HELPER void parent_ret(char kind, int i, const char *op, long ret, int err)
{
  if (ret < 0)
    step_failed = 1;
  if (machine)
    printf("@obs path %c%d ret %s %ld %s\n", kind, i + 1, op, ret, ret < 0 ? errno_name(err) : "0");
  else
    printf("    %s(%c%d) = %ld%s%s\n", op, kind, i + 1, ret, ret < 0 ? ": " : "", ret < 0 ? strerror(err) : "");
  fflush(stdout);
}

/* FS_XFLAG_DAX of an open file or directory, -1 if it cannot be read. */
HELPER int xflag_of(int fd)
{
  struct fsxattr fa;

  if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) != 0)
    return -1;
  return (fa.fsx_xflags & FS_XFLAG_DAX) ? 1 : 0;
}

HELPER int set_xflag(int fd, int v)
{
  struct fsxattr fa;

  if (ioctl(fd, FS_IOC_FSGETXATTR, &fa) != 0)
    return -1;
  if (v)
    fa.fsx_xflags |= FS_XFLAG_DAX;
  else
    fa.fsx_xflags &= ~FS_XFLAG_DAX;
  return ioctl(fd, FS_IOC_FSSETXATTR, &fa);
}

/* The directory's flag as the kernel has it now: `@obs path dN xflag V`. */
HELPER void observe_dir(int d)
{
  char path[4096];
  int fd, v;

  dir_path(d, path, sizeof path);
  fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    return;
  v = xflag_of(fd);
  close(fd);
  if (v < 0)
    return;
  if (machine)
    printf("@obs path d%d xflag %d\n", d + 1, v);
  else
    printf("    d%d now: FS_XFLAG_DAX=%d\n", d + 1, v);
  fflush(stdout);
}

/* Before step 1: directory d made in its parent with the initial state's flag (d1: in DIR). */
HELPER void setup_dir(int d, int parent, int dax_flag)
{
  char path[4096];
  int fd;

  dir_parent[d] = parent;
  dir_path(d, path, sizeof path);
  if (mkdir(path, 0755) != 0)
    fail(path);
  fd = open(path, O_RDONLY | O_DIRECTORY);
  if (fd < 0)
    fail(path);
  if (set_xflag(fd, dax_flag) != 0)
    printf("setup: d%d: FS_IOC_FSSETXATTR: %s\n", d + 1, strerror(errno));
  if (machine && xflag_of(fd) != dax_flag)
    printf("@setup-error d%d FS_XFLAG_DAX is %d, not %d\n", d + 1, xflag_of(fd), dax_flag);
  close(fd);
  refresh_paths();
  if (!machine)
    printf("setup: d%d created, FS_XFLAG_DAX=%d\n", d + 1, dax_flag);
}

/* The inode number of a file just created, for the eviction tracepoints (its dentry is cached: no lookup). */
HELPER void note_inode(int f)
{
  struct stat st;

  if (stat(paths[f], &st) == 0)
    inode_no[f] = (unsigned long)st.st_ino;
}

/* open(f in d, O_RDWR|O_CREAT|O_EXCL) by process p. */
HELPER void create_file(int p, int f, int d)
{
  tell_moved(OP_MOVED, f, d);
  run(p, OP_CREATE, f, 0);
  note_inode(f);
  version[f] = 0;
}

HELPER void make_dir(int d, int parent)
{
  char path[4096];
  int r;

  tell_moved(OP_DIR_MOVED, d, parent);
  dir_path(d, path, sizeof path);
  r = mkdir(path, 0755);
  parent_ret('d', d, "mkdir", r, errno);
  observe_dir(d);
}

/* FS_IOC_FSSETXATTR on the directory, through a descriptor opened for it alone. */
HELPER void set_dir_flag(int d, int v)
{
  char path[4096];
  int fd, r;

  dir_path(d, path, sizeof path);
  fd = open(path, O_RDONLY | O_DIRECTORY);
  r = fd < 0 ? -1 : set_xflag(fd, v);
  parent_ret('d', d, "ioctl", r, errno);
  if (fd >= 0)
    close(fd);
  observe_dir(d);
}

HELPER void rename_file(int f, int d)
{
  char from[4096];
  int r;

  snprintf(from, sizeof from, "%s", paths[f]);
  file_parent[f] = d;
  refresh_paths();
  r = rename(from, paths[f]);
  parent_ret('f', f, "rename", r, errno);
  tell_moved(OP_MOVED, f, d);
}

HELPER void rename_dir(int d, int e)
{
  char from[4096], to[4096];
  int r;

  dir_path(d, from, sizeof from);
  dir_parent[d] = e;
  dir_path(d, to, sizeof to);
  r = rename(from, to);
  parent_ret('d', d, "rename", r, errno);
  tell_moved(OP_DIR_MOVED, d, e);
  observe_dir(d);
}

/*
 * cp f g, g in d: read all of f, create g, write it, then report g's S_DAX
 * and FS_XFLAG_DAX through the new descriptor (no lookup) and close both.
 * g's data version is f's first byte, as the model copies the version.
 */
HELPER void copy_file(int f, int g, int d)
{
  static unsigned char buf[BIG_LEN];
  struct statx stx;
  ssize_t n;
  int in, out, r = 0;

  tell_moved(OP_MOVED, g, d);
  in = open(paths[f], O_RDONLY);
  n = in < 0 ? -1 : read(in, buf, sizeof buf);
  out = open(paths[g], O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (in < 0 || n < 0 || out < 0 || (n > 0 && write(out, buf, (size_t)n) != n))
    r = -1;
  parent_ret('f', g, "copy", r, errno);
  if (out >= 0) {
    note_inode(g);
    version[g] = n > 0 ? buf[0] : 0;
    if (statx(out, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &stx) == 0 && (stx.stx_attributes_mask & STATX_ATTR_DAX)) {
      if (machine)
        printf("@obs path f%d sdax %d\n", g + 1, (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
      else
        printf("    f%d now: S_DAX=%d\n", g + 1, (stx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0);
    }
    if (machine)
      printf("@obs path f%d xflag %d\n", g + 1, xflag_of(out));
    else
      printf("    f%d now: FS_XFLAG_DAX=%d\n", g + 1, xflag_of(out));
    close(out);
  }
  if (in >= 0)
    close(in);
  fflush(stdout);
}

/* ---- mounting within a run (remount=on: spec/dax/mount.ts, spec/dax/actions/mount.ts) ---- */

static char mnt_point[4096], mnt_dev[4096], mnt_type[64];
/* The dax= mode the run found (0 inode, 1 always, 2 never) and the one in force; -1: not mounted. */
static int mnt_mode_found = -1, mnt_mode = -1;
static const char *const dax_modes[] = { "inode", "always", "never" };

/* The dax= mode in a mount's option string: dax=always and the legacy dax are always, dax=never never, else inode. */
HELPER int dax_mode_in(const char *opts)
{
  const char *p;

  for (p = opts; (p = strstr(p, "dax")) != NULL; p += 3) {
    if (p != opts && p[-1] != ',')
      continue;
    if (strncmp(p, "dax=never", 9) == 0)
      return 2;
    if (strncmp(p, "dax=always", 10) == 0 || p[3] == ',' || p[3] == 0)
      return 1;
  }
  return 0;
}

/* The mount DIR is on, from /proc/self/mountinfo (the longest mount point above it); its mode now. */
HELPER int find_mount(void)
{
  char line[4096], point[4096], fstype[64], dev[4096], opts[1024], sopts[1024], both[2048];
  size_t best = 0, len;
  int mode = -1;
  FILE *m = fopen("/proc/self/mountinfo", "r");

  while (m && fgets(line, sizeof line, m)) {
    char *dash = strstr(line, " - ");
    if (!dash || sscanf(line, "%*d %*d %*s %*s %4095s %1023s", point, opts) != 2)
      continue;
    if (sscanf(dash + 3, "%63s %4095s %1023s", fstype, dev, sopts) != 3)
      continue;
    len = strlen(point);
    if (strncmp(run_dir, point, len) != 0 || (run_dir[len] != '/' && run_dir[len] != 0 && len > 1) || len < best)
      continue;
    best = len;
    snprintf(mnt_point, sizeof mnt_point, "%s", point);
    snprintf(mnt_dev, sizeof mnt_dev, "%s", dev);
    snprintf(mnt_type, sizeof mnt_type, "%s", fstype);
    snprintf(both, sizeof both, "%s,%s", opts, sopts);
    mode = dax_mode_in(both);
  }
  if (m)
    fclose(m);
  return mode;
}

/* What the parent's umount or mount returned: `@obs path - ret OP RET ERRNO`. */
HELPER void mount_ret(const char *op, long ret, int err)
{
  if (ret < 0)
    step_failed = 1;
  if (machine)
    printf("@obs path - ret %s %ld %s\n", op, ret, ret < 0 ? errno_name(err) : "0");
  else
    printf("    %s(%s) = %ld%s%s\n", op, mnt_point, ret, ret < 0 ? ": " : "", ret < 0 ? strerror(err) : "");
  fflush(stdout);
}

/*
 * umount(2) of the filesystem DIR is on. First, for the record (not a step
 * of the model), `mount -o remount` with another dax= mode: ext4 refuses it
 * (-EINVAL), xfs ignores the option; `@obs path - remount RET ERRNO MODE`
 * says what it returned and the mode in force afterwards.
 */
HELPER void umount_fs(void)
{
  char data[32];
  int r, e;

  if (mnt_mode < 0)
    mnt_mode = mnt_mode_found = find_mount();
  snprintf(data, sizeof data, "dax=%s", dax_modes[mnt_mode == 2 ? 1 : 2]);
  r = mount(mnt_dev, mnt_point, mnt_type, MS_REMOUNT, data);
  e = errno;
  if (machine)
    printf("@obs path - remount %d %s %s\n", r, r < 0 ? errno_name(e) : "0", dax_modes[find_mount() < 0 ? 0 : find_mount()]);
  else
    printf("    mount -o remount,%s %s = %d%s%s (mode now dax=%s)\n", data, mnt_point, r, r < 0 ? ": " : "", r < 0 ? strerror(e) : "", dax_modes[find_mount() < 0 ? 0 : find_mount()]);
  sync();
  r = umount(mnt_point);
  mount_ret("umount", r, errno);
  if (r == 0)
    mnt_mode = -1;
}

HELPER void mount_fs(int mode)
{
  char data[32];
  int r;

  snprintf(data, sizeof data, "dax=%s", dax_modes[mode]);
  r = mount(mnt_dev, mnt_point, mnt_type, 0, data);
  mount_ret("mount", r, errno);
  if (r == 0)
    mnt_mode = mode;
}

static void restore_mount(void)
{
  if (mnt_mode_found < 0 || mnt_mode == mnt_mode_found)
    return;
  if (mnt_mode >= 0 && umount(mnt_point) != 0)
    fprintf(stderr, "repro: umount %s to restore dax=%s: %s\n", mnt_point, dax_modes[mnt_mode_found], strerror(errno));
  if (mount(mnt_dev, mnt_point, mnt_type, 0, mnt_mode_found == 0 ? "dax=inode" : mnt_mode_found == 1 ? "dax=always" : "dax=never") != 0)
    fprintf(stderr, "repro: mount %s again with dax=%s: %s\n", mnt_point, dax_modes[mnt_mode_found], strerror(errno));
}
