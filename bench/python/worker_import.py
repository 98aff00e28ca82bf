# worker_import: what `import multiprocessing` adds to a fresh interpreter,
# the median over 25 fresh `python3 -c` processes, taken in turns with an
# empty one (start to exit).
import json
import statistics
import subprocess
import sys
import time

ROUNDS = 25


def run(code):
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return (time.perf_counter() - t0) * 1000


def main():
    empty, imported = [], []
    for i in range(ROUNDS + 2):
        e = run("pass")
        m = run("import multiprocessing")
        if i >= 2:
            empty.append(e)
            imported.append(m)
    print(json.dumps({"value": statistics.median(imported) - statistics.median(empty)}))


if __name__ == "__main__":
    main()
