// virtiofs: whether the entry/attribute timeout the server sent can pass
// within a behaviour of the model. The model has no clock, only "valid" and
// "expired"; what it needs is whether expiry is a step that can (and, for
// liveness, eventually does) happen.
//
// The kernel has no timeout that never expires. fs/fuse/dir.c time_to_jiffies
// (6.12, unchanged since 2.6) turns the reply's entry_valid/attr_valid into a
// deadline: 0 s gives 0, expired at once (fuse_dentry_revalidate and
// fuse_dentry_delete test time_before64(deadline, get_jiffies_64())); any
// other value gives get_jiffies_64() + timespec64_to_jiffies(), and
// timespec64_to_jiffies saturates at MAX_SEC_IN_JIFFIES (kernel/time/time.c;
// MAX_JIFFY_OFFSET in include/linux/jiffies.h), so even the largest
// entry_valid a server can send is a finite deadline.
//
// virtiofsd's cache= picks the value: none 0 s, auto 1 s, always 86400 s
// (virtiofsd src/main.rs, the `timeout` derived from opt.cache; QEMU's C
// virtiofsd tools/virtiofsd/passthrough_ll.c main(): lo.timeout = 86400.0 for
// CACHE_ALWAYS, unless -o timeout= set it). So cache=always is "one day", not
// "never": `alwaysTimeout=beyond-run` checks behaviours shorter than that day
// (the old reading, the default), `alwaysTimeout=expires` lets the day pass.

import type { Constants } from './constants.js';

/** The timeout is finite and not zero, and the run lets it pass: there is a Timeout step. */
export function timeoutPasses(c: Pick<Constants, 'cache' | 'alwaysTimeout'>): boolean {
  return c.cache === 'auto' || (c.cache === 'always' && c.alwaysTimeout === 'expires');
}

/** The server's timeout is zero: every reply leaves the dentry and attributes expired at once. */
export function timeoutIsZero(c: Pick<Constants, 'cache'>): boolean {
  return c.cache === 'none';
}
