"""Benchmark: scan throughput (tasks per hour) in-process, with 1, 2 and 4 local workers, and on
a Dask LocalCluster with 2 workers.

Run: ``python benchmarks/bench_scan.py [light|heavy]`` (default: both). Two small realistic
specs, each run into a fresh store per executor (the time includes starting the workers):

- ``light``: the issue's example widened: NA64mu 2022 and M^3 phase 1, ``lmu-ltau-dm``,
  40 masses 1 MeV - 1 GeV, alpha_D x m_Z'/m_chi x dark-matter type (5 x 6 x 4 per card,
  240 tasks of ~20 ms: missing-momentum curves with the cross-section cache warm);
- ``heavy``: NA62 K+ -> mu+ nu X invisible (``na62-ultimate``, ``na62-2016-2018``),
  ``lmu-ltau-dm``, 40 masses 1 - 300 MeV, alpha_D x m_Z'/m_chi (3 x 4 per card, 24 tasks of
  ~0.4 s: per-mass cut optimisation and smearing).

The cross-section cache is warmed first. numpy's BLAS threads are pinned to one per process.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sqlite3  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

SPECS = {
    "light": """
[scan]
cards = ["na64mu-2022", "m3-phase1"]
models = ["lmu-ltau-dm"]
masses = "1MeV:1GeV:40"
[scan.options]
alpha_d = [0.05, 0.1, 0.2, 0.5, 1.0]
ratio = [2.2, 2.5, 3.0, 4.0, 5.0, 6.0]
dm = ["complex-scalar", "majorana", "pseudo-dirac", "dirac"]
""",
    "heavy": """
[scan]
cards = ["na62-ultimate", "na62-2016-2018"]
models = ["lmu-ltau-dm"]
masses = "1MeV:300MeV:40"
[scan.options]
alpha_d = [0.1, 0.5, 1.0]
ratio = [2.5, 3.0, 4.0, 5.0]
""",
}


def _mean_task_ms(store: Path) -> float:
    """Mean compute time of one task inside its worker (the store's ``seconds``), in ms."""
    with sqlite3.connect(store) as db:
        (mean,) = db.execute("SELECT avg(seconds) FROM tasks").fetchone()
    return float(mean) * 1000


def bench(kind: str) -> None:
    from darkreach.scan.executors import ExecutorChoice
    from darkreach.scan.runner import run_scan
    from darkreach.scan.spec import load_spec

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{kind}.toml"
        path.write_text(SPECS[kind], encoding="utf-8")
        spec = load_spec(path)
        run_scan(spec, Path(tmp) / "warm.sqlite")  # warm the cross-section cache
        choices = [
            ("in-process", ExecutorChoice()),
            ("--workers 1", ExecutorChoice(workers=1)),
            ("--workers 2", ExecutorChoice(workers=2)),
            ("--workers 4", ExecutorChoice(workers=4)),
            ("--dask (LocalCluster, 2 workers)", ExecutorChoice(workers=2, dask="")),
        ]
        print(f"\n{kind}: {path.name}")
        print(f"{'executor':34s} {'tasks':>5s} {'seconds':>8s} {'tasks/hour':>10s} {'ms/task':>8s}")
        for i, (name, choice) in enumerate(choices):
            store = Path(tmp) / f"run{i}.sqlite"
            start = time.perf_counter()
            summary = run_scan(spec, store, choice)
            seconds = time.perf_counter() - start
            rate = summary.done / seconds * 3600
            ms = _mean_task_ms(store)
            print(f"{name:34s} {summary.done:5d} {seconds:8.2f} {rate:10.0f} {ms:8.1f}")
        size = (Path(tmp) / "run0.sqlite").stat().st_size
        print(f"store: {size / summary.total / 1024:.1f} KiB per task")


def main() -> None:
    warnings.simplefilter("ignore")
    kinds = [k for k in sys.argv[1:] if k in SPECS] or list(SPECS)
    for kind in kinds:
        bench(kind)


if __name__ == "__main__":
    main()
