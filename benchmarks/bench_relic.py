"""Benchmark: thermal-relic targets, 4 dark-matter types x 100 masses, speed and accuracy.

Run: ``python benchmarks/bench_relic.py [--quick]`` (single core: numpy's BLAS threads are
pinned to one before numpy is imported). In one process it reports

1. the wall time of ``relic_targets`` for each of the four DM types on 100 log-spaced masses
   (1 MeV - 1 GeV, L_mu - L_tau Z', M = 3 m_chi, alpha_D = 0.5), default settings, no check;
   best of 3 (goal: all four together under 5 s);
2. the accuracy of those targets: Omega h^2 recomputed at the found couplings with a
   tighter-tolerance run in the same process (4x the BDF2 steps and thermal-average nodes,
   x_end x10, 100x tighter root tolerance), as the maximum and median of |Omega h^2/0.12 - 1|;
3. the same for a resonance-dominated configuration (M = 2.05 m_chi) on 25 masses.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

from darkreach.physics.relic.boltzmann import SolverSettings  # noqa: E402
from darkreach.physics.relic.targets import RelicWarning, omega_h2_at, relic_targets  # noqa: E402

KINDS = ("complex-scalar", "majorana", "pseudo-dirac", "dirac")
TIGHT = SolverSettings().tighter(4.0)


def run(kind: str, masses: np.ndarray, ratio: float, repeats: int) -> tuple[float, np.ndarray]:
    best = np.inf
    coupling = np.empty(0)
    for _ in range(repeats):
        start = time.perf_counter()
        result = relic_targets(masses, dm=kind, ratio=ratio, check=False)
        best = min(best, time.perf_counter() - start)
        coupling = result.coupling
    return best, coupling


def accuracy(kind: str, masses: np.ndarray, coupling: np.ndarray, ratio: float) -> np.ndarray:
    omega = omega_h2_at(masses, coupling, dm=kind, ratio=ratio, settings=TIGHT)
    return np.asarray(np.abs(omega / 0.12 - 1.0))


def main() -> None:
    quick = "--quick" in sys.argv
    repeats = 1 if quick else 3
    warnings.simplefilter("ignore", RelicWarning)
    masses = np.geomspace(1.0, 1000.0, 100)
    relic_targets([10.0], check=False)  # imports, table load

    rows = []
    total = 0.0
    for kind in KINDS:
        seconds, coupling = run(kind, masses, 3.0, repeats)
        total += seconds
        dev = accuracy(kind, masses, coupling, 3.0)
        rows.append((kind, "3", masses.size, seconds, float(dev.max()), float(np.median(dev))))
    res_masses = np.geomspace(5.0, 1000.0, 25)
    for kind in ("complex-scalar", "dirac"):
        seconds, coupling = run(kind, res_masses, 2.05, 1)
        dev = accuracy(kind, res_masses, coupling, 2.05)
        rows.append(
            (kind, "2.05", res_masses.size, seconds, float(dev.max()), float(np.median(dev)))
        )

    print("darkreach relic targets: L_mu-L_tau Z', alpha_D = 0.5, one core")
    print(
        f"{'DM type':<16}{'M/m':>6}{'masses':>8}{'time [s]':>10}"
        f"{'max |dOmega|/Omega':>20}{'median':>10}"
    )
    for kind, ratio, count, seconds, worst, median in rows:
        print(f"{kind:<16}{ratio:>6}{count:>8}{seconds:>10.3f}{worst:>20.2e}{median:>10.2e}")
    print(f"4 types x 100 masses: {total:.2f} s (goal < 5 s): {'PASS' if total < 5 else 'FAIL'}")


if __name__ == "__main__":
    main()
