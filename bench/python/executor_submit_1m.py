# executor_submit_1m: ProcessPoolExecutor(2), submit, then result() of each
# future in order. 100k here, not 1M: CPython takes about 20 s for 100k on
# these machines (a million would take minutes). peakRssMiB is the parent's
# ru_maxrss.
import json
import resource
import time
from concurrent.futures import ProcessPoolExecutor

N = 100_000


def square(x):
    return x * x


def main():
    with ProcessPoolExecutor(2) as ex:
        list(ex.map(square, range(1000)))  # warm-up: start the workers
        t0 = time.perf_counter()
        futures = [ex.submit(square, i) for i in range(N)]
        total = 0
        for f in futures:
            total += f.result()
        dt = time.perf_counter() - t0
        assert total == (N - 1) * N * (2 * N - 1) // 6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"value": N / dt, "extra": {"peakRssMiB": peak}}))


if __name__ == "__main__":
    main()
