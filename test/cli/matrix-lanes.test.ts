// Several models' verdict tables on more than one thread (cli/matrix-lanes.ts):
// the same tables as one thread makes, shown in the models' order.

import { describe, expect, it } from 'vitest';
import { runMatrix, type MatrixResult } from '../../checker/matrix.js';
import { tablesInLanes } from '../../cli/matrix-lanes.js';
import { benchModel } from '../../spec/bench/index.js';

/** A table without what depends on the clock. */
const timeless = (m: MatrixResult) => JSON.parse(JSON.stringify({ ...m, seconds: 0, runs: m.runs.map((r) => ({ ...r, seconds: 0, statesPerSecond: 0, peakRssBytes: 0 })) }));

describe('matrix over several models', () => {
  it('gives each model the table one thread gives it, shown in order', async () => {
    const shown: string[] = [];
    const tables = await tablesInLanes(['bench', 'bench', 'bench'], {}, false, (m) => shown.push(`${m.model}:${m.runs.length}`));
    expect(shown).toEqual(['bench:2', 'bench:2', 'bench:2']);
    const alone = timeless(runMatrix(benchModel, {}));
    for (const t of tables) expect(timeless(t)).toEqual(alone);
  });

  it('an unknown model is the user\'s error, whichever thread takes it', async () => {
    await expect(tablesInLanes(['bench', 'nosuch'], {}, false, () => {})).rejects.toThrow(/unknown model 'nosuch'/);
    await expect(tablesInLanes(['nosuch', 'bench'], {}, false, () => {})).rejects.toThrow(/unknown model 'nosuch'/);
  });
});
