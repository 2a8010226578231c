"""Benchmark: darkreach's NA62 beam-dump dark-photon contour side by side with FORESEE.

Run (single core; FORESEE is optional, CI never needs it)::

    python benchmarks/bench_dump_peer.py --foresee /path/to/FORESEE/src
    FORESEE_PATH=/path/to/FORESEE/src python benchmarks/bench_dump_peer.py

``--foresee`` (or ``FORESEE_PATH``) is the folder holding ``foresee.py`` (FORESEE,
https://github.com/KlingFelix/FORESEE, MIT licence; F. Kling, S. Trojanowski,
arXiv:2105.07077). FORESEE needs ``numba``, ``scikit-hep<4`` (``skhep.math.vectors``),
``particle``, ``scipy`` and ``matplotlib`` importable. Without FORESEE (no path, or its import
fails) the script times darkreach only, says that the peer is missing, and exits 0. Nothing of
FORESEE is part of darkreach: the script only imports it from the path given.

What it does, in one process (numpy/BLAS threads pinned to one before numpy is imported):

1. darkreach: ``reach`` of the dark photon on 100 log-spaced masses 215-560 MeV, each time on a
   fresh ``BeamDump`` built from the card (so the seeded Monte Carlo of every simulation-grid
   mass is included): the shipped ``na62-dump-2021-mumu`` card (all its production mechanisms) and a
   copy restricted to eta -> gamma A' (the peer's physics); each run ``--repeat`` times, the
   median wall time reported.
2. FORESEE, set up for the same physics as closely as its machinery allows (what differs is
   printed and listed in docs/dump-peer-comparison.md):

   - production: eta -> gamma A' only, BR = 2 BR(eta -> gamma gamma) eps^2 (1 - m^2/m_eta^2)^3
     with darkreach's BR(eta -> gamma gamma) = 0.3941 (FORESEE's tutorial writes 0.39). FORESEE
     has no fixed-target proton bremsstrahlung generator: its ``add_production_direct`` reads
     pre-computed LLP spectra, shipped only for LHC energies, so brem is not used;
   - the eta spectrum: darkreach's own table (``load_spectrum("eta", <card source>)``) rebinned
     into FORESEE's hadron-file format (log10 theta, log10 p [GeV], weight; 0.05-wide bins) in a
     temporary folder; rebinning redistributes each darkreach bin uniformly in ln p and in solid
     angle (as darkreach's sampler does), so the table's content is conserved;
   - width and BR(A' -> mu mu): darkreach's dark-photon model exported into FORESEE's
     ``ctau.txt`` / ``br/mu_mu.txt`` tables (1 MeV spacing; FORESEE interpolates linearly);
   - detector: FORESEE's decay volume from L1 = z_start - z_dump to L2 = z_end - z_dump
     (79.36-156.93 m) with P = exp(-L1/d) - exp(-L2/d), d = c tau p_z / m; acceptance: the A'
     line of flight, from the beam spot (y = -22 mm at the dump), inside r < 1 m at STRAW1
     (z = 183 m). darkreach instead requires both muons inside the STRAW1/STRAW4 annuli
     (0.1 < r < 1 m), CHOD, LKr and MUV3 with the magnet kick (see the docs for the effect);
   - event units: weights "per POT x 1e12" play FORESEE's pb and POT/1e15 its fb^-1, so that
     its weight cut (1e-6) removes nothing;
   - samples: ``nsample`` A' per parent-spectrum row (``--nsample``, default 10; FORESEE's
     tutorial uses 100), parents preselected to theta < 0.1 rad and p > 4 GeV (darkreach draws
     parents within 0.1 rad and keeps A' above 5 GeV); couplings on FORESEE's usual grid of 10
     per decade (1e-9 ... 1e-3, 61 points); the contour with FORESEE's method (matplotlib
     ``contour`` of log10 N at the event limit on the linear (m, eps) grid, as
     ``Foresee.extract_contours`` does).

   The timed FORESEE run is its whole chain: ``get_llp_spectrum`` at each mass (its Monte
   Carlo), ``get_events`` over the coupling grid and the contour extraction; ``--repeat``
   runs, each with a fresh ``Foresee``/``Model`` and a fresh output folder, median reported.
3. Lower and upper edges of both at a few masses. The event limit is darkreach's (CLs 90 %,
   b = 0.016; 2.30 events with n = 0, more inside the 411 MeV window where n = 1); FORESEE's
   edges are read from its event grid per mass with the same per-mass limit (log-log
   interpolation between grid couplings).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault("DARKREACH_CACHE", "off")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

import darkreach  # noqa: E402
from darkreach.constants import hbarc  # noqa: E402
from darkreach.experiments.registry import card_path, get_experiment  # noqa: E402
from darkreach.models.registry import get_model  # noqa: E402
from darkreach.production.meson_spectra import load_spectrum  # noqa: E402

CARD = "na62-dump-2021-mumu"
MODEL = "dark-photon"
MASSES_MEV = np.geomspace(215.0, 560.0, 100)  # = the CLI's --masses 215MeV:560MeV:100
REPORT_MEV = (220.0, 250.0, 300.0, 350.0, 400.0, 450.0, 500.0, 530.0, 545.0)
COUPLINGS = np.logspace(-9.0, -3.0, 61)
BR_ETA_GAMMA_GAMMA = 0.3941  # darkreach.production.meson_decays.BR_TWO_PHOTON["eta"]
WEIGHT_UNIT = 1e12  # FORESEE "pb" per (meson per POT)
STRAW1 = "STRAW1"


# ----------------------------------------------------------------------------- helpers
def median_time(fn: Callable[[], Any], repeat: int) -> tuple[float, list[float], list[float], Any]:
    """Median wall time [s] of ``repeat`` calls, all wall times, all CPU times (this process)
    and the last result. CPU time is the fairer number on a loaded machine (single thread)."""
    walls: list[float] = []
    cpus: list[float] = []
    result = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), walls, cpus, result


def _runs(walls: list[float], cpus: list[float]) -> str:
    wall = ", ".join(f"{t:.2f}" for t in walls)
    cpu = ", ".join(f"{t:.2f}" for t in cpus)
    return f"(wall runs {wall}; CPU median {statistics.median(cpus):.2f} s, runs {cpu})"


def card_variant(folder: Path, suffix: str, disc_only: bool) -> Path:
    """A copy of the shipped card with production restricted to eta -> gamma A'.

    ``disc_only``: the muon channel also sees only STRAW1 as a full disc r < 1 m (no 0.1 m hole,
    no STRAW4/CHOD/LKr/MUV3, so no magnet kick either): the geometry closest to FORESEE's cut on
    the A' line of flight, to separate the acceptance from everything else.
    """
    text = card_path(CARD).read_text(encoding="utf-8")
    edits = [(r"(?m)^mechanisms = \[.*\]$", 'mechanisms = ["eta"]')]
    if disc_only:
        edits += [
            (r'(?m)^planes = \["STRAW1", .*\]$', 'planes = ["STRAW1"]'),
            (r'(?m)^r_min = \{ value = "0\.1 m"', 'r_min = { value = "0 m"'),  # STRAW1's
        ]
    for pattern, replacement in edits:
        text, count = re.subn(pattern, replacement, text, count=1)
        if count != 1:
            raise SystemExit(f"bench_dump_peer: card {CARD} has no line matching {pattern}")
    text = text.replace(f'name = "{CARD}"', f'name = "{CARD}-{suffix}"', 1)
    path = folder / f"{CARD}-{suffix}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def darkreach_run(card: str | Path) -> Callable[[], Any]:
    model = get_model(MODEL)

    def run() -> Any:
        experiment = get_experiment(card)  # fresh BeamDump: Monte Carlo tables recomputed
        return experiment.reach(model, MASSES_MEV)

    return run


# ----------------------------------------------------------------------------- FORESEE
def import_foresee(path: str | None) -> tuple[Any, str]:
    """The ``foresee`` module from ``path`` (folder with foresee.py), or (None, reason)."""
    if not path:
        return None, "no FORESEE path given (--foresee or FORESEE_PATH)"
    folder = Path(path).expanduser().resolve()
    if (folder / "src" / "foresee.py").is_file():
        folder = folder / "src"
    if not (folder / "foresee.py").is_file():
        return None, f"no foresee.py in {folder}"
    sys.path.insert(0, str(folder))
    try:
        module = importlib.import_module("foresee")
    except Exception as exc:  # any import failure: peer missing
        return None, f"importing FORESEE from {folder} failed: {type(exc).__name__}: {exc}"
    return module, str(folder)


def _overlap(edges_a: np.ndarray, edges_b: np.ndarray) -> np.ndarray:
    """F[i, j] = fraction of interval a_i inside interval b_j (edges in any monotone variable)."""
    lo = np.maximum(edges_a[:-1, None], edges_b[None, :-1])
    hi = np.minimum(edges_a[1:, None], edges_b[None, 1:])
    width = (edges_a[1:] - edges_a[:-1])[:, None]
    return np.asarray(np.clip(hi - lo, 0.0, None) / width, dtype=float)


def export_eta_spectrum(source: str, path: Path) -> float:
    """Write darkreach's eta table in FORESEE's hadron format; return mesons per POT written.

    Rows: log10(theta/rad), log10(p/GeV) at 0.05-wide bin centres, weight = mesons per POT x
    WEIGHT_UNIT. Each darkreach bin is spread uniformly in ln p and in 1 - cos(theta).
    """
    spectrum = load_spectrum("eta", source)
    p_gev = np.asarray(spectrum.momentum_edges) / 1000.0
    theta = np.asarray(spectrum.angle_edges)
    lp_edges = np.round(np.arange(-2.0, 2.65 + 1e-9, 0.05), 3)
    lt_edges = np.round(np.arange(-6.0, 0.0 + 1e-9, 0.05), 3)
    fp = _overlap(np.log(p_gev), np.log(10.0**lp_edges))  # (dr p, fs p)
    u_dr = np.sin(0.5 * theta) ** 2
    u_fs = np.sin(0.5 * 10.0**lt_edges) ** 2
    u_fs[0] = 0.0  # the first FORESEE bin takes everything below 1 micro-rad
    ft = _overlap(u_dr, u_fs)  # (dr theta, fs theta)
    table = fp.T @ np.asarray(spectrum.per_pot) @ ft  # (fs p, fs theta)
    lp_c = 0.5 * (lp_edges[:-1] + lp_edges[1:])
    lt_c = 0.5 * (lt_edges[:-1] + lt_edges[1:])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write(f"# darkreach eta spectrum ({source}), per POT x {WEIGHT_UNIT:g}\n")
        for it, lt in enumerate(lt_c):
            for ip, lp in enumerate(lp_c):
                out.write(f"{lt:.3f} {lp:.3f} {table[ip, it] * WEIGHT_UNIT:.6e}\n")
    return float(table.sum())


def export_widths(model_dir: Path) -> None:
    """darkreach's dark-photon c tau (eps = 1) [m] and BR(mu mu) in FORESEE's 1-d tables."""
    model = get_model(MODEL)
    m_mev = np.arange(200.0, 600.0 + 0.5, 1.0)
    one = np.ones_like(m_mev)
    gamma = np.asarray(model.total_width(m_mev, one), dtype=float)  # MeV
    ctau_m = hbarc / gamma / 1000.0  # mm -> m
    br = np.asarray(model.branching_ratios(m_mev, one)["mu mu"], dtype=float)
    (model_dir / "br").mkdir(parents=True, exist_ok=True)
    np.savetxt(model_dir / "ctau.txt", np.column_stack([m_mev / 1000.0, ctau_m]), fmt="%.8e")
    np.savetxt(
        model_dir / "br" / "mu_mu.txt",
        np.column_stack([m_mev / 1000.0, np.nan_to_num(br)]),
        fmt="%.8e",
    )


def contour_foresee_method(
    masses_gev: np.ndarray, nsignals: np.ndarray, level: float
) -> list[np.ndarray]:
    """FORESEE's contour extraction (``Foresee.extract_contours``): matplotlib ``contour`` of
    log10(N + 1e-20) at log10(level) on the linear (m, eps) grid. ``cs.collections`` (used by
    FORESEE) is gone in matplotlib >= 3.10, so the same paths are read from ``allsegs``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    m, c = np.meshgrid(masses_gev, COUPLINGS)
    n = np.log10(np.asarray(nsignals).T + 1e-20)
    cs = plt.contour(m, c, n, levels=[math.log10(level)])
    segments = [np.asarray(s) for s in cs.allsegs[0]]
    plt.close("all")
    return segments


