# cluster_map: Dask distributed's LocalCluster(2) (2 worker processes, 1
# thread each) client.map(square, 20k items) + gather, the twin of our
# cluster Pool over 2 worker hosts. Runs with Debian's /usr/bin/python3 and
# its python3-distributed, which it installs with apt-get when missing
# (outside CI only).
import json
import os
import subprocess
import sys
import time


def ensure_distributed():
    try:
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        print("installing python3-distributed with apt-get", file=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "python3-distributed"],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def square(x):
    return x * x


def main():
    ensure_distributed()
    from distributed import Client, LocalCluster

    n = 20_000
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, Client(cluster) as client:
        client.gather(client.map(square, range(500), pure=False))  # warm-up
        # One timed round: Dask does some 400 tasks/s here, so 20k take ~50 s.
        t0 = time.perf_counter()
        client.gather(client.map(square, range(n), pure=False))
        best = time.perf_counter() - t0
    print(json.dumps({"value": n / best}))


if __name__ == "__main__":
    main()
