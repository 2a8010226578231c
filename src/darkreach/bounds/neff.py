"""N_eff bound on a light L_mu - L_tau Z' in equilibrium with the neutrinos.

Handbook bounds_and_new_channels.md 1.4(c) (instantaneous neutrino decoupling at T_D; the
entropy of a species in equilibrium with the neutrinos is given to the neutrinos when it
becomes non-relativistic after decoupling; same formula as spinjo/SNforMuTau H0bounds.py):

    N_eff = N_nu [1 + (g_Z'/2) F(m_Z'/T_D, boson)/N_nu + (g_chi/2) F(m_chi/T_D, fermion)/N_nu]^(4/3)
    F(x) = 30/(7 pi^4) int_x^inf dy (4 y^2 - x^2) sqrt(y^2 - x^2) / (e^y -+ 1)

with g_Z' = 3, g_chi = 4 (Dirac), N_nu = 3, T_D = 2.3 MeV; F(0) = 8/7 (boson), 1 (fermion).
For a Z' alone N_eff(10 MeV) = 3.42; N_eff < 3.4 needs m_Z' > 10.2 MeV, N_eff < 3.2 needs
m_Z' > 12.6 MeV (handbook values). The full Boltzmann treatment of Escudero, Hooper, Krnjaic
and Pierre (JHEP 03 (2019) 071, arXiv:1901.02010) finds m_Z' >~ 10 MeV ([MEM]); it is the
reference to cite.

Default limit: N_eff < 3.33, the 95 % upper edge of Planck 2018 TT,TE,EE+lowE+lensing+BAO,
N_eff = 2.99 (+0.34 -0.33) (Planck 2018 VI, A&A 641 (2020) A6, arXiv:1807.06209, Eq. 95;
value from memory: unverified, confirm before relying). Options 3.2 and 3.5 bracket the
choices seen in plots.

Coupling range. The formula assumes the Z' reached equilibrium with the neutrinos. A
simple criterion: the inverse-decay rate ~ Gamma(Z' -> nu nu-bar) = g^2 m/(12 pi) (both
flavours, left-handed; models.md 1.2) exceeds the Hubble rate H = sqrt(8 pi^3 g_*/90)
T^2/M_Pl at T = m (g_* = 10.75), i.e.

    g_eq(m) = sqrt(12 pi H(T = m)/m) ~ 1.3e-10 sqrt(m/MeV)     [DER; order of magnitude]

The bound is drawn as "all g >= g_eq(m) for m < m_*" (open upwards, ``coupling_upper =
None``): this is approximate and conservative; the full calculation (arXiv:1901.02010) also
excludes part of the out-of-equilibrium region at m <~ few MeV, and a factor of a few in g_eq
moves the edge by less than the plot's decades.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.units import GeV, MeV
from darkreach.validate import checked_array

__all__ = [
    "DECOUPLING_TEMPERATURE",
    "DEFAULT_NEFF_LIMIT",
    "equilibrium_coupling",
    "mass_threshold",
    "n_eff",
    "neff_excluded_edge",
    "thermal_f",
]

#: Instantaneous neutrino decoupling temperature (handbook 1.4(c), SNforMuTau).
DECOUPLING_TEMPERATURE: float = 2.3 * MeV
#: Planck 2018 + BAO 95 % upper edge (module docstring).
DEFAULT_NEFF_LIMIT: float = 3.33
#: Planck mass 1.22089e19 GeV (PDG; unverified: confirm before relying, standard value).
PLANCK_MASS: float = 1.22089e19 * GeV
#: Relativistic degrees of freedom around T ~ 1-10 MeV (photons, e+-, 3 nu).
G_STAR: float = 10.75


@lru_cache(maxsize=4)
def _rule() -> tuple[FloatArray, FloatArray]:
    # y = x + t^2 removes the square-root end point; t in [0, 9] covers e^-81
    edges = np.linspace(0.0, 9.0, 37)
    t, w = gauss_legendre_on_bins(edges, 12)
    return t.ravel(), w.ravel()


def thermal_f(x: ArrayLike, boson: bool) -> FloatArray:
    """F(x) = 30/(7 pi^4) int_x^inf (4y^2 - x^2) sqrt(y^2 - x^2)/(e^y -+ 1) dy, x = m/T >= 0.

    Energy plus pressure of one degree of freedom relative to a massless fermion
    (F(0) = 8/7 boson, 1 fermion).
    """
    xs = checked_array(x, "x", allow_zero=True)
    t, w = _rule()
    xv = xs.ravel()[:, None]
    u = t * t
    y = xv + u
    root = t * np.sqrt(u + 2.0 * xv)  # sqrt(y^2 - x^2)
    occupation = 1.0 / np.expm1(y) if boson else 1.0 / (np.exp(y) + 1.0)
    integrand = (4.0 * y * y - xv * xv) * root * occupation
    total = np.sum(w * 2.0 * t * integrand, axis=-1)
    return np.asarray((30.0 / (7.0 * math.pi**4) * total).reshape(xs.shape))


def n_eff(
    mass: ArrayLike,
    decoupling_temperature: float = DECOUPLING_TEMPERATURE,
    n_nu: float = 3.0,
    dark_fermion_mass: float | None = None,
) -> FloatArray:
    """N_eff with a Z' of ``mass`` (MeV) in equilibrium with the neutrinos (docstring formula).

    ``dark_fermion_mass`` (MeV) adds a Dirac fermion chi (g_chi = 4) in equilibrium too.
    """
    m = checked_array(mass, "mass", unit="MeV")
    if not (math.isfinite(decoupling_temperature) and decoupling_temperature > 0):
        raise InvalidParameterError("decoupling_temperature", decoupling_temperature, "> 0 MeV")
    heat = 1.5 * thermal_f(m / decoupling_temperature, boson=True)
    if dark_fermion_mass is not None:
        mchi = float(checked_array(dark_fermion_mass, "dark_fermion_mass", unit="MeV"))
        heat = heat + 2.0 * float(thermal_f(mchi / decoupling_temperature, boson=False))
    return np.asarray(n_nu * (1.0 + heat / n_nu) ** (4.0 / 3.0))


def mass_threshold(
    limit: float = DEFAULT_NEFF_LIMIT, decoupling_temperature: float = DECOUPLING_TEMPERATURE
) -> float:
    """Mass (MeV) below which an equilibrated Z' gives N_eff > ``limit``."""
    from scipy.optimize import brentq

    if not (math.isfinite(limit) and 3.0 < limit < 5.4):
        raise InvalidParameterError("limit", limit, "an N_eff limit in (3, 5.4)")

    def excess(m: float) -> float:
        return float(n_eff(m, decoupling_temperature)) - limit

    return float(brentq(excess, 1e-3 * decoupling_temperature, 100.0 * decoupling_temperature))


def equilibrium_coupling(mass: ArrayLike) -> FloatArray:
    """g_eq(m) = sqrt(12 pi H(T=m)/m): Gamma(Z' -> nu nu-bar) = H at T = m (order of magnitude)."""
    m = checked_array(mass, "mass", unit="MeV")
    hubble = math.sqrt(8.0 * math.pi**3 * G_STAR / 90.0) * m * m / PLANCK_MASS
    return np.asarray(np.sqrt(12.0 * math.pi * hubble / m))


def neff_excluded_edge(
    mass: ArrayLike,
    limit: float = DEFAULT_NEFF_LIMIT,
    decoupling_temperature: float = DECOUPLING_TEMPERATURE,
) -> FloatArray:
    """Lower coupling edge of the excluded region: g_eq(m) below the threshold, NaN above."""
    m = checked_array(mass, "mass", unit="MeV")
    threshold = mass_threshold(limit, decoupling_temperature)
    return np.asarray(np.where(m < threshold, equilibrium_coupling(m), np.nan))
