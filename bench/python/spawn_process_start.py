# spawn_process_start: start + join of a Process running an empty function, spawn context.
import json
import multiprocessing as mp
import sys
import time


def empty():
    pass


def main():
    method = sys.argv[1] if len(sys.argv) > 1 else "spawn"
    ctx = mp.get_context(method)
    rounds = 20
    best = float("inf")
    for _ in range(4):  # the first is a warm-up like ours
        t0 = time.perf_counter()
        for _ in range(rounds):
            p = ctx.Process(target=empty)
            p.start()
            p.join()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": best / rounds * 1000}))


if __name__ == "__main__":
    main()
