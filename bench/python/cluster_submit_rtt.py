# cluster_submit_rtt: Dask distributed's submit().result() round trip on a
# LocalCluster(2), median of 300; the twin of one submit -> result on our
# cluster executor. Runs with Debian's /usr/bin/python3 (python3-distributed).
import json
import time

from cluster_map import ensure_distributed


def square(x):
    return x * x


def main():
    ensure_distributed()
    from distributed import Client, LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        for i in range(50):
            client.submit(square, i, pure=False).result()
        times = []
        for i in range(300):
            t0 = time.perf_counter()
            client.submit(square, i, pure=False).result()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(json.dumps({"value": times[len(times) // 2]}))


if __name__ == "__main__":
    main()