class ForeseeRun:
    """One FORESEE set-up in a fresh folder, and its whole 100-mass chain."""

    def __init__(
        self, module: Any, geometry: Any, pot: float, source: str, nsample: int, seed: int
    ) -> None:
        self.seed = seed
        self.module = module
        self.geometry = geometry
        self.pot = pot
        self.source = source
        self.nsample = nsample

    def __call__(self) -> np.ndarray:
        with tempfile.TemporaryDirectory(prefix="foresee-na62-") as tmp:
            root = Path(tmp)
            export_eta_spectrum(
                self.source, root / "files/hadrons/0.4TeV/DARKREACH/DARKREACH_0.4TeV_221.txt"
            )
            export_widths(root / "model")
            with contextlib.redirect_stdout(io.StringIO()):  # FORESEE prints per mass
                return self.run_in(root)

    def run_in(self, root: Path) -> np.ndarray:
        fs_mod = self.module
        g = self.geometry
        foresee = fs_mod.Foresee(path=str(root) + "/")
        foresee.rng.seed(self.seed)  # FORESEE's own random.Random (unseeded by default)
        model = fs_mod.Model("DarkPhotonNA62dump", path=str(root) + "/")
        model.add_production_2bodydecay(
            pid0="221",
            pid1="22",
            br=f"2.*{BR_ETA_GAMMA_GAMMA} * coupling**2 * pow(1.-pow(mass/self.masses('pid0'),2),3)",
            generator="DARKREACH",
            energy="0.4",
            nsample=self.nsample,
            preselectioncut="th<0.1 and p>4",
        )
        model.set_ctau_1d(filename="model/ctau.txt", coupling_ref=1)
        model.set_br_1d(modes=["mu_mu"], finalstates=[[13, -13]], filenames=["model/br/mu_mu.txt"])
        foresee.set_model(model=model)
        l1 = (g.z_start - g.z_dump) / 1000.0
        l2 = (g.z_end - g.z_dump) / 1000.0
        scale = (g.straw1_z - g.z_dump) / 1000.0 / l1
        selection = (
            f"np.sqrt((x.x*{scale:.6f})**2 + (x.y*{scale:.6f} + {g.beam_y / 1000.0:.4f})**2)"
            f" < {g.straw1_rmax / 1000.0:.4f}"
        )
        foresee.set_detector(
            distance=l1,
            distance_prod=0,
            selection=selection,
            length=l2 - l1,
            luminosity=self.pot / (WEIGHT_UNIT * 1000.0),
            channels=["mu_mu"],
        )
        masses_gev = MASSES_MEV / 1000.0
        nsignals = []
        for mass in masses_gev:
            mass = float(mass)
            foresee.get_llp_spectrum(mass=mass, coupling=1)
            _, _, nevents, _, _ = foresee.get_events(
                mass=mass, energy="0.4", couplings=COUPLINGS, preselectioncuts="th<0.01"
            )
            nsignals.append(np.asarray(nevents, dtype=float)[:, 0])
        result = np.array(nsignals)  # (mass, coupling)
        self.segments = contour_foresee_method(masses_gev, result, 2.3026)
        return result


