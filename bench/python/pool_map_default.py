# pool_map_default: Pool(2).map(square, 100k items), default chunksize.
import json
import multiprocessing as mp
import time


def square(x):
    return x * x


def main():
    n = 100_000
    xs = list(range(n))
    with mp.Pool(2) as pool:
        pool.map(square, xs)  # warm-up
        pool.map(square, xs)
        best = float("inf")
        for _ in range(10):
            t0 = time.perf_counter()
            pool.map(square, xs)
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": n / best}))


if __name__ == "__main__":
    main()
