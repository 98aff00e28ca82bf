# event_pingpong: the parent and a child process bounce on two Events (ping:
# parent sets, child waits and clears; pong: the other way), timed per round
# trip in microseconds.
import json
import multiprocessing as mp
import time

WARMUP = 2_000
ROUNDS = 20_000


def pong(ping, back, rounds):
    for _ in range(rounds):
        ping.wait()
        ping.clear()
        back.set()


def bounce(ping, back, rounds):
    for _ in range(rounds):
        ping.set()
        back.wait()
        back.clear()


def main():
    ctx = mp.get_context("spawn")
    ping = ctx.Event()
    back = ctx.Event()
    p = ctx.Process(target=pong, args=(ping, back, WARMUP + ROUNDS))
    p.start()
    bounce(ping, back, WARMUP)
    t0 = time.perf_counter()
    bounce(ping, back, ROUNDS)
    elapsed = time.perf_counter() - t0
    p.join()
    print(json.dumps({"value": elapsed * 1e6 / ROUNDS}))


if __name__ == "__main__":
    main()
