/**
 * Guava's SmoothBursty RateLimiter (what Flink's GuavaRateLimiter wraps): permits at a
 * steady interval, up to one second's worth stored while unused, and a reservation
 * that pays for itself later (the first permit is free, the next one waits).
 */
export class RateLimiter {
  private stableIntervalMs: number;
  private maxPermits: number;
  private storedPermits = 0;
  private nextFreeTicketMs: number;

  constructor(permitsPerSecond: number, nowMs: number, private readonly maxBurstSeconds = 1) {
    this.stableIntervalMs = 1000 / permitsPerSecond;
    this.maxPermits = maxBurstSeconds * permitsPerSecond;
    this.nextFreeTicketMs = nowMs;
  }

  /** RateLimiter#setRate: catches up on stored permits at the old rate, then re-rates (SmoothBursty keeps the stored share). */
  setRate(permitsPerSecond: number, nowMs: number): void {
    this.resync(nowMs);
    const oldMax = this.maxPermits;
    this.stableIntervalMs = 1000 / permitsPerSecond;
    this.maxPermits = this.maxBurstSeconds * permitsPerSecond;
    this.storedPermits = oldMax === 0 ? 0 : (this.storedPermits * this.maxPermits) / oldMax;
  }

  private resync(nowMs: number): void {
    if (nowMs > this.nextFreeTicketMs) {
      this.storedPermits = Math.min(this.maxPermits, this.storedPermits + (nowMs - this.nextFreeTicketMs) / this.stableIntervalMs);
      this.nextFreeTicketMs = nowMs;
    }
  }

  /** Reserves one permit and returns how long (ms) the caller must wait for it. */
  reserve(nowMs: number): number {
    this.resync(nowMs);
    const momentAvailable = this.nextFreeTicketMs;
    const spent = Math.min(1, this.storedPermits);
    this.nextFreeTicketMs += (1 - spent) * this.stableIntervalMs;
    this.storedPermits -= spent;
    return Math.max(momentAvailable - nowMs, 0);
  }
}
