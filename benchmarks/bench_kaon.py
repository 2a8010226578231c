"""Benchmark: NA62 K+ -> mu+ nu X invisible reach, fast path against a scipy dblquad reference.

Run: ``python benchmarks/bench_kaon.py [--quick]`` (single core: numpy's BLAS threads are pinned
to one before numpy is imported). In one process it reports

1. the time of a cold 200-mass reach curve for ``na62-ultimate`` (L_mu - L_tau vector): new
   experiment object each time (tables of nodes, resolutions and the survival matrix are built
   inside the timing), per-mass optimisation of the m_miss^2 cut, Gaussian smearing; best of 5;
2. a straightforward reference on a subset of masses: the smeared signal above the cut as a
   ``scipy.integrate.dblquad`` over (s, t) of d2BR/(ds dt) x P(reco m_miss^2 > cut | s), the
   smeared background as a ``quad`` over the IB spectrum plus the Gaussian K_mu2 peak, and the
   coupling g = sqrt(S_min / S_1); at the fast path's cut (accuracy of the numerics) and, for a
   few masses, with its own continuous cut optimisation (``minimize_scalar``);
3. a table with the relative deviations and the time ratio (reference extrapolated to 200
   masses).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
from scipy.integrate import IntegrationWarning, dblquad, quad  # noqa: E402
from scipy.optimize import minimize_scalar  # noqa: E402
from scipy.special import ndtr  # noqa: E402

from darkreach.experiments.detector_response import mmiss2_resolution  # noqa: E402
from darkreach.experiments.registry import get_experiment  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402
from darkreach.production import kaon  # noqa: E402
from darkreach.production.kaon_backgrounds import ib_dbr_dm2miss  # noqa: E402
from darkreach.stats import cut_and_count_min_signal  # noqa: E402

CARD = "na62-ultimate"
GeV2 = 1e6


def best_time(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


class Reference:
    """Straightforward scipy evaluation of the same physics for one mass."""

    def __init__(self, mass: float) -> None:
        self.exp = get_experiment(CARD)
        card = self.exp.card
        self.mass = mass
        self.n_eff = card.kaons.effective()
        self.kappa = card.background.systematic.number()
        self.z = card.statistics.z
        self.floor = card.statistics.min_signal
        self.bkg_factor = (
            card.background.photon_veto_inefficiency.number() * card.background.gtk_factor.number()
        )
        res = self.exp.spectrometer
        # sigma(s) tabulated once (the resolution itself is a 32-node average per call)
        self.grid = np.linspace(0.0, kaon.m2miss_max(), 4001)
        self.sigma_grid = mmiss2_resolution(self.grid, res)
        self.sigma0 = float(mmiss2_resolution(np.array(0.0), res))

    def sigma(self, s: float) -> float:
        return float(np.interp(s, self.grid, self.sigma_grid))

    def signal(self, cut: float) -> float:
        m = self.mass

        def integrand(t: float, s: float) -> float:
            density = float(kaon.d2br_dsdt("vector", s, t, m, 1.0))
            return density * float(ndtr((s - cut) / self.sigma(s)))

        value, _ = dblquad(
            integrand,
            m * m,
            kaon.m2miss_max(),
            lambda s: float(kaon.t_limits(s, m)[0]),
            lambda s: float(kaon.t_limits(s, m)[1]),
            epsabs=0.0,
            epsrel=1e-8,
        )
        return self.n_eff * value

    def background(self, cut: float) -> float:
        lo = 1e-4 * GeV2 * 1e-2  # far below any cut: the IB spectrum is integrable here

        def integrand(s: float) -> float:
            return float(ib_dbr_dm2miss(s)) * float(ndtr((s - cut) / self.sigma(s)))

        ib, _ = quad(integrand, lo, kaon.m2miss_max(), points=[cut], limit=400, epsrel=1e-10)
        peak = kaon.BR_K_MU2 * float(ndtr(-cut / self.sigma0))
        return self.n_eff * (self.bkg_factor * ib + peak)

    def unseen(self, g: float) -> float:
        """P(X unseen) = BR_inv + (1 - BR_inv) exp(-L / lambda) with the card's L and p_X."""
        sel = self.exp.card.selection
        length = sel.escape_length.quantity("length")
        momentum = sel.x_momentum.quantity("energy")
        model = get_model("lmu-ltau")
        br_inv = float(model.invisible_fraction(self.mass, g))
        lam = float(model.decay_length(self.mass, g, momentum))
        return br_inv + (1.0 - br_inv) * float(np.exp(-length / lam))

    def coupling(self, cut: float) -> tuple[float, float, float]:
        s1 = self.signal(cut)
        b = self.background(cut)
        smin = max(float(cut_and_count_min_signal(b, self.kappa, self.z)), self.floor)
        g = float(np.sqrt(smin / s1))
        for _ in range(3):  # the unseen probability of L_mu - L_tau does not depend on g
            g = float(np.sqrt(smin / (s1 * self.unseen(g))))
        return g, s1, b

    def optimise(self) -> tuple[float, float]:
        lo = float(self.exp.cuts[0])
        hi = min(float(self.exp.cuts[-1]), kaon.m2miss_max() - 1e-4 * GeV2)
        result = minimize_scalar(
            lambda c: self.coupling(c)[0],
            bounds=(lo, hi),
            method="bounded",
            options={"xatol": 2e-6 * GeV2},
        )
        return float(result.x), float(result.fun)


