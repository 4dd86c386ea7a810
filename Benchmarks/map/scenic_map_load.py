"""Scenic 3's own OpenDRIVE load time and lane-lookup rate, for Benchmarks/map/run.sh.

Cold: a fresh process per map, `useCache=False, writeCache=False` (no pickle cache read or
written). Prints: path, load wall s, load CPU s, import s, laneAt queries/s, lanes found.
"""
import random
import sys
import time

start = time.perf_counter()
from scenic.domains.driving.roads import Network  # noqa: E402

import_seconds = time.perf_counter() - start

path = sys.argv[1]
queries = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
wall0, cpu0 = time.perf_counter(), time.process_time()
network = Network.fromFile(path, useCache=False, writeCache=False)
wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0

minx, miny, maxx, maxy = network.drivableRegion.polygons.bounds
rng = random.Random(1)
points = [(rng.uniform(minx, maxx), rng.uniform(miny, maxy)) for _ in range(queries)]
q0 = time.process_time()
found = sum(1 for p in points if network.laneAt(p) is not None)
rate = queries / (time.process_time() - q0)
print(f"{path}\t{wall:.3f}\t{cpu:.3f}\t{import_seconds:.3f}\t{rate:.0f}\t{found}")
