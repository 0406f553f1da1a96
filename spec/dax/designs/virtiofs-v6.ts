import type { DaxDesign } from './design.js';

export const virtiofsV6 = {
  summary: 'virtiofs as landed (v6/v7, 5.17): S_DAX from FUSE_ATTR_DAX at fuse_iget; DONTCACHE only when FUSE_ATTR_DAX really '
    + 'differs from S_DAX at a lookup or getattr; the ioctl is forwarded and marks nothing',
  source: 'v6 cover <20211011030052.98923-1-jefflexu@linux.alibaba.com>, seed 002, items 1-2, patch 6/7; fs/fuse/dax.c fuse_dax_dontcache (5.17+)',
  flavour: 'virtiofs',
} satisfies DaxDesign;
