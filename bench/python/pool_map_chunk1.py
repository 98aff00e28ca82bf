# pool_map_chunk1: Pool(2).map(square, 20k items, chunksize=1).
# An argument names a start method (spawn_pool_map_chunk1 passes "spawn").
import json
import multiprocessing as mp
import sys
import time


def square(x):
    return x * x


def main():
    n = 20_000
    xs = list(range(n))
    ctx = mp.get_context(sys.argv[1]) if len(sys.argv) > 1 else mp
    with ctx.Pool(2) as pool:
        pool.map(square, xs[:1000], chunksize=1)  # warm-up
        best = float("inf")
        for _ in range(5):
            t0 = time.perf_counter()
            pool.map(square, xs, chunksize=1)
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": n / best}))


if __name__ == "__main__":
    main()
