#define _GNU_SOURCE
/*
 * The reproducer runtime of FUSE models (passthrough, direct-io and cached
 * opens of one inode): a FUSE server of its own speaking /dev/fuse directly
 * (no libfuse: bookworm's 3.14 has no passthrough), and worker processes that
 * are the model's processes. The server answers each OPEN as the trace's step
 * says (the parent writes the reply it wants into a shared page before the
 * worker calls open), and reports which struct file it saw released and
 * written. Needs root (mount(2), FUSE_DEV_IOC_BACKING_OPEN needs
 * CAP_SYS_ADMIN) and a kernel with CONFIG_FUSE_PASSTHROUGH (6.9+).
 *
 * ABI: include/uapi/linux/fuse.h, protocol 7.40 (v6.9), spelled out here
 * because the host's linux-libc-dev may predate it:
 *   FUSE_INIT_EXT (1 << 30) in flags enables flags2, the upper 32 bits:
 *   FUSE_DIRECT_IO_ALLOW_MMAP (1ULL << 36), FUSE_PASSTHROUGH (1ULL << 37);
 *   fuse_init_out.max_stack_depth must be 1..FILESYSTEM_MAX_STACK_DEPTH for
 *   fc->passthrough to be set (fs/fuse/inode.c process_init_reply, v6.12);
 *   fuse_open_out.backing_id names a file registered with
 *   FUSE_DEV_IOC_BACKING_OPEN (fs/fuse/passthrough.c fuse_backing_open: -EPERM
 *   without fc->passthrough or CAP_SYS_ADMIN, -ELOOP when the backing file
 *   system is stacked as deep as max_stack_depth; ids from 1, idr).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define NPROCS 1
#define NFILES 1
#define NBACKINGS 1
#define DIRECT_IO_ALLOW_MMAP 1
/* Direct-io write slots of the model (dioWrites), and whether FOPEN_DIRECT_IO replies carry FOPEN_PARALLEL_DIRECT_WRITES. */
#define DIO_WRITES 0
/* The FUSE_INIT reply (constant passthroughInit): 0 FUSE_PASSTHROUGH with max_stack_depth 1, 1 without FUSE_PASSTHROUGH, 2 with max_stack_depth 0. */
#define PASSTHROUGH_INIT 0
/* 1: the server does not implement OPEN (every FUSE_OPEN gets -ENOSYS; the kernel then sets fc->no_open). */
#define SERVER_NO_OPEN 0
#define PARALLEL_DIRECT_WRITES 0
/*
 * 1 (constant backingIds=ioctl): no backing id is registered at set-up; the
 * steps call FUSE_DEV_IOC_BACKING_OPEN / _CLOSE (the parent keeps a /dev/fuse
 * descriptor for them), and an OPEN reply names the model's id as it is: each
 * program has a connection of its own, whose idr_alloc_cyclic gives 1, 2, ...
 * in order (fs/fuse/passthrough.c fuse_backing_id_alloc, v6.12), so the
 * model's b-th registration is the kernel's id b.
 */
#define BACKING_IOCTL 0
/*
 * 1 (constant keepCache=true): the server's data at offset 0 has a version
 * (its byte: SERVER_BYTE, then 'a', 'b', ...) that server_changes() moves on
 * without telling the kernel, and a read reports a byte of an older version
 * as `stale`: what the page cache kept. So that nothing but read(2) reads
 * page 0 into the page cache, mappings are MADV_RANDOM (no read-around) and
 * are read at their last page.
 */
#define PAGE_CACHE_DATA 0
#define MAX_DIO (DIO_WRITES > 0 ? DIO_WRITES : 1)
/* Write slot w writes one byte at DIO_BASE + w pages (within EOF): the server holds such a FUSE_WRITE until the step that ends it. */
#define DIO_BASE (2 * PAGE)
/* Pages of the file and of each mapping: room for the splits of a trace (each halves a piece). */
#define FILE_PAGES 16
#define PAGE 4096L
/* The bytes a read or fault returns tell where it came from: the server's FUSE_READ, or the backing file. */
#define SERVER_BYTE 'S'
#define BACKING_BYTE 'B'
#define P(i) (i)
#define F(i) (i)
#define HELPER static __attribute__((unused))

/* What the server answers an OPEN with (fuse_open_out.open_flags). */
enum open_reply { REPLY_CACHING, REPLY_DIRECT_IO, REPLY_PASSTHROUGH, REPLY_PASSTHROUGH_DIRECT_IO, REPLY_PASSTHROUGH_KEEP_CACHE, REPLY_CACHING_ODIRECT,
  REPLY_CACHING_KEEP_CACHE, REPLY_DIRECT_IO_KEEP_CACHE };
/* The last: the user's open(2) has O_DIRECT, and the server answers without FOPEN_DIRECT_IO. */
#define REPLY_IS_PASSTHROUGH(r) ((r) == REPLY_PASSTHROUGH || (r) == REPLY_PASSTHROUGH_DIRECT_IO || (r) == REPLY_PASSTHROUGH_KEEP_CACHE)
/* What a worker's region maps, as the model's VmaMap names it. */
enum map_kind { MAP_KIND_PRIVATE, MAP_KIND_SHARED, MAP_KIND_BACKING };
#define MMAP_SHARED 0x10
/* The step expects the kernel to refuse this mmap. */
#define MMAP_REFUSED 0x20

#define FOPEN_DIRECT_IO_BIT (1u << 0)
#define FOPEN_KEEP_CACHE_BIT (1u << 1)
#define FOPEN_PASSTHROUGH_BIT (1u << 7)
#define FOPEN_PARALLEL_DIRECT_WRITES_BIT (1u << 6)
#define INIT_EXT (1u << 30)
#define INIT2_DIRECT_IO_ALLOW_MMAP (1u << (36 - 32))
#define INIT2_PASSTHROUGH (1u << (37 - 32))
struct backing_map { int32_t fd; uint32_t flags; uint64_t padding; };
#define DEV_IOC_BACKING_OPEN _IOW(229, 1, struct backing_map)
#define DEV_IOC_BACKING_CLOSE _IOW(229, 2, uint32_t)

