# manager_dict_2: two processes do set + get on one Manager dict at once;
# total ops/s from the first start to the last finish.
import json
import multiprocessing as mp
import time

OPS = 20_000  # per process


def hammer(d, go, tag, ops):
    d["warm-up"] = 0
    go.wait()
    t0 = time.time()
    key = tag
    for i in range(ops // 2):
        d[key] = i
        d[key]
    t1 = time.time()
    d["start-" + tag] = t0
    d["end-" + tag] = t1


def round_(manager):
    d = manager.dict()
    go = manager.Event()
    ps = [
        mp.get_context("spawn").Process(target=hammer, args=(d, go, tag, OPS))
        for tag in ("a", "b")
    ]
    for p in ps:
        p.start()
    while "warm-up" not in d:
        time.sleep(0.001)
    time.sleep(0.05)
    go.set()
    for p in ps:
        p.join()
    start = min(d["start-a"], d["start-b"])
    end = max(d["end-a"], d["end-b"])
    return 2 * OPS / (end - start)


def main():
    ctx = mp.get_context("spawn")
    with ctx.Manager() as manager:
        round_(manager)
        best = max(round_(manager) for _ in range(3))
    print(json.dumps({"value": best}))


if __name__ == "__main__":
    main()
