# queue_small: one producer process puts 200k small ints on a
# multiprocessing.Queue, the parent gets them; messages per second, timed
# from the first message to the last.
import json
import multiprocessing as mp
import time

N = 200_000


def produce(q, n):
    for i in range(n):
        q.put(i)


def run():
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, N))
    p.start()
    total = q.get()
    t0 = time.perf_counter()
    for _ in range(N - 1):
        total += q.get()
    seconds = time.perf_counter() - t0
    p.join()
    assert total == N * (N - 1) // 2
    return (N - 1) / seconds


def main():
    best = max(run() for _ in range(3))
    print(json.dumps({"value": best}))


if __name__ == "__main__":
    main()
