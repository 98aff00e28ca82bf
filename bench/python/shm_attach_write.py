# shm_attach_write: a Process attaches to a named SharedMemory block, writes
# 4 KiB into it and closes it, over and over; attaches per second (timed in
# the Process). Extra column: create + unlink + close of a 4 KiB block in
# the main process, per second.
import json
import time
from multiprocessing import Process, Queue
from multiprocessing.shared_memory import SharedMemory

ROUNDS = 5_000
SIZE = 4096


def best_rate(fn):
    best = float("inf")
    for _ in range(4):  # the first is a warm-up like ours
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return ROUNDS / best


def attach_loop(name, out):
    def run():
        for i in range(ROUNDS):
            shm = SharedMemory(name)
            shm.buf[:] = bytes([i & 255]) * SIZE
            shm.close()

    out.put(best_rate(run))


def create_unlink():
    for _ in range(ROUNDS):
        block = SharedMemory(create=True, size=SIZE)
        block.unlink()
        block.close()


def main():
    shm = SharedMemory(create=True, size=SIZE)
    out = Queue()
    p = Process(target=attach_loop, args=(shm.name, out))
    p.start()
    rate = out.get()
    p.join()
    shm.close()
    shm.unlink()
    print(json.dumps({"value": rate, "extra": {"createUnlink": best_rate(create_unlink)}}))


if __name__ == "__main__":
    main()
