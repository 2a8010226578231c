"""Benchmark: a 200-mass NA64e reach curve including the shower, against a reference.

Run: ``python benchmarks/bench_electron.py`` (single core: numpy's BLAS threads are pinned to
one before it is imported). It reports, in one process:

1. the time of a cold 200-mass ``na64e-2016-2022`` curve (dark photon -> chi chi), a new
   experiment object each time so that the shower track lengths and all cross sections are
   recomputed; best of several repetitions;
2. the same curve at 20 masses from a high-precision reference: shower binned 4 x finer
   (192 energy bins, 3 x the depth nodes) and every cross section by adaptive quadrature
   (``electron_brem.sigma_reference``) instead of the Gauss-Legendre ``sigma_above``;
   maximal relative deviation of the coupling and the time of each path.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import time  # noqa: E402

import numpy as np  # noqa: E402
from hepunits import GeV, MeV  # noqa: E402

import darkreach.production.electron_brem as eb  # noqa: E402
import darkreach.production.shower as shower  # noqa: E402
from darkreach.experiments.registry import get_experiment  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402

CARD = "na64e-2016-2022"


def best_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def adaptive_sigma_above(  # type: ignore[no-untyped-def]
    m,
    e0,
    x_cut,
    nucleus,
    spin="vector",
    approximation="iww-k",
    t_max="m^2",
    inelastic=False,
    below_threshold="raise",
):
    """sigma_above's signature, every point by sigma_reference (adaptive quadrature)."""
    m_b, e_b, x_b = np.broadcast_arrays(m, e0, x_cut)
    out = np.zeros(m_b.shape)
    for idx in np.ndindex(m_b.shape):
        if e_b[idx] <= m_b[idx] + eb.m_e:
            continue
        out[idx] = eb.sigma_reference(
            float(e_b[idx]),
            float(m_b[idx]),
            nucleus,
            spin,
            x_min=float(x_b[idx]),
            approximation=approximation,
            t_max=t_max,
            inelastic=inelastic,
            epsrel=1e-6,
        )
    return out


def main() -> None:
    os.environ["DARKREACH_CACHE"] = "off"
    model = get_model("dark-photon-dm")
    masses = np.geomspace(1 * MeV, 3 * GeV, 200)

    def run(grid: np.ndarray = masses) -> np.ndarray:
        return get_experiment(CARD).reach(model, grid).coupling

    run()  # imports and first-call costs excluded
    cold = best_time(run)
    subset = masses[::10]
    fast = run(subset)

    original_sigma, original_nodes = eb.sigma_above, shower._T_NODES
    start = time.perf_counter()
    try:
        eb.sigma_above = adaptive_sigma_above  # type: ignore[assignment]
        shower._T_NODES = 3 * original_nodes
        exp = get_experiment(CARD)
        e0 = exp.beam_energy
        from darkreach.experiments.materials import get_material

        exp.__dict__["track_lengths"] = shower.track_lengths(
            e0,
            exp.card.target.radiation_lengths.number(),
            get_material(exp.card.target.material).radiation_length,
            e0 - exp.energy_cut,
            n_bins=4 * shower.N_BINS,
        )
        reference = exp.reach(model, subset).coupling
    finally:
        eb.sigma_above, shower._T_NODES = original_sigma, original_nodes
    t_ref = time.perf_counter() - start
    ok = np.isfinite(reference) & np.isfinite(fast)
    dev = np.abs(fast[ok] / reference[ok] - 1.0)
    print(f"NA64e {CARD}: 200-mass curve incl. shower, cold, best of 5: {cold:.3f} s (goal < 2 s)")
    print(
        f"reference (192-bin shower, 3x depth nodes, adaptive cross sections) at "
        f"{subset.size} masses: {t_ref:.1f} s ({t_ref / subset.size:.2f} s per mass vs "
        f"{cold / masses.size * 1e3:.1f} ms per mass fast)"
    )
    print(
        f"coupling fast/reference: max |ratio - 1| = {dev.max():.2e} (median {np.median(dev):.1e})"
    )
    for m, f, r in zip(subset, fast, reference, strict=True):
        print(f"  m = {m / MeV:8.2f} MeV  eps fast {f:.5e}  reference {r:.5e}  ratio {f / r:.5f}")
    print(f"(beam {e0 / GeV:g} GeV)")


if __name__ == "__main__":
    main()