struct fuse_in { uint32_t len, opcode; uint64_t unique, nodeid; uint32_t uid, gid, pid; uint16_t extlen, pad; };
struct fuse_out { uint32_t len; int32_t error; uint64_t unique; };
struct init_in { uint32_t major, minor, max_readahead, flags, flags2, unused[11]; };
struct init_out {
  uint32_t major, minor, max_readahead, flags;
  uint16_t max_background, congestion_threshold;
  uint32_t max_write, time_gran;
  uint16_t max_pages, map_alignment;
  uint32_t flags2, max_stack_depth, unused[6];
};
struct attr {
  uint64_t ino, size, blocks, atime, mtime, ctime;
  uint32_t atimensec, mtimensec, ctimensec, mode, nlink, uid, gid, rdev, blksize, flags;
};
struct attr_out { uint64_t valid; uint32_t valid_nsec, dummy; struct attr attr; };
struct entry_out { uint64_t nodeid, generation, entry_valid, attr_valid; uint32_t entry_valid_nsec, attr_valid_nsec; struct attr attr; };
struct open_out { uint64_t fh; uint32_t open_flags; int32_t backing_id; };
struct rw_in { uint64_t fh, offset; uint32_t size, flags; uint64_t lock_owner; uint32_t more_flags, pad; };
struct write_out { uint32_t size, pad; };
struct release_in { uint64_t fh; uint32_t flags, release_flags; uint64_t lock_owner; };
enum {
  OPC_LOOKUP = 1, OPC_FORGET = 2, OPC_GETATTR = 3, OPC_OPEN = 14, OPC_READ = 15, OPC_WRITE = 16,
  OPC_RELEASE = 18, OPC_FLUSH = 25, OPC_INIT = 26, OPC_INTERRUPT = 36, OPC_DESTROY = 38, OPC_BATCH_FORGET = 42
};
/* Node ids: 1 the root, 2 the model's one inode, 3 a file only stat'ed to learn that the server is idle. */
enum { NODE_ROOT = 1, NODE_FILE = 2, NODE_SYNC = 3 };

/* Shared between the parent, the server and the workers (MAP_SHARED|MAP_ANONYMOUS before any fork). */
struct control {
  int ready, failed;
  int backing_id[NBACKINGS];
  /* The reply the next OPEN gets, and the model's file slot it opens (-1: a refused open). */
  int next_reply, next_backing, next_slot;
  /* Per slot, since the program began: FUSE_RELEASE and FUSE_WRITE requests the server saw. */
  int released[NFILES], writes[NFILES];
  int reads;
  /* Per slot: FUSE_READs of less than a page, which only a direct read sends (page-cache reads ask for whole pages). */
  int direct_reads[NFILES];
  /* PAGE_CACHE_DATA: the version of the server's data at offset 0. */
  int version;
  /*
   * Direct-io writes in flight, by the model's write slot: the server holds
   * its FUSE_WRITE (held) until the parent asks for the reply (release); the
   * writing thread is in pwrite(2) while busy.
   */
  int dio_held[MAX_DIO], dio_release[MAX_DIO], dio_busy[MAX_DIO], dio_ret[MAX_DIO], dio_err[MAX_DIO];
  /* A caching open in a thread of its own, which may sleep in the kernel: started, in open(2), its result; the model slot it lands in. */
  int wait_started, wait_busy, wait_fd, wait_err, wait_slot;
};
static struct control *ctl;

enum op { OP_OPEN, OP_CLOSE, OP_MMAP, OP_MUNMAP, OP_SPLIT, OP_FAULT, OP_IO, OP_FORK, OP_QUIT, OP_OBSERVE, OP_DIO, OP_DIO_JOIN, OP_OPEN_WAIT, OP_OPEN_JOIN };
struct cmd { int op, file, arg; };

/* DIR is at most 3000 bytes (start), so that every path built on it fits. */
static char dir[3000], mnt[3100], file_path[3200], sync_path[3200], backing_path[NBACKINGS][3200];
static int cmd_pipe[NPROCS][2], ack_pipe[NPROCS][2];
static int alive[NPROCS];
static int machine;
static pid_t server_pid;
/* BACKING_IOCTL: the parent's descriptor of /dev/fuse, for the backing-id ioctls. */
static int dev_fd = -1;
static struct stat file_st, backing_st[NBACKINGS];

/* A worker's own state: descriptors by file slot, and its mappings (pieces after splits). */
static int me = -1;
/* Slot NFILES: an open the model refuses, kept only if the kernel lets it through. */
static int fds[NFILES + 1];
#define MAX_REGIONS 32
struct region { unsigned char *addr; long pages; int kind, file, prot; };
static struct region regions[MAX_REGIONS];
static int nregions;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t in_fault;

static const char *const KIND_NAME[] = { "MAP_PRIVATE", "MAP_SHARED", "backing_file" };

static void fail(const char *what)
{
  printf("repro: %s: %s\n", what, strerror(errno));
  fflush(stdout);
  exit(2);
}

static pid_t parent_pid;

/* A worker or the parent that lost its peer; the parent's exit unmounts (unmount_at_exit). */
static void lost(void)
{
  if (getpid() == parent_pid)
    exit(3);
  _exit(3);
}

static void read_full(int fd, void *buf, size_t n)
{
  char *p = buf;
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      lost();
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
      lost();
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
  case EINVAL: return "EINVAL";
  case ENODEV: return "ENODEV";
  case ETXTBSY: return "ETXTBSY";
  case ELOOP: return "ELOOP";
  case ENOSYS: return "ENOSYS";
  case EOPNOTSUPP: return "EOPNOTSUPP";
  default: {
    static char buf[16];
    snprintf(buf, sizeof buf, "E%d", e);
    return buf;
  }
  }
}

/* One observation by this process about file slot f (-1: about none), machine format; or a sentence. */
static void obs(int f, const char *fmt, ...)
{
  va_list ap;

  if (f < 0)
    printf(machine ? "@obs p%d - " : "    p%d: ", me + 1);
  else
    printf(machine ? "@obs p%d file%d " : "    p%d file%d: ", me + 1, f + 1);
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}

static void obs_ret(int f, const char *op, long ret, int err)
{
  obs(f, "ret %s %ld %s", op, ret, ret < 0 ? errno_name(err) : "0");
}

/*
 * For the summary: whether a call of this command did not end as the step
 * expects (success, or the refusal a refused step names); workers answer
 * each command with it, and the parent notes the steps where one did not.
 */
static int call_failed;
static int step_failed, steps_run, steps_failed;
static char failed_steps[256];

static void expect_ok(int ok)
{
  if (!ok)
    call_failed = 1;
}

/* ---- the server ----------------------------------------------------------- */

static int fuse_fd;
/* fh -> model slot of each open the server answered (fh is 1 + the answer's number). */
#define MAX_OPENS 4096
static int slot_of_fh[MAX_OPENS];
static int opens;

static void reply(uint64_t unique, int err, const void *p, size_t n)
{
  char buf[sizeof(struct fuse_out) + FILE_PAGES * PAGE];
  struct fuse_out *h = (struct fuse_out *)buf;

  h->len = (uint32_t)(sizeof *h + n);
  h->error = err;
  h->unique = unique;
  if (n)
    memcpy(buf + sizeof *h, p, n);
  if (write(fuse_fd, buf, h->len) < 0 && errno != ENOENT)
    printf("server: reply: %s\n", strerror(errno));
}

