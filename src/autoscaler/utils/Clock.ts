/** java.time.Clock reduced to what the autoscaler needs: the current instant in epoch ms. */
export interface Clock {
  instant(): number;
}

/** A clock that stands still until moved (Clock.fixed in upstream's tests). */
export class FixedClock implements Clock {
  constructor(private now: number) {}
  instant(): number {
    return this.now;
  }
  set(epochMs: number): void {
    this.now = epochMs;
  }
}

/** Upstream's default clock reads the wall clock; here there is none until one is injected. */
export const UNSET_CLOCK: Clock = {
  instant() {
    throw new Error("No clock injected: the autoscaler never reads the wall clock; call setClock()");
  },
};
