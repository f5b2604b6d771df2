"""The seed's job written with SimPy, as a peer for `npm run bench`.

A datagen source emits 10 rows/s into a bounded channel (it blocks while the channel
is full and keeps no backlog); `parallelism` map workers take one record each and spend
2 s on it. Prints one JSON line: events scheduled, wall time, records processed.
The rate and the map's cost can be given too (the production-rate comparison).

Usage: python3 simpy_backpressure.py <parallelism> <duration_s> <channel_capacity> [<rows_per_s> <cost_s>]
"""
import json
import sys
import time

import simpy


def source(env, channel, interval):
    while True:
        yield env.timeout(interval)  # 0.1 s: 10 rows/s
        yield channel.put(1)  # blocks while the channel is full (backpressure)


def mapper(env, channel, counter, cost):
    while True:
        yield channel.get()
        yield env.timeout(cost)  # 2 s: time.sleep(2)
        counter[0] += 1


def main():
    parallelism, duration, capacity = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    rate = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
    cost = float(sys.argv[5]) if len(sys.argv) > 5 else 2.0
    env = simpy.Environment()
    channel = simpy.Store(env, capacity=capacity)
    processed = [0]
    env.process(source(env, channel, 1.0 / rate))
    for _ in range(parallelism):
        env.process(mapper(env, channel, processed, cost))
    start = time.perf_counter()
    env.run(until=duration)
    wall_ms = (time.perf_counter() - start) * 1000
    events = next(env._eid)  # events scheduled so far
    print(json.dumps({"events": events, "wallMs": wall_ms, "processed": processed[0]}))


if __name__ == "__main__":
    main()