def main() -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", IntegrationWarning)
        code = run(quick="--quick" in sys.argv)
    n_warn = sum(issubclass(w.category, IntegrationWarning) for w in caught)
    print(
        f"  scipy IntegrationWarnings in the reference: {n_warn} (adaptive quad near the "
        "1/(t - m^2)^2 structure at small m_X)"
    )
    return code


def run(quick: bool) -> int:
    model = get_model("lmu-ltau")
    masses = np.geomspace(10.0, 380.0, 200)

    def fast() -> None:
        get_experiment(CARD).reach(model, masses)

    fast()  # imports and first-call costs excluded
    t_fast = best_time(fast)
    exp = get_experiment(CARD)
    curve = exp.reach(model, masses)
    cuts, s1_fast, b_fast, _ = exp.optimise_cut("vector", masses)

    subset = [0, 40, 80, 120, 160, 199] if quick else [0, 25, 50, 75, 100, 125, 150, 175, 199]
    rows = []
    t_ref = 0.0
    for i in subset:
        ref = Reference(float(masses[i]))
        start = time.perf_counter()
        g_ref, s_ref, b_ref = ref.coupling(float(cuts[i]))
        t_ref += time.perf_counter() - start
        rows.append(
            (
                masses[i],
                cuts[i] / GeV2,
                curve.coupling[i],
                g_ref,
                s1_fast[i] / s_ref - 1,
                b_fast[i] / b_ref - 1,
                curve.coupling[i] / g_ref - 1,
            )
        )

    print(f"darkreach kaon benchmark: card {CARD}, model lmu-ltau, single core")
    print(f"fast 200-mass reach (cold, incl. tables, cut optimisation, smearing): {t_fast:.3f} s")
    print()
    print("  m_X [MeV]  cut [GeV2]   g fast       g ref        dS/S       dB/B       dg/g")
    for m, c, gf, gr, ds, db, dg in rows:
        print(f"  {m:9.2f}  {c:9.5f}  {gf:11.5e}  {gr:11.5e}  {ds:+9.2e}  {db:+9.2e}  {dg:+9.2e}")
    worst = max(abs(r[6]) for r in rows)
    per_mass = t_ref / len(subset)
    print()
    print(
        f"reference (dblquad at the fast cut): {per_mass:.2f} s per mass, "
        f"{200 * per_mass:.0f} s for 200 masses (extrapolated)"
    )
    print(f"max |dg/g| at the same cut: {worst:.2e} (goal 1e-3)")

    # the reference with its own continuous cut optimisation (a few masses; slow)
    opt_rows = []
    t_opt = 0.0
    for i in [100] if quick else [60, 120, 170]:
        ref = Reference(float(masses[i]))
        start = time.perf_counter()
        c_opt, g_opt = ref.optimise()
        t_opt += time.perf_counter() - start
        opt_rows.append((masses[i], cuts[i] / GeV2, c_opt / GeV2, curve.coupling[i], g_opt))
    print()
    print("  m_X [MeV]  cut fast   cut ref    g fast       g ref (optimised)  dg/g")
    for m, cf, cr, gf, gr in opt_rows:
        print(
            f"  {m:9.2f}  {cf:8.5f}  {cr:8.5f}  {gf:11.5e}  {gr:11.5e}        {gf / gr - 1:+9.2e}"
        )
    per_mass_opt = t_opt / len(opt_rows)
    print()
    print("summary")
    print(f"  fast 200 masses           : {t_fast:8.3f} s")
    print(
        f"  reference 200 masses      : {200 * per_mass:8.0f} s  (same cuts; ratio "
        f"{200 * per_mass / t_fast:.0f}x)"
    )
    print(
        f"  reference incl. optimising: {200 * per_mass_opt:8.0f} s  (ratio "
        f"{200 * per_mass_opt / t_fast:.0f}x)"
    )
    print(
        f"  accuracy max |dg/g|       : {worst:.1e} (same cut); "
        f"{max(abs(r[3] / r[4] - 1) for r in opt_rows):.1e} (own optimum)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
