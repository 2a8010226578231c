"""Derive the BR tables and decay lengths of the kaon-pion-visible cards (run by hand).

Not part of the package: documents how the calibrated numbers in ``na62-kpigg-prompt.toml`` and
``na62-kpimumu.toml`` were made. Inputs (not shipped): ALPaca (MIT) @3f98273
``alpaca/experimental_data/visible/na62_kpigammagamma.npy`` (INSPIRE NA62:2025upx, NA62:2023olg)
and ``na62_kpimumu.npy`` (NA62:2025upx, NA62:2022qes): log10 of 90 % CL upper limits on
BR(K+ -> pi+ X) BR(X -> f) on a (m_X [GeV], log10 tau/ps) grid whose first lifetime row is
-inf (prompt), handbook bounds_and_new_channels.md 2.5. The prompt row is the card's BR table
(every ``STEP``-th mass node); the decay_end L of the prompt region (decay_start 0) is fitted to
the whole lifetime dependence, BR(tau) = BR_prompt / P_in(tau; 0, L), least squares in log BR.

Usage: python derive_visible.py ALPACA_VISIBLE_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from hepunits import GeV, c_light, m, picosecond
from scipy.optimize import minimize_scalar

from darkreach.experiments.kaon.pion_escape import LabKinematics
from darkreach.experiments.kaon.pion_visible import decay_probability

KIN = LabKinematics(75 * GeV, 15 * GeV, 35 * GeV)
STEP = 1
#: mass nodes per bin of the mass-dependent decay_end fit
BIN = 20


def fit_length(mass: np.ndarray, lt: np.ndarray, br: np.ndarray) -> tuple[float, np.ndarray]:
    """Best decay_end [m] for the masses given and the log residuals."""
    prompt = br[0]

    def residuals(length_m: float) -> np.ndarray:
        out = []
        for i in range(1, lt.size):
            p = decay_probability(KIN, mass, 10 ** lt[i] * picosecond * c_light, 0.0, length_m * m)
            sel = np.isfinite(br[i])
            out.append(np.log(prompt[sel] / p[sel] / br[i, sel]))
        return np.concatenate(out)

    res = minimize_scalar(
        lambda x: np.mean(residuals(x) ** 2), bounds=(0.01, 300), method="bounded"
    )
    return float(res.x), residuals(float(res.x))


def fit(path: Path) -> None:
    d = np.load(path)
    mass, lt, br = d[-1, :-1] * 1e3, d[:-1, -1], 10 ** d[:-1, :-1]
    ok = np.isfinite(br[0])
    mass, br = mass[ok], br[:, ok]
    prompt = br[0]

    def residuals(length_m: float) -> np.ndarray:
        out = []
        for i in range(1, lt.size):
            p = decay_probability(KIN, mass, 10 ** lt[i] * picosecond * c_light, 0.0, length_m * m)
            sel = np.isfinite(br[i])
            out.append(np.log(prompt[sel] / p[sel] / br[i, sel]))
        return np.concatenate(out)

    res = minimize_scalar(
        lambda x: np.mean(residuals(x) ** 2), bounds=(0.01, 300), method="bounded"
    )
    r = residuals(float(res.x))
    print(
        f"# {path.name}: decay_end = {res.x:.3g} m, rms(log) = {np.sqrt(np.mean(r**2)):.3f}, "
        f"max |dev| = {np.exp(np.max(np.abs(r))) - 1:.2f}, {r.size} points"
    )
    keep = np.r_[np.arange(0, mass.size, STEP), mass.size - 1]
    keep = np.unique(keep)
    print("masses = [", ", ".join(f"{x:.4g}" for x in mass[keep]), "]")
    print("values = [", ", ".join(f"{x:.4g}" for x in prompt[keep]), "]")
    centres, lengths, res_all = [], [], []
    for lo in range(0, mass.size, BIN):
        sl = slice(lo, min(lo + BIN, mass.size))
        length, r = fit_length(mass[sl], lt, br[:, sl])
        centres.append(float(np.mean(mass[sl])))
        lengths.append(length)
        res_all.append(r)
    r = np.concatenate(res_all)
    print(
        f"# per-mass decay_end ({BIN} nodes a bin): rms(log) = {np.sqrt(np.mean(r**2)):.3f}, "
        f"max |dev| = {np.exp(np.max(np.abs(r))) - 1:.2f}"
    )
    print("table_masses = [", ", ".join(f"{x:.4g}" for x in centres), "]")
    print("table_values = [", ", ".join(f"{x:.3g}" for x in lengths), "]")


if __name__ == "__main__":
    base = Path(sys.argv[1])
    for name in ("na62_kpigammagamma.npy", "na62_kpimumu.npy"):
        fit(base / name)
