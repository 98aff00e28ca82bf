# apply_async: Pool(2), 20k apply_async(square, (i,)) then get() of each.
import json
import multiprocessing as mp
import time


def square(x):
    return x * x


def main():
    n = 20_000
    with mp.Pool(2) as pool:
        [r.get() for r in [pool.apply_async(square, (i,)) for i in range(500)]]
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            results = [pool.apply_async(square, (i,)) for i in range(n)]
            total = sum(r.get() for r in results)
            assert total == 2666466670000
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": n / best}))


if __name__ == "__main__":
    main()
