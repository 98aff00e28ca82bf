# pipe_roundtrip: ping-pong of a small value over a duplex
# multiprocessing.Pipe between the parent and a child that echoes it;
# microseconds per round trip.
import json
import multiprocessing as mp
import time

ROUNDS = 10_000


def echo(conn):
    while True:
        v = conn.recv()
        if v is None:
            break
        conn.send(v)


def main():
    a, b = mp.Pipe()
    p = mp.Process(target=echo, args=(b,))
    p.start()
    b.close()
    for i in range(1000):  # warm-up
        a.send(i)
        a.recv()
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for i in range(ROUNDS):
            a.send(i)
            assert a.recv() == i
        best = min(best, (time.perf_counter() - t0) / ROUNDS * 1e6)
    a.send(None)
    p.join()
    print(json.dumps({"value": best}))


if __name__ == "__main__":
    main()
