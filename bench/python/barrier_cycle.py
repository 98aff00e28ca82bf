# barrier_cycle: the parent and a child process meet at a Barrier(2), 10k
# cycles, timed per cycle in microseconds.
import json
import multiprocessing as mp
import time

WARMUP = 1_000
CYCLES = 10_000


def party(barrier, cycles):
    for _ in range(cycles):
        barrier.wait()


def main():
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(2)
    p = ctx.Process(target=party, args=(barrier, WARMUP + CYCLES))
    p.start()
    party(barrier, WARMUP)
    t0 = time.perf_counter()
    party(barrier, CYCLES)
    elapsed = time.perf_counter() - t0
    p.join()
    print(json.dumps({"value": elapsed * 1e6 / CYCLES}))


if __name__ == "__main__":
    main()
