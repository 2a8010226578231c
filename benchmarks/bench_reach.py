"""Benchmark: the NA64mu reach curve and the cross-section table, against references.

Run: ``python benchmarks/bench_reach.py`` (single core: the script pins numpy's BLAS threads
to one before importing it). It reports, in one process:

1. the time of a cold 200-mass NA64mu 2022 reach curve (new experiment object each time, so no
   in-memory reuse), best of several repetitions;
2. the fast vectorised cross-section path (``sigma_above``) against the high-precision
   adaptive-quadrature reference (``sigma_reference``) on a mass subset: maximal relative
   deviation and the time per point of each, as a ratio;
3. the peak memory (max RSS) of the ``darkreach reach`` command writing CSV and PNG.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from hepunits import GeV, MeV, picobarn  # noqa: E402

from darkreach.experiments.registry import get_experiment  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402
from darkreach.physics.form_factors import Nucleus  # noqa: E402
from darkreach.production.muon_brem import BremSettings, sigma_above, sigma_reference  # noqa: E402


def best_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_reach_curve() -> dict[str, float]:
    """Fast 200-mass curve (disk cache off, then warm) and a 20-mass adaptive reference."""
    import darkreach.production.muon_brem as brem

    masses = np.geomspace(1 * MeV, 3 * GeV, 200)
    model = get_model("lmu-ltau")

    def run(grid: np.ndarray = masses) -> np.ndarray:
        return get_experiment("na64mu-2022").reach(model, grid).coupling

    os.environ["DARKREACH_CACHE"] = "off"
    run()  # import and first-call costs excluded
    cold = best_time(run)
    os.environ["DARKREACH_CACHE"] = "on"
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DARKREACH_CACHE_DIR"] = tmp
        run()
        warm = best_time(run)
    os.environ["DARKREACH_CACHE"] = "off"

    subset = masses[::10]
    fast = run(subset)
    original = brem.sigma_above

    def adaptive(m, e0, x_cut, nucleus, spin, settings, below_threshold="raise"):  # type: ignore[no-untyped-def]
        from darkreach.errors import InvalidParameterError

        m_b, e_b, x_b = np.broadcast_arrays(m, e0, x_cut)
        out = np.empty(m_b.shape)
        for idx in np.ndindex(m_b.shape):
            try:
                out[idx] = brem.sigma_reference(
                    float(e_b[idx]),
                    float(m_b[idx]),
                    nucleus,
                    spin,
                    x_min=float(x_b[idx]),
                    settings=settings,
                )
            except InvalidParameterError:
                if below_threshold != "zero":  # a stopped muon emits nothing (as sigma_above)
                    raise
                out[idx] = 0.0
        return out

    brem.sigma_above = adaptive
    try:
        start = time.perf_counter()
        reference = run(subset)
        t_reference = time.perf_counter() - start
    finally:
        brem.sigma_above = original
    return {
        "cold_s": cold,
        "warm_s": warm,
        "reference_per_mass_s": t_reference / subset.size,
        "fast_per_mass_s": cold / masses.size,
        "max_rel_dev_g": float(np.max(np.abs(fast / reference - 1.0))),
    }


def bench_cross_sections() -> dict[str, float]:
    lead = Nucleus(82, 207.2)
    settings = BremSettings()
    subset = np.geomspace(1 * MeV, 3 * GeV, 13)
    energies = np.array([100 * GeV, 160 * GeV])
    x_cut = 0.5
    fast_all = np.geomspace(1 * MeV, 3 * GeV, 200)
    nodes = np.linspace(158 * GeV, 160 * GeV, 8)
    t_fast_table = best_time(
        lambda: sigma_above(
            fast_all[:, None], nodes[None, :], np.full((1, 8), x_cut), lead, "vector", settings
        )
    )
    worst = 0.0
    t_ref = 0.0
    n_ref = 0
    for spin in ("vector", "scalar"):
        fast = np.asarray(
            sigma_above(subset[:, None], energies[None, :], x_cut, lead, spin, settings)
        )
        for i, m in enumerate(subset):
            for j, e0 in enumerate(energies):
                start = time.perf_counter()
                ref = float(
                    sigma_reference(float(e0), float(m), lead, spin, x_min=x_cut, settings=settings)
                )
                t_ref += time.perf_counter() - start
                n_ref += 1
                if ref > 0:
                    worst = max(worst, abs(fast[i, j] / ref - 1.0))
    per_point_fast = t_fast_table / (200 * 8)
    per_point_ref = t_ref / n_ref
    return {
        "table_seconds": t_fast_table,
        "per_point_fast_s": per_point_fast,
        "per_point_reference_s": per_point_ref,
        "speedup": per_point_ref / per_point_fast,
        "max_rel_deviation": worst,
        "sigma_10MeV_pb": float(
            np.asarray(sigma_above(10 * MeV, 160 * GeV, 0.5, lead, "vector", settings))
        )
        / picobarn,
    }


def bench_peak_memory() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(
            [
                sys.executable,
                "-m",
                "darkreach",
                "reach",
                "na64mu-2022",
                "--out",
                str(out / "r.csv"),
                "--plot",
                str(out / "r.png"),
            ],
            check=True,
            capture_output=True,
        )
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(before, after) / 1024.0  # MB (ru_maxrss is in kB on Linux)


def main() -> None:
    curve = bench_reach_curve()
    xs = bench_cross_sections()
    memory = bench_peak_memory()
    print("darkreach benchmark (one core)")
    print(
        f"  200-mass NA64mu 2022 reach curve, disk cache off: {curve['cold_s'] * 1e3:8.1f} ms"
        "   (goal < 1000 ms)"
    )
    print(f"  same, disk cache warm:                            {curve['warm_s'] * 1e3:8.1f} ms")
    print(
        f"  per mass: fast {curve['fast_per_mass_s'] * 1e3:.2f} ms, adaptive-quadrature reference "
        f"{curve['reference_per_mass_s']:.2f} s, ratio "
        f"{curve['reference_per_mass_s'] / curve['fast_per_mass_s']:.0f}x"
    )
    print(f"  max |g_fast/g_reference - 1| over 20 masses: {curve['max_rel_dev_g'] * 100:.4f} %")
    print(f"  cross-section table 200 masses x 8 energies: {xs['table_seconds'] * 1e3:8.1f} ms")
    print(
        f"  per point: fast {xs['per_point_fast_s'] * 1e6:8.2f} us, "
        f"adaptive reference {xs['per_point_reference_s'] * 1e3:8.2f} ms, "
        f"ratio {xs['speedup']:.0f}x"
    )
    print(
        f"  max |fast/reference - 1| over 13 masses x 2 energies x (V, S): "
        f"{xs['max_rel_deviation'] * 100:.4f} %   (goal < 0.5 %)"
    )
    print(f"  peak memory of `darkreach reach ... --out --plot`: {memory:.0f} MB   (goal < 300 MB)")


if __name__ == "__main__":
    main()