static void fill_attr(struct attr *a, uint64_t node)
{
  memset(a, 0, sizeof *a);
  a->ino = node;
  if (node == NODE_ROOT) {
    a->mode = S_IFDIR | 0755;
    a->nlink = 2;
    return;
  }
  a->mode = S_IFREG | 0644;
  a->nlink = 1;
  a->size = node == NODE_FILE ? FILE_PAGES * PAGE : 0;
  a->blocks = a->size / 512;
  a->blksize = PAGE;
}

/* Registers the backing files once FUSE_INIT has set fc->passthrough. */
static void open_backings(void)
{
  int b;

  if (BACKING_IOCTL)
    return; /* the steps register them */
  for (b = 0; b < NBACKINGS; b++) {
    int bfd = open(backing_path[b], O_RDWR);
    struct backing_map map = { bfd, 0, 0 };

    if (bfd < 0) {
      printf("server: open %s: %s\n", backing_path[b], strerror(errno));
      ctl->failed = 1;
      return;
    }
    ctl->backing_id[b] = ioctl(fuse_fd, DEV_IOC_BACKING_OPEN, &map);
    if (PASSTHROUGH_INIT != 0) {
      /* fc->passthrough is not set: fuse_backing_open refuses with -EPERM, and the OPEN replies name id 1 unregistered. */
      printf("server: FUSE_DEV_IOC_BACKING_OPEN without fc->passthrough: %s\n", ctl->backing_id[b] < 0 ? errno_name(errno) : "accepted (unexpected)");
      if (ctl->backing_id[b] >= 0)
        ctl->failed = 1;
      ctl->backing_id[b] = 1;
    } else if (ctl->backing_id[b] < 0) {
      printf("server: FUSE_DEV_IOC_BACKING_OPEN %s: %s\n", backing_path[b], errno_name(errno));
      ctl->failed = 1;
    }
    close(bfd); /* the kernel holds its own reference (fuse_backing) */
  }
}

/* The byte at offset 0 of version v of the server's data (PAGE_CACHE_DATA; always SERVER_BYTE otherwise). */
static unsigned char version_byte(int v)
{
  return v == 0 || !PAGE_CACHE_DATA ? SERVER_BYTE : (unsigned char)('a' + (v - 1) % 26);
}

/* What a read of offset 0 returned: the server's data as it is, an older version of it (kept in the page cache), or the backing file's. */
static const char *data_name(unsigned char byte)
{
  int v = __atomic_load_n(&ctl->version, __ATOMIC_SEQ_CST), k;

  if (byte == version_byte(v))
    return "server";
  for (k = 0; k < v; k++)
    if (byte == version_byte(k))
      return "stale";
  return byte == BACKING_BYTE ? "backing" : "other";
}

/* The waiting open's struct file takes its model slot only when the open returns (ctl->wait_slot). */
#define SLOT_OF_WAITER (-2)

static int slot_of(uint64_t fh)
{
  int s = fh >= 1 && fh <= (uint64_t)opens ? slot_of_fh[fh - 1] : -1;

  return s == SLOT_OF_WAITER ? __atomic_load_n(&ctl->wait_slot, __ATOMIC_SEQ_CST) : s;
}

static uint64_t held_unique[MAX_DIO];
static uint32_t held_size[MAX_DIO];

/* Replies to the held FUSE_WRITEs the parent has asked to end (it then sends a request, so that the server wakes). */
static void release_held(void)
{
  int w;

  for (w = 0; w < MAX_DIO; w++) {
    if (__atomic_load_n(&ctl->dio_release[w], __ATOMIC_SEQ_CST) && __atomic_load_n(&ctl->dio_held[w], __ATOMIC_SEQ_CST)) {
      struct write_out o = { held_size[w], 0 };

      __atomic_store_n(&ctl->dio_held[w], 0, __ATOMIC_SEQ_CST);
      __atomic_store_n(&ctl->dio_release[w], 0, __ATOMIC_SEQ_CST);
      reply(held_unique[w], 0, &o, sizeof o);
    }
  }
}

