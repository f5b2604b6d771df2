import { describe, expect, it } from "vitest";
import { Environment } from "../../src/engine/Environment.ts";
import { EventQueue } from "../../src/engine/EventQueue.ts";
import { RandomStreams } from "../../src/engine/random.ts";

describe("EventQueue", () => {
  it("pops in time order and breaks ties by insertion order, like a stable sort", () => {
    const random = new RandomStreams(7).stream("times");
    const q = new EventQueue();
    const pushed: { time: number; label: number }[] = [];
    for (let i = 0; i < 2000; i++) {
      const time = Math.floor(random() * 50); // many ties
      pushed.push({ time, label: i });
      q.push(time, () => {});
    }
    const expected = [...pushed].sort((a, b) => a.time - b.time || a.label - b.label);
    const popped: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e.seq);
    expect(popped).toEqual(expected.map((e) => e.label));
  });
});

describe("Environment", () => {
  it("advances the clock to each event and stops at the horizon", () => {
    const env = new Environment();
    const seen: number[] = [];
    env.schedule(30, () => seen.push(env.now));
    env.schedule(10, () => {
      seen.push(env.now);
      env.schedule(5, () => seen.push(env.now));
    });
    env.schedule(100, () => seen.push(env.now));
    env.run(50);
    expect(seen).toEqual([10, 15, 30]);
    expect(env.now).toBe(50);
    env.run();
    expect(seen).toEqual([10, 15, 30, 100]);
  });

  it("does not run cancelled events nor count them", () => {
    const env = new Environment();
    let ran = 0;
    const h = env.schedule(5, () => ran++);
    env.schedule(6, () => ran++);
    env.cancel(h);
    env.run();
    expect(ran).toBe(1);
    expect(env.eventsProcessed).toBe(1);
  });

  it("refuses to schedule into the past", () => {
    const env = new Environment();
    env.run(10);
    expect(() => env.scheduleAt(5, () => {})).toThrow(RangeError);
    expect(() => env.schedule(-1, () => {})).toThrow(RangeError);
  });
});
