"""Benchmark: 1e6 mu N -> mu N X events on one core, against a per-event Python reference loop.

Run: ``python benchmarks/bench_events.py [--quick]`` (numpy's BLAS threads pinned to one). In
one process it reports

1. the time to sample 1e6 unweighted events for ``na64mu-2022`` (L_mu - L_tau Z', 10 MeV,
   invisible; and the muon-philic scalar at 300 MeV decaying to mu mu), cold: a new experiment
   object each time, so the tables (slices, x grids, angular tables) are built inside the
   timing; best of 3. Writing files is not included;
2. a simple per-event reference: a Python loop that draws each event one at a time from the
   same tables (``bisect`` on the cumulative sums, ``math`` for the kinematics, the same
   nucleus-recoil iteration), run on a subset and extrapolated per event;
3. the ratio of the two, and a two-sample KS test of the x and theta spectra of the two
   samplers (they must agree).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import bisect  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy import stats  # noqa: E402

from darkreach.constants import m_mu  # noqa: E402
from darkreach.events import mu_brem as mb  # noqa: E402
from darkreach.events.inverse_cdf import cumulative  # noqa: E402
from darkreach.experiments.registry import get_experiment  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402

CARD = "na64mu-2022"


def vectorised(model: str, mass: float, n: int, seed: int, coupling: float):  # type: ignore[no-untyped-def]
    exp = get_experiment(CARD)  # cold: tables rebuilt
    return mb.sample_mu_brem(exp, get_model(model), mass, n, np.random.default_rng(seed), coupling)


def reference(n: int, mass: float, seed: int) -> tuple[list[float], list[float]]:
    """Per-event Python loop over the same tables (invisible X: no decay)."""
    exp = get_experiment(CARD)
    spin = "vector"
    groups, rates, starts, lengths = mb.brem_groups(exp, spin, mass)
    flat = rates.ravel().tolist()
    cum = list(np.cumsum(flat))
    n_groups = rates.shape[1]
    x_cdf = [cumulative(g.eta, g.density).tolist() for g in groups]
    etas = [g.eta.tolist() for g in groups]
    v_nodes = np.linspace(0.0, 1.0, mb.ANGLE_NODES).tolist()
    row_cdf = []
    for g in groups:
        c = cumulative(np.linspace(0.0, 1.0, mb.ANGLE_NODES), g.angle_table)
        row_cdf.append((c / c[:, -1:]).tolist())
    theta_max = float(exp.card.production.theta_max)
    rng = random.Random(seed)
    xs, thetas = [], []
    events = []
    for _ in range(n):
        k = min(bisect.bisect_right(cum, rng.random() * cum[-1]), len(cum) - 1)
        s, gi = divmod(k, n_groups)
        g = groups[gi]
        z = float(starts[s]) + rng.random() * float(lengths[s])
        cdf = x_cdf[gi]
        target = rng.random() * cdf[-1]
        j = min(max(bisect.bisect_right(cdf, target) - 1, 0), len(cdf) - 2)
        frac = (target - cdf[j]) / (cdf[j + 1] - cdf[j]) if cdf[j + 1] > cdf[j] else 0.0
        eta = etas[gi][j] + frac * (etas[gi][j + 1] - etas[gi][j])
        gg = g.g_min * math.cosh(eta)
        x = gg / (1.0 + gg)
        pos = (eta - float(g.row_eta[0])) / float(g.row_eta[1] - g.row_eta[0])
        pos = min(max(pos, 0.0), mb.ANGLE_ROWS - 1.0)
        low = min(int(pos), mb.ANGLE_ROWS - 2)
        row = low + (1 if rng.random() < pos - low else 0)
        rc = row_cdf[gi][row]
        u = rng.random()
        j = min(max(bisect.bisect_right(rc, u) - 1, 0), len(rc) - 2)
        frac = (u - rc[j]) / (rc[j + 1] - rc[j]) if rc[j + 1] > rc[j] else 0.0
        v = v_nodes[j] + frac * (v_nodes[j + 1] - v_nodes[j])
        e0 = g.energy
        thc = math.sqrt(m_mu**2 + (1.0 - x) * mass * mass / (x * x)) / e0
        rho_max = math.log1p((theta_max / thc) ** 2)
        theta = min(thc * math.sqrt(math.expm1(v * rho_max)), theta_max)
        phi = rng.random() * 2.0 * math.pi
        e_x = x * e0
        k_x = math.sqrt(max(e_x * e_x - mass * mass, 0.0))
        px, py, pz = (
            k_x * math.sin(theta) * math.cos(phi),
            k_x * math.sin(theta) * math.sin(phi),
            k_x * math.cos(theta),
        )
        m_nuc = g.A * mb.AMU
        p_in = math.sqrt(e0 * e0 - m_mu * m_mu)
        pt = k_x * math.sin(theta)
        e_mu = (1.0 - x) * e0
        for _it in range(30):
            prev = e_mu
            e_mu = max(e_mu, m_mu)
            p_mu = math.sqrt(e_mu * e_mu - m_mu * m_mu)
            sin_psi = min(pt / p_mu, 1.0) if p_mu > 0 else 0.0
            pz_mu = p_mu * math.sqrt(1.0 - sin_psi * sin_psi)
            pt_mu = p_mu * sin_psi
            qx = -px + pt_mu * math.cos(phi)
            qy = -py + pt_mu * math.sin(phi)
            qz = p_in - pz - pz_mu
            e_n = math.sqrt(m_nuc * m_nuc + qx * qx + qy * qy + qz * qz)
            e_mu = e0 + m_nuc - e_x - e_n
            if abs(e_mu - prev) < 1e-12 * e0:
                break
        events.append(((0.0, 0.0, p_in, e0), (qx, qy, qz, e_n), (px, py, pz, e_x), z))
        xs.append(x)
        thetas.append(theta)
    return xs, thetas


def main() -> None:
    quick = "--quick" in sys.argv
    n = 100_000 if quick else 1_000_000
    n_ref = 5_000 if quick else 20_000
    vectorised("lmu-ltau", 10.0, 1000, 0, 1e-3)  # imports and first-call overheads
    print(f"darkreach events benchmark: {n:.0e} events, card {CARD}, one core")
    results = {}
    for label, model, mass, g in (
        ("Z' 10 MeV (invisible)", "lmu-ltau", 10.0, 1e-3),
        ("S 300 MeV (-> mu mu, decay vertex)", "scalar", 300.0, 1e-4),
    ):
        best = math.inf
        sample = None
        for rep in range(1 if quick else 3):
            t0 = time.perf_counter()
            sample = vectorised(model, mass, n, rep, g)
            best = min(best, time.perf_counter() - t0)
        assert sample is not None
        results[label] = best
        rows = sample.columns["event"].size
        print(f"  {label:38s} {best:6.2f} s  ({rows / n:.1f} particles/event)")
    t0 = time.perf_counter()
    ref_x, ref_theta = reference(n_ref, 10.0, 1)
    t_ref = (time.perf_counter() - t0) / n_ref * n
    fast = results["Z' 10 MeV (invisible)"]
    print(f"  per-event Python reference, {n_ref} events, extrapolated: {t_ref:6.1f} s")
    print(f"  ratio reference / vectorised: {t_ref / fast:.0f}")
    sample = vectorised("lmu-ltau", 10.0, 200_000, 9, 1e-3)
    c = sample.columns
    sel = c["pdg"] == 32
    x = c["E"][sel] / (c["E"][(c["status"] == 4) & (np.abs(c["pdg"]) == 13)])
    theta = np.arctan2(np.hypot(c["px"][sel], c["py"][sel]), c["pz"][sel])
    print(
        f"  two-sample KS p (vectorised vs reference): x {stats.ks_2samp(x, ref_x).pvalue:.3f}, "
        f"theta {stats.ks_2samp(theta, ref_theta).pvalue:.3f}"
    )
    print(f"  target: 1e6 events < 10 s -> {'met' if fast * 1e6 / n < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