static void serve(void)
{
  static char buf[(1 << 20) + 4096];
  char data[FILE_PAGES * PAGE];

  memset(data, SERVER_BYTE, sizeof data);
  for (;;) {
    ssize_t n = read(fuse_fd, buf, sizeof buf);
    struct fuse_in *h = (struct fuse_in *)buf;
    void *arg = buf + sizeof *h;

    if (n < 0) {
      if (errno == EINTR || errno == ENOENT || errno == EAGAIN)
        continue;
      _exit(0); /* ENODEV: unmounted */
    }
    release_held();
    switch (h->opcode) {
    case OPC_INIT: {
      struct init_in *in = arg;
      struct init_out o;

      memset(&o, 0, sizeof o);
      o.major = 7;
      o.minor = 40;
      o.max_readahead = in->max_readahead;
      o.flags = INIT_EXT;
      o.flags2 = (PASSTHROUGH_INIT == 1 ? 0 : INIT2_PASSTHROUGH) | (DIRECT_IO_ALLOW_MMAP ? INIT2_DIRECT_IO_ALLOW_MMAP : 0);
      o.max_background = 16;
      o.congestion_threshold = 12;
      o.max_write = 128 * 1024;
      o.max_stack_depth = PASSTHROUGH_INIT == 2 ? 0 : 1;
      if (!(in->flags & INIT_EXT) || !(in->flags2 & INIT2_PASSTHROUGH)) {
        printf("server: the kernel (FUSE %u.%u) offers no FUSE_PASSTHROUGH\n", in->major, in->minor);
        ctl->failed = 1;
      }
      reply(h->unique, 0, &o, sizeof o);
      if (!ctl->failed)
        open_backings();
      __atomic_store_n(&ctl->ready, 1, __ATOMIC_SEQ_CST);
      break;
    }
    case OPC_LOOKUP: {
      struct entry_out e;
      const char *name = arg;

      memset(&e, 0, sizeof e);
      if (h->nodeid != NODE_ROOT || (strcmp(name, "file") && strcmp(name, "sync"))) {
        reply(h->unique, -ENOENT, NULL, 0);
        break;
      }
      e.nodeid = strcmp(name, "file") ? NODE_SYNC : NODE_FILE;
      e.entry_valid = e.attr_valid = 86400;
      fill_attr(&e.attr, e.nodeid);
      reply(h->unique, 0, &e, sizeof e);
      break;
    }
    case OPC_GETATTR: {
      struct attr_out a;

      memset(&a, 0, sizeof a);
      a.valid = 86400;
      fill_attr(&a.attr, h->nodeid);
      reply(h->unique, 0, &a, sizeof a);
      break;
    }
    case OPC_OPEN: {
      struct open_out o;
      int r = ctl->next_reply;

      if (SERVER_NO_OPEN) {
        reply(h->unique, -ENOSYS, NULL, 0);
        break;
      }
      memset(&o, 0, sizeof o);
      if (opens < MAX_OPENS)
        slot_of_fh[opens] = ctl->next_slot;
      o.fh = (uint64_t)++opens;
      o.open_flags = r == REPLY_DIRECT_IO ? FOPEN_DIRECT_IO_BIT | (PARALLEL_DIRECT_WRITES ? FOPEN_PARALLEL_DIRECT_WRITES_BIT : 0)
        : r == REPLY_CACHING_KEEP_CACHE ? FOPEN_KEEP_CACHE_BIT
        : r == REPLY_DIRECT_IO_KEEP_CACHE ? FOPEN_DIRECT_IO_BIT | FOPEN_KEEP_CACHE_BIT
        : r == REPLY_PASSTHROUGH ? FOPEN_PASSTHROUGH_BIT
        : r == REPLY_PASSTHROUGH_DIRECT_IO ? FOPEN_PASSTHROUGH_BIT | FOPEN_DIRECT_IO_BIT
        : r == REPLY_PASSTHROUGH_KEEP_CACHE ? FOPEN_PASSTHROUGH_BIT | FOPEN_KEEP_CACHE_BIT : 0;
      if (REPLY_IS_PASSTHROUGH(r))
        o.backing_id = BACKING_IOCTL ? ctl->next_backing : ctl->backing_id[ctl->next_backing - 1];
      reply(h->unique, 0, &o, sizeof o);
      break;
    }
    case OPC_READ: {
      struct rw_in *in = arg;
      long size = FILE_PAGES * PAGE;
      long len = in->offset >= (uint64_t)size ? 0 : size - (long)in->offset;

      if (len > (long)in->size)
        len = in->size;
      __atomic_add_fetch(&ctl->reads, 1, __ATOMIC_SEQ_CST);
      data[0] = in->offset == 0 ? version_byte(__atomic_load_n(&ctl->version, __ATOMIC_SEQ_CST)) : SERVER_BYTE;
      if (in->size < (uint32_t)PAGE && slot_of(in->fh) >= 0)
        __atomic_add_fetch(&ctl->direct_reads[slot_of(in->fh)], 1, __ATOMIC_SEQ_CST);
      reply(h->unique, 0, data, (size_t)len);
      break;
    }
    case OPC_WRITE: {
      struct rw_in *in = arg;
      struct write_out o = { in->size, 0 };
      int s = slot_of(in->fh);

      if (DIO_WRITES > 0 && in->offset >= (uint64_t)DIO_BASE && in->offset < (uint64_t)(DIO_BASE + MAX_DIO * PAGE)) {
        int w = (int)((in->offset - DIO_BASE) / PAGE);

        held_unique[w] = h->unique;
        held_size[w] = in->size;
        __atomic_store_n(&ctl->dio_held[w], 1, __ATOMIC_SEQ_CST);
        release_held(); /* at the program's end every write is let go, those that come late too */
        break; /* in flight until the step that ends it */
      }
      if (s >= 0)
        __atomic_add_fetch(&ctl->writes[s], 1, __ATOMIC_SEQ_CST);
      reply(h->unique, 0, &o, sizeof o);
      break;
    }
    case OPC_RELEASE: {
      int s = slot_of(((struct release_in *)arg)->fh);

      if (s >= 0)
        __atomic_add_fetch(&ctl->released[s], 1, __ATOMIC_SEQ_CST);
      reply(h->unique, 0, NULL, 0);
      break;
    }
    case OPC_FORGET: case OPC_BATCH_FORGET: case OPC_INTERRUPT:
      break; /* no reply */
    case OPC_DESTROY:
      reply(h->unique, 0, NULL, 0);
      break;
    default:
      /* FLUSH, GETXATTR, ...: ENOSYS, which the kernel remembers (fc->no_flush ...). */
      reply(h->unique, -ENOSYS, NULL, 0);
    }
  }
}

/* However the parent ends, the mount goes and the server with it. */
static void unmount_at_exit(void)
{
  if (getpid() != parent_pid)
    return;
  umount2(mnt, MNT_DETACH);
  if (server_pid > 0)
    kill(server_pid, SIGKILL);
}

/* Mounts the FUSE file system on DIR/mnt and starts its server; the backing files live in DIR. */
static void mount_fuse(void)
{
  char opts[128], ones[FILE_PAGES * PAGE];
  int b, fd, i;

  ctl = mmap(NULL, sizeof *ctl, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (ctl == MAP_FAILED)
    fail("mmap control page");
  memset(ones, BACKING_BYTE, sizeof ones);
  for (b = 0; b < NBACKINGS; b++) {
    fd = open(backing_path[b], O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, ones, sizeof ones) != (ssize_t)sizeof ones)
      fail(backing_path[b]);
    if (fstat(fd, &backing_st[b]) != 0)
      fail("fstat backing file");
    close(fd);
  }
  if (mkdir(mnt, 0755) != 0 && errno != EEXIST)
    fail(mnt);
  fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (fuse_fd < 0)
    fail("/dev/fuse");
  snprintf(opts, sizeof opts, "fd=%d,rootmode=40000,user_id=0,group_id=0", fuse_fd);
  if (mount("daxcheck", mnt, "fuse", MS_NOSUID | MS_NODEV, opts) != 0)
    fail("mount -t fuse (needs root)");
  atexit(unmount_at_exit);
  fflush(stdout);
  server_pid = fork();
  if (server_pid < 0)
    fail("fork");
  if (server_pid == 0) {
    signal(SIGCHLD, SIG_DFL);
    serve();
  }
  if (BACKING_IOCTL)
    dev_fd = fuse_fd;
  else
    close(fuse_fd);
  /* The first request waits for FUSE_INIT's reply. */
  if (stat(file_path, &file_st) != 0)
    fail(file_path);
  for (i = 0; i < 1000 && !__atomic_load_n(&ctl->ready, __ATOMIC_SEQ_CST); i++)
    usleep(1000);
  if (!ctl->ready || ctl->failed) {
    printf("repro: the FUSE server could not set up passthrough (FUSE_PASSTHROUGH and FUSE_DEV_IOC_BACKING_OPEN need a 6.9+ kernel with CONFIG_FUSE_PASSTHROUGH, and root)\n");
    exit(2);
  }
}