class _Geometry:
    def __init__(self, experiment: Any) -> None:
        geometry = experiment.geometry
        self.z_dump = geometry.z_dump
        self.z_start = geometry.z_start
        self.z_end = geometry.z_end
        self.beam_y = geometry.beam_y
        straw = next(p for s in experiment.final_states for p in s.planes if p.name == STRAW1)
        self.straw1_z = straw.z
        self.straw1_rmax = straw.r_max


def _cross(lc: np.ndarray, ln: np.ndarray, target: float, a: int, b: int) -> float:
    """Coupling where ln N = target between grid points a and b (linear in ln eps, ln N)."""
    t = (target - ln[a]) / (ln[b] - ln[a])
    return float(np.exp(lc[a] + t * (lc[b] - lc[a])))


def edges_from_grid(nsignals: np.ndarray, limits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper coupling edges per mass from N on COUPLINGS (log-log interpolation)."""
    lower = np.full(nsignals.shape[0], np.nan)
    upper = np.full(nsignals.shape[0], np.nan)
    lc = np.log(COUPLINGS)
    for i, (row, limit) in enumerate(zip(nsignals, limits, strict=True)):
        above = row >= limit
        if not np.any(above):
            continue
        j0 = int(np.argmax(above))
        j1 = int(len(row) - 1 - np.argmax(above[::-1]))
        ln = np.log(np.maximum(row, 1e-300))
        target = math.log(limit)
        lower[i] = _cross(lc, ln, target, j0 - 1, j0) if j0 > 0 else COUPLINGS[0]
        upper[i] = _cross(lc, ln, target, j1, j1 + 1) if j1 < len(row) - 1 else COUPLINGS[-1]
    return lower, upper


# ----------------------------------------------------------------------------- main
def fmt(x: float) -> str:
    return "   -    " if not np.isfinite(x) else f"{x:.3e}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--foresee",
        default=os.environ.get("FORESEE_PATH"),
        help="folder with FORESEE's foresee.py (or set FORESEE_PATH)",
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs per timing (median)")
    parser.add_argument(
        "--nsample",
        type=int,
        default=10,
        help="FORESEE A' per parent-spectrum row (its tutorial: 100)",
    )
    parser.add_argument(
        "--foresee-seed", type=int, default=20210, help="seed of FORESEE's random stream"
    )
    parser.add_argument("--json", type=Path, default=None, help="write all numbers here")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.nsample < 1:
        parser.error("--repeat and --nsample must be >= 1")

    print(
        f"darkreach {darkreach.__version__}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, OMP_NUM_THREADS={os.environ['OMP_NUM_THREADS']}"
    )
    print(
        f"card {CARD}, model {MODEL}, {MASSES_MEV.size} masses "
        f"{MASSES_MEV[0]:.0f}-{MASSES_MEV[-1]:.0f} MeV (log-spaced), {args.repeat} runs each"
    )
    out: dict[str, Any] = {"masses_MeV": MASSES_MEV.tolist()}

    # first call in the process: imports, the meson-spectrum table (cached per process) and
    # the first Monte Carlo; reported apart, then --repeat runs on fresh BeamDump instances
    start, cpu = time.perf_counter(), time.process_time()
    darkreach_run(CARD)()
    cold, cold_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"darkreach first call in the process (cold, full card): {cold:.2f} s (CPU {cold_cpu:.2f})"
    )
    with tempfile.TemporaryDirectory(prefix="darkreach-peer-") as tmp:
        eta_card = card_variant(Path(tmp), "eta", disc_only=False)
        disc_card = card_variant(Path(tmp), "eta-disc", disc_only=True)
        t_full, all_full, cpu_full, curve_full = median_time(darkreach_run(CARD), args.repeat)
        t_eta, all_eta, cpu_eta, curve_eta = median_time(darkreach_run(eta_card), args.repeat)
        curve_disc = darkreach_run(disc_card)()
    print(
        f"darkreach full card (all mechanisms): median {t_full:.2f} s  {_runs(all_full, cpu_full)}"
    )
    print(f"darkreach eta only                  : median {t_eta:.2f} s  {_runs(all_eta, cpu_eta)}")
    out["darkreach"] = {
        "time_cold_s": cold,
        "cpu_cold_s": cold_cpu,
        "time_full_s": all_full,
        "cpu_full_s": cpu_full,
        "time_eta_s": all_eta,
        "cpu_eta_s": cpu_eta,
    }
    for key, curve in (("full", curve_full), ("eta", curve_eta), ("eta_disc", curve_disc)):
        out["darkreach"][key] = {
            "lower": curve.coupling.tolist(),
            "upper": curve.coupling_upper.tolist(),
        }

    module, where = import_foresee(args.foresee)
    if module is None:
        print(f"PEER MISSING: FORESEE is not available ({where}); only darkreach was timed.")
        _write(args.json, out)
        return 0

    experiment = get_experiment(CARD)
    source = experiment.card.production.meson_spectra  # type: ignore[attr-defined]
    limits = experiment.signal_limits(MASSES_MEV, 0.9, "cls")  # type: ignore[attr-defined]
    pot = float(experiment.pot)  # type: ignore[attr-defined]
    run = ForeseeRun(module, _Geometry(experiment), pot, source, args.nsample, args.foresee_seed)
    print(
        f"FORESEE from {where} (nsample {args.nsample}, seed {args.foresee_seed}, "
        f"eta spectrum '{source}', "
        f"{COUPLINGS.size} couplings) ...",
        flush=True,
    )
    t_fs, all_fs, cpu_fs, nsignals = median_time(run, args.repeat)
    print(f"FORESEE eta only                    : median {t_fs:.2f} s  {_runs(all_fs, cpu_fs)}")
    print(
        f"FORESEE contour: {len(run.segments)} path(s), "
        f"{sum(len(s) for s in run.segments)} vertices"
    )
    c_fs, c_eta, c_full = (statistics.median(c) for c in (cpu_fs, cpu_eta, cpu_full))
    print(
        f"ratio FORESEE / darkreach, wall medians: {t_fs / t_eta:.1f} (eta only), "
        f"{t_fs / t_full:.1f} (full card), {t_fs / cold:.1f} (darkreach cold); CPU medians: "
        f"{c_fs / c_eta:.1f} (eta only), {c_fs / c_full:.1f} (full card), "
        f"{c_fs / cold_cpu:.1f} (darkreach cold)"
    )
    lower_fs, upper_fs = edges_from_grid(nsignals, limits)
    out["foresee"] = {
        "seed": args.foresee_seed,
        "path": where,
        "nsample": args.nsample,
        "time_s": all_fs,
        "cpu_s": cpu_fs,
        "lower": lower_fs.tolist(),
        "upper": upper_fs.tolist(),
        "nsignals": nsignals.tolist(),
        "couplings": COUPLINGS.tolist(),
    }

    print("\nedges of the excluded eps (90 % CL CLs; '-' = nothing excluded); 'eta, disc':")
    print("darkreach eta only with FORESEE's acceptance (STRAW1 disc r < 1 m for both muons)")
    print(
        "  m [MeV] | darkreach full      | darkreach eta       | darkreach eta, disc |"
        " FORESEE eta         | FS/dr(eta) low  up | FS/dr(disc) low up"
    )
    for target in REPORT_MEV:
        i = int(np.argmin(np.abs(MASSES_MEV - target)))
        print(
            f"  {MASSES_MEV[i]:7.1f}"
            f" | {fmt(curve_full.coupling[i])} {fmt(curve_full.coupling_upper[i])}"
            f" | {fmt(curve_eta.coupling[i])} {fmt(curve_eta.coupling_upper[i])}"
            f" | {fmt(curve_disc.coupling[i])} {fmt(curve_disc.coupling_upper[i])}"
            f" | {fmt(lower_fs[i])} {fmt(upper_fs[i])}"
            f" | {lower_fs[i] / curve_eta.coupling[i]:6.2f} "
            f"{upper_fs[i] / curve_eta.coupling_upper[i]:6.2f}     "
            f" | {lower_fs[i] / curve_disc.coupling[i]:6.2f} "
            f"{upper_fs[i] / curve_disc.coupling_upper[i]:6.2f}"
        )
    for label, curve in (("darkreach eta", curve_eta), ("darkreach eta, disc", curve_disc)):
        both = np.isfinite(lower_fs) & np.isfinite(curve.coupling)
        only_fs = int(np.count_nonzero(np.isfinite(lower_fs) & ~np.isfinite(curve.coupling)))
        only_dr = int(np.count_nonzero(~np.isfinite(lower_fs) & np.isfinite(curve.coupling)))
        if not np.any(both):
            continue
        rl = lower_fs[both] / curve.coupling[both]
        ru = upper_fs[both] / curve.coupling_upper[both]
        print(
            f"FORESEE / {label}: {int(both.sum())} masses excluded by both ({only_fs} by FORESEE "
            f"only, {only_dr} by darkreach only); lower edge {rl.min():.2f}-{rl.max():.2f} "
            f"(median {np.median(rl):.2f}), upper edge {ru.min():.2f}-{ru.max():.2f} "
            f"(median {np.median(ru):.2f})"
        )
    reach = [
        (label, float(np.nanmax(MASSES_MEV[np.isfinite(c)])) if np.any(np.isfinite(c)) else 0.0)
        for label, c in (
            ("darkreach eta", curve_eta.coupling),
            ("darkreach eta, disc", curve_disc.coupling),
            ("FORESEE eta", lower_fs),
        )
    ]
    print("highest excluded mass: " + ", ".join(f"{k} {v:.1f} MeV" for k, v in reach))
    _write(args.json, out)
    return 0


def _write(path: Path | None, data: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        print(f"numbers written to {path}")


if __name__ == "__main__":
    raise SystemExit(main())
