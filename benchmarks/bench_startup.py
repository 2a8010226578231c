"""Start-up time of the CLI (issue 7): ``darkreach --help`` and ``darkreach cards``.

Each command is timed in a fresh interpreter, interleaved with the floor that any click CLI
pays (``python -c "import click"``), and reported as a ratio to that floor, because the
machines are noisy. ``--baseline-src DIR`` also times another checkout's ``src`` (for example
0.1.0 from ``git worktree add /tmp/v010 4b38f61``), interleaved with this one.

    python benchmarks/bench_startup.py [--repeat 9] [--baseline-src /tmp/v010/src]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1] / "src"
RUN = "from darkreach.cli import entry_point; entry_point()"


def _time(args: list[str], src: Path | None) -> float:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--baseline-src", type=Path, default=None)
    options = parser.parse_args()
    trees = {"this tree": HERE}
    if options.baseline_src is not None:
        trees["baseline"] = options.baseline_src
    results: dict[str, list[float]] = {}
    for _ in range(options.repeat):
        results.setdefault("floor", []).append(_time(["-c", "import click"], None))
        for command in ("--help", "cards"):
            for name, src in trees.items():
                key = f"{name}: darkreach {command}"
                results.setdefault(key, []).append(_time(["-c", RUN, command], src))
    floor = statistics.median(results.pop("floor"))
    print(f"floor (python -c 'import click'): {floor:.3f} s")
    for key, values in results.items():
        median = statistics.median(values)
        print(f"{key:34s} {median:.3f} s  = {median / floor:.1f} x floor")


if __name__ == "__main__":
    main()
