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
      q.push(time, () => popped.push(i));
    }
    const expected = [...pushed].sort((a, b) => a.time - b.time || a.label - b.label);
    const popped: number[] = [];
    const times: number[] = [];
    while (q.size > 0) {
      times.push(q.peekTime());
      q.pop()!();
    }
    expect(popped).toEqual(expected.map((e) => e.label));
    expect(times).toEqual(expected.map((e) => e.time));
    expect(q.peekTime()).toBe(Infinity);
    expect(q.pop()).toBeNull();
  });

  it("drops cancelled events when they come up, and ignores cancelling one already popped", () => {
    const q = new EventQueue();
    const ran: string[] = [];
    const a = q.push(1, () => ran.push("a"));
    const b = q.push(2, () => ran.push("b"));
    q.push(3, () => ran.push("c"));
    q.cancel(b);
    q.pop()!();
    q.cancel(a); // already popped: must not cancel anything else
    while (q.size > 0) q.pop()?.();
    expect(ran).toEqual(["a", "c"]);
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
    expect(() => env.schedule(Infinity, () => {})).toThrow(RangeError);
    expect(() => env.schedule(NaN, () => {})).toThrow(RangeError);
  });
});
