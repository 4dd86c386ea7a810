"""Scenes per second of Scenic 3 on the benchmark programs, single-threaded, in one process."""
import sys
import time

import scenic

def bench(path, count):
    scenario = scenic.scenarioFromFile(path, mode2D=False)
    scenario.generate(maxIterations=100000)  # warm-up (compilation caches)
    start = time.perf_counter()
    cpu = time.process_time()
    iterations = 0
    for _ in range(count):
        _, n = scenario.generate(maxIterations=100000)
        iterations += n
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    return count / elapsed, iterations / elapsed, count / cpu

if __name__ == "__main__":
    for arg in sys.argv[1:]:
        path, count = arg.split(":")
        scenes, attempts, cpu_scenes = bench(path, int(count))
        print(f"{path}\t{scenes:.1f}\t{attempts:.1f}\t{cpu_scenes:.1f}")