/*
 * Every request queued before this one has been answered when it returns:
 * a FUSE_RELEASE goes to the background queue at close, in order, ahead of
 * this forced FUSE_GETATTR (fs/fuse/dev.c fuse_request_queue_background).
 */
static void server_idle(void)
{
  struct statx stx;

  if (statx(AT_FDCWD, sync_path, AT_STATX_FORCE_SYNC, STATX_BASIC_STATS, &stx) != 0)
    printf("repro: statx %s: %s\n", sync_path, strerror(errno));
}

/* ---- the workers ---------------------------------------------------------- */

static void on_fault_signal(int sig)
{
  if (in_fault)
    siglongjmp(fault_jmp, sig);
  signal(sig, SIG_DFL);
  raise(sig);
}

/* The region of this process that maps `kind` of slot f (any slot for the backing file), and has at least `pages` pages. */
static int region_of(int kind, int f, long pages)
{
  int r, best = -1;

  for (r = 0; r < nregions; r++) {
    if (regions[r].kind != kind || (kind != MAP_KIND_BACKING && regions[r].file != f) || regions[r].pages < pages)
      continue;
    if (best < 0 || regions[r].pages > regions[best].pages)
      best = r;
  }
  return best;
}

static int neighbour_prot(unsigned char *at)
{
  int r;

  for (r = 0; r < nregions; r++)
    if (regions[r].addr == at)
      return regions[r].prot;
  return -1;
}

/*
 * Splits a piece in two with mprotect on its upper half (mm/vma.c
 * __split_vma). The upper half takes a protection neither the lower half
 * nor the piece above it has, so that vma_merge joins nothing back.
 */
static void split(int kind, int f)
{
  static const int prots[] = { PROT_READ | PROT_WRITE, PROT_READ, PROT_READ | PROT_EXEC };
  int r = region_of(kind, f, 2), k, prot = -1, rc;
  long half;

  if (r < 0 || nregions == MAX_REGIONS) {
    obs(f, "note no-region-to-split %s", KIND_NAME[kind]);
    return;
  }
  half = regions[r].pages / 2;
  for (k = 0; k < 3 && prot < 0; k++)
    if (prots[k] != regions[r].prot && prots[k] != neighbour_prot(regions[r].addr + regions[r].pages * PAGE))
      prot = prots[k];
  rc = mprotect(regions[r].addr + (regions[r].pages - half) * PAGE, (size_t)(half * PAGE), prot);
  expect_ok(rc == 0);
  obs(f, "ret mprotect %d %s", rc, rc < 0 ? errno_name(errno) : "0");
  if (rc == 0) {
    regions[nregions] = regions[r];
    regions[nregions].addr = regions[r].addr + (regions[r].pages - half) * PAGE;
    regions[nregions].pages = half;
    regions[nregions].prot = prot;
    regions[r].pages -= half;
    nregions++;
  }
}

/*
 * This process's VMAs of the inode, from /proc/self/maps: page-cache VMAs by
 * sharing ('s' or 'p'), and VMAs of the backing file. maps shows a backing
 * file's VMA under the FUSE inode (file_user_inode, fs/proc/task_mmu.c
 * show_map_vma, 6.12), so each such VMA is told apart by what a load from it
 * returns: the backing file's bytes, not the server's. A load from a
 * page-cache VMA is a filemap_fault, which changes no I/O mode.
 */
static void observe_vmas(void)
{
  char line[512];
  unsigned long start, end, ino;
  unsigned maj, min;
  char perms[8];
  int count[3] = { 0, 0, 0 }, b, sig;
  volatile int kind;
  FILE *m = fopen("/proc/self/maps", "r");

  if (!m) {
    obs(-1, "note /proc/self/maps %s", errno_name(errno));
    return;
  }
  while (fgets(line, sizeof line, m)) {
    if (sscanf(line, "%lx-%lx %7s %*s %x:%x %lu", &start, &end, perms, &maj, &min, &ino) != 6)
      continue;
    if (ino == file_st.st_ino && makedev(maj, min) == file_st.st_dev) {
      kind = perms[3] == 's' ? MAP_KIND_SHARED : MAP_KIND_PRIVATE;
      sig = sigsetjmp(fault_jmp, 1);
      if (sig == 0) {
        in_fault = 1;
        if (*(volatile unsigned char *)(PAGE_CACHE_DATA ? end - PAGE : start) == BACKING_BYTE)
          kind = MAP_KIND_BACKING;
      }
      in_fault = 0;
      count[kind]++;
      continue;
    }
    for (b = 0; b < NBACKINGS; b++)
      if (ino == backing_st[b].st_ino && makedev(maj, min) == backing_st[b].st_dev)
        count[MAP_KIND_BACKING]++;
  }
  fclose(m);
  obs(-1, "vmas MAP_PRIVATE=%d MAP_SHARED=%d backing_file=%d", count[0], count[1], count[2]);
}

/* Waits up to ms milliseconds for *v to become want. */
static int wait_until(int *v, int want, int ms)
{
  int i;

  for (i = 0; i < ms && __atomic_load_n(v, __ATOMIC_SEQ_CST) != want; i++)
    usleep(1000);
  return __atomic_load_n(v, __ATOMIC_SEQ_CST) == want;
}

static void start_thread(void *(*fn)(void *), void *arg)
{
  pthread_t t;

  if (pthread_create(&t, NULL, fn, arg) != 0)
    fail("pthread_create");
  pthread_detach(t);
}

/* A dio write of the model's slot w: one byte at DIO_BASE + w pages, in a thread, as a second thread of the process would. */
struct dio_arg { int fd, w; };

static void *dio_thread(void *p)
{
  struct dio_arg *a = p;
  unsigned char byte = 'W';
  long r = pwrite(a->fd, &byte, 1, DIO_BASE + a->w * PAGE);

  ctl->dio_ret[a->w] = (int)r;
  ctl->dio_err[a->w] = r < 0 ? errno : 0;
  __atomic_store_n(&ctl->dio_busy[a->w], 0, __ATOMIC_SEQ_CST);
  return NULL;
}

/* The caching open that may sleep in fuse_file_cached_io_open, in a thread. */
static void *open_thread(void *p)
{
  int fd = open(file_path, O_RDWR);

  (void)p;
  ctl->wait_err = fd < 0 ? errno : 0;
  ctl->wait_fd = fd;
  __atomic_store_n(&ctl->wait_busy, 0, __ATOMIC_SEQ_CST);
  return NULL;
}

