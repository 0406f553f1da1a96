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

  it('a model whose reproducer has no observation rules (bench)', () => {
    const r = daxcheck('conform', 'bench');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('model bench cannot be run on a kernel');
  });

  it('a file system the passthrough model does not take, naming those it takes', () => {
    const r = daxcheck('conform', 'passthrough', '--fs', 'btrfs');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('daxcheck: error: --fs btrfs: accepted file systems for model passthrough are tmpfs, ext4, xfs');
  });
});
