# queue_1k: one producer process puts 100k messages of 1 KiB (bytes) on a
# multiprocessing.Queue, the parent gets them; megabytes of payload per
# second, timed from the first message to the last.
import json
import multiprocessing as mp
import time

N = 100_000
SIZE = 1024


def produce(q, n, size):
    for i in range(n):
        q.put(bytes([i & 255]) + bytes(size - 1))


def run():
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, N, SIZE))
    p.start()
    total = len(q.get())
    t0 = time.perf_counter()
    for i in range(1, N):
        b = q.get()
        assert b[0] == i & 255
        total += len(b)
    seconds = time.perf_counter() - t0
    p.join()
    assert total == N * SIZE
    return (N - 1) * SIZE / 1e6 / seconds


def main():
    best = max(run() for _ in range(3))
    print(json.dumps({"value": best}))


if __name__ == "__main__":
    main()