static void serve_cmd(struct cmd c)
{
  int f = c.file, r, k;
  unsigned char byte;

  switch (c.op) {
  case OP_OPEN:
    fds[f] = open(file_path, O_RDWR | (ctl->next_reply == REPLY_CACHING_ODIRECT ? O_DIRECT : 0));
    expect_ok((fds[f] >= 0) == (f != NFILES));
    obs_ret(f == NFILES ? -1 : f, "open", fds[f], errno);
    break;
  case OP_CLOSE:
    r = close(fds[f]);
    expect_ok(r == 0);
    obs_ret(f, "close", r, errno);
    fds[f] = -1;
    break;
  case OP_MMAP: {
    /* arg: the kind the model expects the mapping to be, and MMAP_SHARED for MAP_SHARED. */
    int shared = (c.arg & MMAP_SHARED) != 0;
    void *p = mmap(NULL, (size_t)(FILE_PAGES * PAGE), PROT_READ | PROT_WRITE, shared ? MAP_SHARED : MAP_PRIVATE, fds[f], 0);

    expect_ok((p == MAP_FAILED) == ((c.arg & MMAP_REFUSED) != 0));
    obs_ret(f, "mmap", p == MAP_FAILED ? -1 : 0, errno);
    if (p != MAP_FAILED && PAGE_CACHE_DATA && madvise(p, (size_t)(FILE_PAGES * PAGE), MADV_RANDOM) != 0)
      obs(f, "note madvise %s", errno_name(errno));
    if (p != MAP_FAILED && nregions < MAX_REGIONS) {
      /* The model says what it maps (a passthrough file maps its backing file); maps are observed separately. */
      regions[nregions].addr = p;
      regions[nregions].pages = FILE_PAGES;
      regions[nregions].kind = c.arg & ~(MMAP_SHARED | MMAP_REFUSED);
      regions[nregions].file = f;
      regions[nregions].prot = PROT_READ | PROT_WRITE;
      nregions++;
    }
    break;
  }
  case OP_MUNMAP:
    k = region_of(c.arg, f, 1);
    if (k < 0) {
      obs(f, "note no-region-to-unmap %s", KIND_NAME[c.arg]);
      break;
    }
    r = munmap(regions[k].addr, (size_t)(regions[k].pages * PAGE));
    expect_ok(r == 0);
    obs_ret(f, "munmap", r, errno);
    regions[k] = regions[--nregions];
    break;
  case OP_SPLIT:
    split(c.arg, f);
    break;
  case OP_FAULT: {
    int sig;

    k = region_of(c.arg, f, 1);
    if (k < 0) {
      obs(f, "note no-region-to-fault %s", KIND_NAME[c.arg]);
      break;
    }
    sig = sigsetjmp(fault_jmp, 1);
    if (sig) {
      in_fault = 0;
      call_failed = 1;
      obs(f, "signal %s", sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
      break;
    }
    in_fault = 1;
    byte = regions[k].addr[(regions[k].pages - 1) * PAGE];
    in_fault = 0;
    obs(f, "data %s", byte == SERVER_BYTE ? "server" : byte == BACKING_BYTE ? "backing" : "other");
    break;
  }
  case OP_IO:
    /* read(2) then write(2) of the byte it read, so that both directions take the file's path. */
    r = (int)pread(fds[f], &byte, 1, 0);
    expect_ok(r == 1);
    obs_ret(f, "read", r, errno);
    if (r == 1)
      obs(f, "data %s", data_name(byte));
    r = (int)pwrite(fds[f], &byte, 1, 1);
    expect_ok(r == 1);
    obs_ret(f, "write", r, errno);
    break;
  case OP_OBSERVE:
    observe_vmas();
    break;
  case OP_DIO: {
    static struct dio_arg args[MAX_DIO];

    args[c.arg].fd = fds[f];
    args[c.arg].w = c.arg;
    start_thread(dio_thread, &args[c.arg]);
    break;
  }
  case OP_DIO_JOIN:
    if (!wait_until(&ctl->dio_busy[c.arg], 0, 10000)) {
      obs(f, "note write-still-in-flight");
      call_failed = 1;
      break;
    }
    expect_ok(ctl->dio_ret[c.arg] == 1);
    obs_ret(f, "write", ctl->dio_ret[c.arg], ctl->dio_err[c.arg]);
    break;
  case OP_OPEN_WAIT:
    start_thread(open_thread, NULL);
    break;
  case OP_OPEN_JOIN:
    /* f: the slot the open lands in, NFILES if refused; -1: the model says it is still asleep. */
    if (f < 0) {
      expect_ok(__atomic_load_n(&ctl->wait_busy, __ATOMIC_SEQ_CST) == 1);
      break;
    }
    if (!wait_until(&ctl->wait_busy, 0, 10000)) {
      obs(-1, "note open-still-asleep");
      call_failed = 1;
      break;
    }
    fds[f] = ctl->wait_fd;
    __atomic_store_n(&ctl->wait_started, 0, __ATOMIC_SEQ_CST);
    expect_ok((fds[f] >= 0) == (f != NFILES));
    obs_ret(f == NFILES ? -1 : f, "open", fds[f], ctl->wait_err);
    break;
  }
}

static void worker_loop(void)
{
  struct cmd c;
  int reply_v, f, r;
  pid_t pid;

  for (;;) {
    read_full(cmd_pipe[me][0], &c, sizeof c);
    reply_v = 0;
    if (c.op == OP_FORK) {
      fflush(stdout);
      pid = fork();
      if (pid < 0)
        fail("fork");
      if (pid == 0) {
        /* The child is process q from now on, with p's descriptors and mappings. */
        me = c.arg;
        continue;
      }
      reply_v = (int)pid;
    } else if (c.op == OP_QUIT) {
      for (r = 0; r < nregions; r++)
        munmap(regions[r].addr, (size_t)(regions[r].pages * PAGE));
      for (f = 0; f <= NFILES; f++)
        if (fds[f] >= 0)
          close(fds[f]);
      write_full(ack_pipe[me][1], &reply_v, sizeof reply_v);
      _exit(0);
    } else {
      call_failed = 0;
      serve_cmd(c);
      reply_v = call_failed;
    }
    fflush(stdout);
    write_full(ack_pipe[me][1], &reply_v, sizeof reply_v);
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

static int run(int p, int op, int f, int arg)
{
  struct cmd c = { op, f, arg };
  int r;

  if (!alive[p])
    spawn(p);
  write_full(cmd_pipe[p][1], &c, sizeof c);
  read_full(ack_pipe[p][0], &r, sizeof r);
  if (op == OP_QUIT)
    alive[p] = 0;
  else if (op != OP_FORK && op != OP_OBSERVE && r)
    step_failed = 1;
  return r;
}

/* ---- what the steps call -------------------------------------------------- */

/* open(2) by p, which the server answers with `reply` (and backing id `backing` for passthrough); slot: the model's file, -1 refused. */
HELPER void open_file(int p, int slot, int reply_kind, int backing)
{
  ctl->next_reply = reply_kind;
  ctl->next_backing = backing;
  ctl->next_slot = slot;
  run(p, OP_OPEN, slot < 0 ? NFILES : slot, 0);
}

HELPER void close_file(int p, int f) { run(p, OP_CLOSE, f, 0); }
/* mmap(2) of slot f, MAP_SHARED or not; the model expects it to map `kind`, or (refused) to fail. */
HELPER void mmap_file(int p, int f, int kind, int shared, int refused)
{
  run(p, OP_MMAP, f, kind | (shared ? MMAP_SHARED : 0) | (refused ? MMAP_REFUSED : 0));
}
HELPER void munmap_vma(int p, int kind, int f) { run(p, OP_MUNMAP, f, kind); }
HELPER void split_vma(int p, int kind, int f) { run(p, OP_SPLIT, f, kind); }
HELPER void fault_vma(int p, int kind, int f) { run(p, OP_FAULT, f, kind); }
HELPER void file_io(int p, int f) { run(p, OP_IO, f, 0); }

/* DioWrite: a thread of p writes file f (model slot w); it reaches the server, or sleeps on the inode lock. */
HELPER void dio_write(int p, int f, int w)
{
  __atomic_store_n(&ctl->dio_busy[w], 1, __ATOMIC_SEQ_CST);
  run(p, OP_DIO, f, w);
  /* In flight when the server holds it; not there after 500 ms: asleep on the lock (the observation says which). */
  wait_until(&ctl->dio_held[w], 1, 500);
}

/* The kernel's own steps (a lock granted, a mode checked, a woken open run): the program lets it act. */
HELPER void kernel_settles(void)
{
  usleep(300000);
}

/* DioWriteDone: the server replies to write w, and p's thread returns from pwrite(2). */
HELPER void dio_done(int p, int f, int w)
{
  __atomic_store_n(&ctl->dio_release[w], 1, __ATOMIC_SEQ_CST);
  server_idle();
  run(p, OP_DIO_JOIN, f, w);
  usleep(300000); /* what the end lets in: a sleeping write, a woken open */
}

/* OpenWaits: a caching open in a thread of p; the kernel lets it sleep. */
HELPER void open_wait(int p)
{
  ctl->next_reply = REPLY_CACHING;
  ctl->next_backing = 1;
  ctl->next_slot = SLOT_OF_WAITER;
  __atomic_store_n(&ctl->wait_slot, -1, __ATOMIC_SEQ_CST);
  __atomic_store_n(&ctl->wait_busy, 1, __ATOMIC_SEQ_CST);
  __atomic_store_n(&ctl->wait_started, 1, __ATOMIC_SEQ_CST);
  run(p, OP_OPEN_WAIT, 0, 0);
  usleep(500000);
}

/* OpenWakes: the open returns into slot (NFILES: refused), or (slot -1) is asleep again. */
HELPER void open_wake(int p, int slot)
{
  if (slot >= 0 && slot < NFILES)
    __atomic_store_n(&ctl->wait_slot, slot, __ATOMIC_SEQ_CST);
  run(p, OP_OPEN_JOIN, slot, 0);
}

/* FUSE_DEV_IOC_BACKING_OPEN of backing file `id` (the model's id-th registration), by the server's side; refused: the step expects an error. */
HELPER void backing_open(int id, int refused)
{
  int bfd = open(backing_path[(id - 1) % NBACKINGS], O_RDWR), r, e;
  struct backing_map map = { bfd, 0, 0 };

  r = ioctl(dev_fd, DEV_IOC_BACKING_OPEN, &map);
  e = errno;
  close(bfd); /* the fuse_backing holds its own reference */
  if ((r < 0) != refused || (!refused && r != id))
    step_failed = 1;
  printf(machine ? "@obs server - ret backing_open %d %s\n" : "    server: FUSE_DEV_IOC_BACKING_OPEN = %d (%s)\n", r, r < 0 ? errno_name(e) : "0");
}

/* FUSE_DEV_IOC_BACKING_CLOSE of id. */
HELPER void backing_close(int id, int refused)
{
  uint32_t arg = (uint32_t)id;
  int r = ioctl(dev_fd, DEV_IOC_BACKING_CLOSE, &arg), e = errno;

  if ((r < 0) != refused)
    step_failed = 1;
  printf(machine ? "@obs server - ret backing_close %d %s\n" : "    server: FUSE_DEV_IOC_BACKING_CLOSE = %d (%s)\n", r, r < 0 ? errno_name(e) : "0");
}

/*
 * BACKING_IOCTL: the errors of the ioctls that depend on their arguments and
 * the caller, not on the state, tried once at set-up (fs/fuse/passthrough.c
 * fuse_backing_open / fuse_backing_close, v6.12): flags not 0 and id 0 are
 * -EINVAL, a caller without CAP_SYS_ADMIN -EPERM, an id never given -ENOENT.
 * Each uses an id or a descriptor no step uses, and registers nothing.
 */
static void probe_backing_errors(void)
{
  int bfd = open(backing_path[0], O_RDWR), r, st, bad = 0;
  struct backing_map map = { bfd, 1, 0 };
  uint32_t id = 0;
  pid_t pid;

  r = ioctl(dev_fd, DEV_IOC_BACKING_OPEN, &map);
  printf("server: probe BACKING_OPEN flags=1: %s (fuse_backing_open: -EINVAL)\n", r < 0 ? errno_name(errno) : "accepted");
  bad |= !(r < 0 && errno == EINVAL);
  r = ioctl(dev_fd, DEV_IOC_BACKING_CLOSE, &id);
  printf("server: probe BACKING_CLOSE id=0: %s (fuse_backing_close: -EINVAL)\n", r < 0 ? errno_name(errno) : "accepted");
  bad |= !(r < 0 && errno == EINVAL);
  id = 1000;
  r = ioctl(dev_fd, DEV_IOC_BACKING_CLOSE, &id);
  printf("server: probe BACKING_CLOSE id=1000: %s (fuse_backing_close: -ENOENT)\n", r < 0 ? errno_name(errno) : "accepted");
  bad |= !(r < 0 && errno == ENOENT);
  fflush(stdout);
  signal(SIGCHLD, SIG_DFL); /* so that waitpid finds the child */
  pid = fork();
  if (pid == 0) {
    struct backing_map m = { bfd, 0, 0 };

    /* uid 0 -> 65534 clears every capability (capabilities(7)). */
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
      _exit(2);
    r = ioctl(dev_fd, DEV_IOC_BACKING_OPEN, &m);
    printf("server: probe BACKING_OPEN without CAP_SYS_ADMIN: %s (fuse_backing_open: -EPERM)\n", r < 0 ? errno_name(errno) : "accepted");
    fflush(stdout);
    _exit(r < 0 && errno == EPERM ? 0 : 1);
  }
  if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
    bad = 1;
  signal(SIGCHLD, SIG_IGN);
  close(bfd);
  if (bad) {
    printf("repro: a backing-id ioctl did not fail as fs/fuse/passthrough.c says (above)\n");
    exit(2);
  }
}

/* ServerChangesData: the server's data at offset 0 changes, and the kernel is not told. */
HELPER void server_changes(void)
{
  __atomic_add_fetch(&ctl->version, 1, __ATOMIC_SEQ_CST);
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

static int last_step = -1;
static int seen_released[NFILES], seen_writes[NFILES], seen_direct_reads[NFILES];

/* After a step: what the server saw (once it is idle), then every live process's mappings. */
static void observe_all(void)
{
  int p, f, n;

  server_idle();
  for (f = 0; f < NFILES; f++) {
    n = __atomic_load_n(&ctl->released[f], __ATOMIC_SEQ_CST);
    if (n != seen_released[f])
      printf(machine ? "@obs server file%d release %d\n" : "    server: FUSE_RELEASE of file%d (%d)\n", f + 1, n - seen_released[f]);
    seen_released[f] = n;
    n = __atomic_load_n(&ctl->writes[f], __ATOMIC_SEQ_CST);
    if (n != seen_writes[f])
      printf(machine ? "@obs server file%d writes %d\n" : "    server: FUSE_WRITE through file%d (%d)\n", f + 1, n - seen_writes[f]);
    seen_writes[f] = n;
    n = __atomic_load_n(&ctl->direct_reads[f], __ATOMIC_SEQ_CST);
    if (n != seen_direct_reads[f])
      printf(machine ? "@obs server file%d directreads %d\n" : "    server: FUSE_READ of less than a page through file%d (%d): a direct read\n", f + 1, n - seen_direct_reads[f]);
    seen_direct_reads[f] = n;
  }
  if (DIO_WRITES > 0) {
    /* Which writes the server holds (in flight), and whether the caching open of a thread sleeps in the kernel. */
    printf(machine ? "@obs server - inflight" : "    server: FUSE_WRITEs held:");
    for (f = 0; f < MAX_DIO; f++)
      printf(" %d", __atomic_load_n(&ctl->dio_held[f], __ATOMIC_SEQ_CST));
    printf("\n");
    n = __atomic_load_n(&ctl->wait_started, __ATOMIC_SEQ_CST);
    printf(machine ? "@obs server - waiter %s\n" : "    the waiting open: %s\n",
           !n ? "none" : __atomic_load_n(&ctl->wait_busy, __ATOMIC_SEQ_CST) ? "asleep" : "returned");
  }
  fflush(stdout);
  for (p = 0; p < NPROCS; p++)
    if (alive[p])
      run(p, OP_OBSERVE, 0, 0);
}

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
  if (last_step >= 0)
    observe_all();
  tally();
  if (machine)
    printf("@step %d %s\n", n, label);
  else
    printf("step %d: %s    [%s]\n", n, label, words);
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

static void start(int argc, char **argv)
{
  int opt, i;

  parent_pid = getpid();
  machine = getenv("DAXCHECK_OBS") != NULL && strcmp(getenv("DAXCHECK_OBS"), "1") == 0;
  while ((opt = getopt(argc, argv, "irm")) != -1) {
    if (opt == 'm')
      machine = 1;
    else if (opt != 'r' && opt != 'i') /* -i, -r: no step of this model is done by hand */
      goto usage;
  }
  if (optind != argc - 1)
    goto usage;
  if (strlen(argv[optind]) >= sizeof dir)
    goto usage;
  snprintf(dir, sizeof dir, "%s", argv[optind]);
  snprintf(mnt, sizeof mnt, "%s/mnt", dir);
  snprintf(file_path, sizeof file_path, "%s/file", mnt);
  snprintf(sync_path, sizeof sync_path, "%s/sync", mnt);
  for (i = 0; i < NBACKINGS; i++)
    snprintf(backing_path[i], sizeof backing_path[i], "%s/backing%d", dir, i + 1);
  for (i = 0; i <= NFILES; i++)
    fds[i] = -1;
  for (i = 0; i < NPROCS; i++)
    if (pipe(cmd_pipe[i]) != 0 || pipe(ack_pipe[i]) != 0)
      fail("pipe");
  signal(SIGCHLD, SIG_IGN);
  signal(SIGBUS, on_fault_signal);
  signal(SIGSEGV, on_fault_signal);
  setvbuf(stdout, NULL, _IOLBF, 0);
  return;
usage:
  fprintf(stderr, "usage: %s [-i] [-m] DIR   (as root; DIR an empty directory: the FUSE file system is mounted on DIR/mnt, backing files in DIR)\n", argv[0]);
  exit(2);
}

static void settle(void)
{
  mount_fuse();
  if (BACKING_IOCTL && PASSTHROUGH_INIT == 0)
    probe_backing_errors();
  /* p1 is alive from the start (the model's initial state): a trace may begin with a step of the server's, after which p1's mappings are observed. */
  if (!alive[0])
    spawn(0);
  if (!machine)
    printf("setup: FUSE mounted on %s (server pid %d), %d backing file(s) registered\n", mnt, (int)server_pid, NBACKINGS);
  step(0, "initial state", "no file of the inode is open");
}

static void finish(void)
{
  int p;

  if (last_step >= 0)
    observe_all();
  tally();
  /* A write still in flight holds the inode lock, and each close's fuse_flush would sleep on it: end them first. */
  for (p = 0; p < MAX_DIO; p++)
    __atomic_store_n(&ctl->dio_release[p], 1, __ATOMIC_SEQ_CST);
  if (DIO_WRITES > 0) {
    server_idle();
    for (p = 0; p < MAX_DIO; p++) {
      /* A write that slept on the lock reaches the server only now; the flag lets it go at once. */
      wait_until(&ctl->dio_busy[p], 0, 5000);
      server_idle();
    }
    wait_until(&ctl->wait_busy, 0, 5000);
  }
  for (p = 0; p < NPROCS; p++)
    exit_proc(p);
  if (!machine) {
    printf("summary: %d steps; the kernel's return values were what the model's step expects in %d", steps_run, steps_run - steps_failed);
    if (steps_failed)
      printf("; not in step%s %s", steps_failed > 1 ? "s" : "", failed_steps);
    printf(" (releases, writes and mappings are printed beside the model's lines; daxcheck conform checks them all)\n");
  }
  printf(machine ? "@done\n" : "done\n");
}
