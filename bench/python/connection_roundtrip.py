# connection_roundtrip: ping-pong of a small value over a
# multiprocessing.connection Listener/Client (TCP on 127.0.0.1, authkey)
# between the parent and a child that echoes it; microseconds per round
# trip.
import json
import multiprocessing as mp
import time
from multiprocessing.connection import Client, Listener

ROUNDS = 10_000
AUTHKEY = b"bench"


def echo(address):
    with Client(address, authkey=AUTHKEY) as conn:
        while True:
            try:
                v = conn.recv()
            except EOFError:
                break
            conn.send(v)


def main():
    with Listener(("127.0.0.1", 0), authkey=AUTHKEY) as listener:
        p = mp.Process(target=echo, args=(listener.address,))
        p.start()
        with listener.accept() as conn:
            for i in range(2000):  # warm-up
                conn.send(i)
                conn.recv()
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                for i in range(ROUNDS):
                    conn.send(i)
                    assert conn.recv() == i
                best = min(best, (time.perf_counter() - t0) / ROUNDS * 1e6)
        p.join()
    print(json.dumps({"value": best}))


if __name__ == "__main__":
    main()
