import type { Random } from "../../engine/random.ts";

/**
 * A thread's wake-up latency after a timed sleep: uniform in [WAKE_UP_LATENCY_MIN_MS,
 * WAKE_UP_LATENCY_MAX_MS]. An assumption, not calibrated: tens of µs with a spread, as an
 * OS timer's slack (Linux's default timer_slack_ns is 50 µs) and the scheduler's latency give.
 */
export const WAKE_UP_LATENCY_MIN_MS = 0.01;
export const WAKE_UP_LATENCY_MAX_MS = 0.09;

/**
 * What Thread.sleep(millis, nanos) sleeps for a wait of `waitMs` before JDK 21: whole
 * milliseconds, the nanos rounded half up, and any wait under 1 ms taken as 1 ms
 * (java.lang.Thread#sleep(long, int), jdk11u; 17u rounds every fraction up, 21 sleeps the
 * nanoseconds). Guava's RateLimiter sleeps this way: SleepingStopwatch ->
 * Uninterruptibles#sleepUninterruptibly -> TimeUnit#sleep -> Thread#sleep(millis, nanos).
 * Whole-ms waits (a legacy source's Thread.sleep(ms)) are unchanged.
 */
export function jdkSleepMillis(waitMs: number): number {
  const millis = Math.floor(waitMs);
  const fraction = waitMs - millis;
  return fraction >= 0.5 || (fraction > 0 && millis === 0) ? millis + 1 : millis;
}

/**
 * How long a source thread that sleeps for `waitMs` is away: the JDK's whole-ms sleep
 * plus a wake-up latency drawn from the thread's own stream (one draw per sleep, none per
 * record). The wake-up then falls off the clock's millisecond grid, by an amount that
 * wanders from sleep to sleep, as on a real machine: whole-ms clock reads (TimerGauge)
 * average out instead of truncating every wait of a steady task in the same phase.
 */
export class ThreadSleep {
  constructor(private readonly random: Random) {}

  duration(waitMs: number): number {
    return jdkSleepMillis(waitMs) + WAKE_UP_LATENCY_MIN_MS + this.random() * (WAKE_UP_LATENCY_MAX_MS - WAKE_UP_LATENCY_MIN_MS);
  }
}
