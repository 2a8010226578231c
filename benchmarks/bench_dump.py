"""Benchmark: a 100-mass NA62 beam-dump contour including its Monte Carlo, against references.

Run: ``python benchmarks/bench_dump.py [CARD]`` (single core: BLAS threads pinned to one).
It reports, in one process:

1. the time of a cold 100-mass contour (dark photon, a new experiment object each time, so the
   acceptance Monte Carlo runs again); best of three;
2. accuracy: the same contour from a high-statistics run of the same code (10 x the X per
   mechanism, 4 x the simulated masses per decade, 2 x the momentum bins, 13 decay nodes):
   median and largest relative difference of both edges, and the Monte Carlo error the card
   states for its lower edge;
3. speed of the yield evaluation against a reference implementation run in the same process:
   the per-X sum ``sum_i w_i exp(...)`` over every simulated X at each coupling of the scan
   (what peers that keep event lists do), on the same samples, for 10 masses: time ratio.
"""

from __future__ import annotations

import os

# the Monte Carlo is part of what is timed: no disk cache of its tables
os.environ["DARKREACH_CACHE"] = "off"
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from darkreach.constants import hbarc  # noqa: E402
from darkreach.experiments.dump import BeamDump, BeamDumpCard  # noqa: E402
from darkreach.experiments.registry import load_card  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402

CARD = sys.argv[1] if len(sys.argv) > 1 else "na62-dump-2021-mumu"
PHOTON = get_model("dark-photon")


def experiment(**simulation: float) -> BeamDump:
    raw = load_card(CARD).model_dump()
    raw["simulation"].update(simulation)
    return BeamDump(BeamDumpCard.model_validate(raw))


def main() -> None:
    base = experiment()
    low, high = base.mass_range()
    masses = np.geomspace(low * 1.001, min(high, 700.0) * 0.999, 100)

    times = []
    for _ in range(3):
        fresh = experiment()
        start = time.perf_counter()
        curve = fresh.reach(PHOTON, masses)
        times.append(time.perf_counter() - start)
    print(
        f"{CARD}: 100-mass contour incl. Monte Carlo: best {min(times):.2f} s "
        f"(all: {', '.join(f'{t:.2f}' for t in times)})"
    )

    settings = base.card.simulation
    precise = experiment(
        samples=10 * settings.samples,
        masses_per_decade=4 * settings.masses_per_decade,
        momentum_bins=2 * settings.momentum_bins,
        decay_nodes=13,
    )
    start = time.perf_counter()
    reference = precise.reach(PHOTON, masses)
    t_ref = time.perf_counter() - start
    assert curve.coupling_upper is not None and reference.coupling_upper is not None
    both = np.isfinite(curve.coupling) & np.isfinite(reference.coupling)
    d_low = np.abs(curve.coupling[both] / reference.coupling[both] - 1.0)
    d_high = np.abs(curve.coupling_upper[both] / reference.coupling_upper[both] - 1.0)
    stated = base.mc_relative_error(PHOTON, masses[both]) / 4.0
    print(
        f"high-statistics reference ({t_ref:.1f} s): {both.sum()} masses excluded in both; "
        f"lower edge median {100 * np.median(d_low):.2f} %, max {100 * d_low.max():.2f} %; "
        f"upper edge median {100 * np.median(d_high):.2f} %, max {100 * d_high.max():.2f} %; "
        f"stated MC error of the lower edge median {100 * np.median(stated):.2f} %"
    )
    edge_only = np.isfinite(curve.coupling) != np.isfinite(reference.coupling)
    print(f"masses excluded by only one of the two: {int(edge_only.sum())} (contour tips)")

    # yield evaluation: tabulated (darkreach) vs per-X reference on the same samples
    from darkreach.experiments.dump.simulation import _produce, _stream

    sub = masses[both][:: max(1, both.sum() // 10)][:10]
    g_grid = np.geomspace(1e-9, 1e-3, 97)
    start = time.perf_counter()
    fn = base._yield_function(PHOTON, sub)
    for g in g_grid:
        fn(np.full(sub.size, g))
    t_tab = time.perf_counter() - start
    samples = {}
    for m in sub:
        samples[m] = [
            _produce(mech, float(m), base.settings, _stream(base.settings.seed, mech))
            for mech in base.card.production.mechanisms
        ]
    start = time.perf_counter()
    l1, l2 = base.geometry.distance_to_start, base.geometry.distance_to_end
    for m in sub:
        gamma1 = float(PHOTON.total_width(m, 1.0))
        for made in samples[m]:
            if made is None:
                continue
            x, w, _ = made
            p = np.linalg.norm(x[:, :3], axis=1)
            for g in g_grid:
                lam = p / m * hbarc / (gamma1 * g * g)
                float(np.sum(w * (np.exp(-l1 / lam) - np.exp(-l2 / lam))))
    t_ref_eval = time.perf_counter() - start
    print(
        f"yield scan of {sub.size} masses x {g_grid.size} couplings: tabulated {t_tab:.3f} s, "
        f"per-X reference (decay probability only, no acceptance) {t_ref_eval:.3f} s: "
        f"ratio {t_ref_eval / t_tab:.1f}"
    )


if __name__ == "__main__":
    main()
