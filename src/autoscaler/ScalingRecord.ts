/** One rescale: its restart duration (ms) once the job runs again with the target parallelism. */
export class ScalingRecord {
  constructor(public restartDuration: number | null = null) {}

  getRestartDuration(): number | null {
    return this.restartDuration;
  }

  setRestartDuration(durationMs: number): void {
    this.restartDuration = durationMs;
  }
}
