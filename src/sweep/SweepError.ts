/** A bad sweep or merge request (grid, baseline, shard, shard folders): one line, exit code 2. */
export class SweepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SweepError";
  }
}
