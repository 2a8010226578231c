"""Derive the BR(K+ -> pi+ X) limit tables of the kaon-pion-invisible cards (run by hand).

Not part of the package: documents how the calibrated numbers in
``na62-kpix-2016-2018.toml`` and ``na62-kpix-2016-2022.toml`` were made. Inputs (not shipped):

* ALPINIST (BSD-3-Clause) @a0dbe27 ``Figures/Bound_data/DS/NA62_lowerlimit.csv`` and
  ``pi0-inv_DS.csv``: the lower edge of the NA62 sin^2 theta exclusion of the 2016-18
  K+ -> pi+ X result (arXiv:2103.15389, HEPData record of that paper) and of the pi0 -> invisible
  result (arXiv:2010.07644, HEPData ins1822910). Each sin^2 theta is converted back to a BR
  limit with BR(K+ -> pi+ S) / sin^2 theta of darkreach (the ALPINIST formula and constants,
  handbook bounds_and_new_channels.md 2.2, 2.6). S is long lived at the lower edge
  (P_escape > 0.89 up to 260 MeV with the card escape length), neglected here.
* ALPaca (MIT) @3f98273 ``alpaca/experimental_data/invisible/na62_kpiInv_2025.npy``,
  ``na62_kpiInv.npy`` and ``na62_kpipi0.npy``: log10 of BR(K+ -> pi+ X) limits on a
  (m_X, log10 tau/ps) grid (handbook 2.5). The stable-X limit is the tau = 1e4 ps row times
  the card's escape probability at tau = 1e4 ps; the escape length L is fitted to the whole
  lifetime dependence of each table (least squares in log BR over tau = 100 ps ... 5000 ps).

Usage: python derive_tables.py ALPINIST_DS_DIR ALPACA_INVISIBLE_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from hepunits import GeV, c_light, m, picosecond
from scipy.optimize import minimize_scalar

from darkreach.experiments.kaon.pion_escape import LabKinematics, escape_probability
from darkreach.production.kaon_to_pion import br_k_to_pi_scalar

KIN = LabKinematics(75 * GeV, 15 * GeV, 35 * GeV)


def ctau(log_tau_ps: float) -> float:
    return float(10**log_tau_ps * picosecond * c_light)


def from_theta2(path: Path, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    data = np.loadtxt(path, delimiter=",")
    data = data[np.argsort(data[:, 0])]
    mass = data[:, 0] * 1e3
    keep = (mass >= lo) & (mass <= hi)
    mass, theta2 = mass[keep], data[keep, 1]
    mass, idx = np.unique(np.round(mass, 3), return_index=True)
    br = theta2[idx] * br_k_to_pi_scalar(np.clip(mass, 1e-6, None), 1.0)
    return mass, br


def fit_length(path: Path) -> tuple[float, np.ndarray, np.ndarray]:
    d = np.load(path)
    mass, lt, br = d[-1, :-1] * 1e3, d[:-1, -1], 10 ** d[:-1, :-1]
    sel = mass > 5.0

    def residuals(length_m: float) -> np.ndarray:
        p = [escape_probability(KIN, mass[sel], ctau(t), length_m * m) for t in lt]
        stable = br[-1, sel] * p[-1]
        out = []
        for i in range(lt.size - 1):
            pred = stable / p[i]
            ok = np.isfinite(br[i, sel]) & np.isfinite(pred) & (pred < 1e-6)
            out.append(np.log(pred[ok] / br[i, sel][ok]))
        return np.concatenate(out)

    res = minimize_scalar(lambda x: np.mean(residuals(x) ** 2), bounds=(10, 600), method="bounded")
    length = float(res.x)
    r = residuals(length)
    print(
        f"# {path.name}: L = {length:.0f} m, rms(log) = {np.sqrt(np.mean(r**2)):.3f}, "
        f"median |dev| = {np.exp(np.median(np.abs(r))) - 1:.2f}"
    )
    stable = br[-1] * escape_probability(KIN, mass, ctau(lt[-1]), length * m)
    return length, mass, stable


def emit(name: str, mass: np.ndarray, br: np.ndarray, lo: float, hi: float) -> None:
    keep = np.isfinite(br) & (mass >= lo - 1e-9) & (mass <= hi + 1e-9)
    ms = ", ".join(f"{x:.4g}" for x in mass[keep])
    vs = ", ".join(f"{x:.4g}" for x in br[keep])
    print(f"## {name}\nmasses = [{ms}]\nvalues = [{vs}]")


def main() -> None:
    alpinist, alpaca = Path(sys.argv[1]), Path(sys.argv[2])
    for region, lo, hi in (("R1", 0.0, 110.0), ("R2", 154.0, 260.0)):
        emit(f"2016-18 {region}", *from_theta2(alpinist / "NA62_lowerlimit.csv", lo, hi), lo, hi)
    emit("2016-18 pi0", *from_theta2(alpinist / "pi0-inv_DS.csv", 100.0, 160.0), 100.0, 160.0)
    _, mass, stable = fit_length(alpaca / "na62_kpiInv_2025.npy")
    emit("2016-22 R1", mass, stable, 0.0, 110.0)
    emit("2016-22 R2", mass, stable, 154.0, 260.0)
    _, mass, stable = fit_length(alpaca / "na62_kpipi0.npy")
    emit("pi0 (ALPaca)", mass, stable, 110.0, 155.0)
    fit_length(alpaca / "na62_kpiInv.npy")


if __name__ == "__main__":
    main()
