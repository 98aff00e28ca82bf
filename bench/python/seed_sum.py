# seed_sum: the seed program (seed 000): the sum of [1, 1e8) split over two
# processes, each writing its half into a Value('d'), timed end to end.
import json
import time
from multiprocessing import Process, Value


def sum_into(start, end, s_num):
    result = 0
    for i in range(start, end):
        result += i
    s_num.value = result


def main():
    n = 100_000_000
    t0 = time.perf_counter()
    s1 = Value("d", 0.0)
    s2 = Value("d", 0.0)
    p1 = Process(target=sum_into, args=(1, n // 2, s1))
    p2 = Process(target=sum_into, args=(n // 2, n, s2))
    p1.start()
    p2.start()
    p1.join()
    p2.join()
    elapsed = time.perf_counter() - t0
    assert s1.value + s2.value == 4999999950000000
    print(json.dumps({"value": elapsed * 1000}))


if __name__ == "__main__":
    main()
