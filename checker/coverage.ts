// Per-action coverage, as TLC reports it: transitions each action instance
// produced, and in how many states each action was enabled. Counted per
// successor by whichever engine takes it (local.ts, parallel/worker-engine.ts).

export class Coverage {
  /** Transitions per action instance. */
  generatedBy: Float64Array;
  /** States in which the action was enabled, per action. */
  enabledStates: Float64Array;
  /** The last state each action was counted enabled in. */
  private readonly lastEnabledIn: Float64Array;

  constructor(private readonly actionOf: Int32Array, actions: number) {
    this.generatedBy = new Float64Array(actionOf.length);
    this.enabledStates = new Float64Array(actions);
    this.lastEnabledIn = new Float64Array(actions).fill(-1);
  }

  /** One transition by instance i out of the state with id `id`. */
  count(i: number, id: number): void {
    this.generatedBy[i]++;
    const a = this.actionOf[i]!;
    if (this.lastEnabledIn[a] !== id) { this.lastEnabledIn[a] = id; this.enabledStates[a]++; }
  }

  /** Starts new counts (the old arrays may have been handed over). */
  reset(): void {
    this.generatedBy = new Float64Array(this.generatedBy.length);
    this.enabledStates = new Float64Array(this.enabledStates.length);
  }
}
