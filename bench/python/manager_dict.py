# manager_dict: set + get on a Manager dict from the parent, in ops/s
# (Python's proxies are synchronous: one call at a time).
import json
import multiprocessing as mp
import time

OPS = 20_000


def main():
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        d = manager.dict()

        def run():
            for i in range(OPS // 2):
                d["k"] = i
                d["k"]

        run()  # warm-up
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": OPS / best}))


if __name__ == "__main__":
    main()
