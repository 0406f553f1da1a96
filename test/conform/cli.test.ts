// `daxcheck conform`'s bad input, without a VM: exit 2 and one line naming what is accepted.

import { describe, expect, it } from 'vitest';
import { daxcheck } from '../../testkit/cli.js';

describe('daxcheck conform, bad input', () => {
  it('an unknown file system, in a list', () => {
    const r = daxcheck('conform', 'dax', '--fs', 'ext4,btrfs');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('daxcheck: error: --fs ext4,btrfs: accepted file systems are ext4, xfs');
  });

  it('an empty name in the list', () => {
    const r = daxcheck('conform', 'dax', '--fs', 'ext4,');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("daxcheck: error: --fs takes names, one or more separated by commas, got 'ext4,'");
  });

  it('a model with no reproducer', () => {
    const r = daxcheck('conform', 'passthrough');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('model passthrough cannot be run on a kernel');
  });
});
