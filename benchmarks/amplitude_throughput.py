"""Throughput of the physics code on this machine.

Prints points/s of `squared_amplitude` (1 thread and the default thread pool), of
`sample_events`, and the wall time to generate the tutorial dataset (3 x 30 000 events).

    python benchmarks/amplitude_throughput.py [--events 30000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from source_helpers.data import generate_dataset
from source_helpers.physics import sample_events, squared_amplitude
from source_helpers.physics.amplitudes import _default_workers


def best_of(func, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=30_000, help="events per split (default %(default)s)")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, default amplitude threads: {_default_workers()}")
    pts = sample_events(20_000, 1)
    t1 = best_of(lambda: squared_amplitude(pts, workers=1))
    tn = best_of(lambda: squared_amplitude(pts))
    print(f"squared_amplitude, 1 thread      : {len(pts) / t1:10.0f} points/s")
    print(f"squared_amplitude, {_default_workers()} threads     : {len(pts) / tn:10.0f} points/s")
    ts = best_of(lambda: sample_events(100_000, 2))
    print(f"sample_events (accepted events)  : {100_000 / ts:10.0f} points/s")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        generate_dataset(tmp, events_per_split=args.events, seed=1234, progress=False)
        dt = time.perf_counter() - t0
    print(f"dataset 3 x {args.events} events     : {dt:10.1f} s (target <= 10 s for 3 x 30000)")


if __name__ == "__main__":
    main()
