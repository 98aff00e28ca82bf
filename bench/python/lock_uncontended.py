# lock_uncontended: multiprocessing.Lock acquire() + release() in one
# process, nanoseconds per pair.
import json
import time
from multiprocessing import Lock

ROUNDS = 1_000_000


def main():
    lock = Lock()
    acquire, release = lock.acquire, lock.release
    best = float("inf")
    for _ in range(4):  # the first is a warm-up like ours
        t0 = time.perf_counter()
        for _ in range(ROUNDS):
            acquire()
            release()
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"value": best / ROUNDS * 1e9}))


if __name__ == "__main__":
    main()
