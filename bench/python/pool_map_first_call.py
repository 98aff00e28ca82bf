# pool_map_first_call: the first Pool(2).map(square, 20k, chunksize=1) of a
# fresh process; the pool is made just before (its constructor starts the
# workers). Extra: the best of the next 5 calls and the ratio to it.
import json
import multiprocessing as mp
import time

N = 20_000


def square(x):
    return x * x


def timed(pool, xs):
    t0 = time.perf_counter()
    out = pool.map(square, xs, chunksize=1)
    dt = time.perf_counter() - t0
    assert out[-1] == (N - 1) * (N - 1)
    return dt


def main():
    xs = list(range(N))
    with mp.Pool(2) as pool:
        first = timed(pool, xs)
        warm = min(timed(pool, xs) for _ in range(5))
    print(json.dumps({
        "value": N / first,
        "extra": {"warm": N / warm, "ofWarm": warm / first},
    }))


if __name__ == "__main__":
    main()
