import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { RandomStreams } from "../../src/engine/random.ts";
import { KafkaTopic } from "../../src/flink/sources/KafkaTopic.ts";
import { LoadProfile } from "../../src/flink/sources/LoadProfile.ts";

describe("a Kafka topic whose producers' ticks have a phase", () => {
  // A noisy load is defined from time 0 (noise interval k covers [k x interval, (k+1) x interval)).
  const topicWithPhase = (phase: number) => {
    const env = new Environment();
    const load = new LoadProfile({ profile: "constant", rate: 1000 }, { stddev: 0.05, intervalMs: 60_000 }, new RandomStreams(2).stream("load"));
    const topic = new KafkaTopic(env, "events", 4, load, 0, 100, phase);
    topic.start();
    env.run(1_000);
    return topic;
  };

  it("produces from its first tick even when that comes less than half a tick after the start", () => {
    // Phase 0.2: ticks at 20, 120, ..., 920 ms, ten ticks of 100 ms at about 1,000 records/s: about 100 records each.
    const early = topicWithPhase(0.2).totalProduced();
    expect(Number.isFinite(early)).toBe(true);
    // Every tick uses the first noise interval's factor, so ten ticks make 10 x 100 x factor.
    const late = topicWithPhase(0.8).totalProduced();
    expect(early).toBeCloseTo(late, 9);
    expect(early).toBeGreaterThan(1000 * 0.7);
    expect(early).toBeLessThan(1000 * 1.3);
  });
});
