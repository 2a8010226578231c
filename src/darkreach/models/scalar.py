"""Muon-philic scalar and pseudoscalar (handbook models.md section 3).

Interaction: ``L = -g_S S mubar mu`` (CP-even) or ``L = -i g_P P mubar g5 mu`` (CP-odd),
optionally with a dark Dirac fermion chi coupled with the same CP structure and Yukawa
``y_chi`` (``dark_coupling``).

Masses and widths in MeV (hepunits).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.constants import alpha_em, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.models.base import (
    NO_COUPLING,
    FermionCoupling,
    Spin,
    WidthModel,
    as_coupling,
    as_mass,
)

__all__ = ["MuonPhilicScalar", "Parity", "photon_loop_amplitude"]

Parity = Literal["scalar", "pseudoscalar"]

# Coefficients c_n of arcsin^2(sqrt(u)) = sum_{n>=1} c_n u^n, c_n = 4^n / (2 n^2 C(2n, n)).
_N_SERIES = 16
_C = np.array([4.0**n / (2.0 * n * n * math.comb(2 * n, n)) for n in range(1, _N_SERIES + 2)])
_TAU_SERIES = 20.0  # use the series in u = 1/tau for tau above this (u < 0.05)


def _f_function(tau: FloatArray) -> NDArray[np.complex128]:
    """``f(tau)``: ``arcsin^2(1/sqrt(tau))`` for tau >= 1, else
    ``-(1/4) [ln((1 + sqrt(1 - tau)) / (1 - sqrt(1 - tau))) - i pi]^2``."""
    above = tau >= 1.0
    t_hi = np.where(above, tau, 1.0)
    t_lo = np.where(above, 0.5, tau)
    f_hi = np.arcsin(1.0 / np.sqrt(t_hi)) ** 2
    root = np.sqrt(1.0 - t_lo)
    # (1 + root)/(1 - root) = (1 + root)^2 / tau avoids the cancellation in 1 - root
    log_term = np.log((1.0 + root) ** 2 / t_lo)
    f_lo = -0.25 * (log_term - 1j * math.pi) ** 2
    return np.asarray(np.where(above, f_hi + 0j, f_lo), dtype=np.complex128)


def photon_loop_amplitude(mass: ArrayLike, parity: Parity = "scalar") -> NDArray[np.complex128]:
    """Muon-loop amplitude F(tau) of S (or P) -> gamma gamma, ``tau = 4 m_mu^2 / m^2``.

    Scalar: ``F = 2 tau [1 + (1 - tau) f(tau)]`` (-> 4/3 for m << 2 m_mu; models.md 3.2,
    MOD-10). Pseudoscalar: ``F = 2 tau f(tau)`` (-> 2 for m << 2 m_mu), the CP-odd
    fermion-loop amplitude (standard A -> gamma gamma result; unverified: confirm before
    relying). For tau > 20 the scalar form is summed as a series in 1/tau to avoid the
    cancellation in ``1 + (1 - tau) f``. ``mass`` in MeV.
    """
    _check_parity(parity)
    m = as_mass(mass)
    tau = 4.0 * m_mu**2 / (m * m)
    f = _f_function(tau)
    if parity == "pseudoscalar":
        return np.asarray(2.0 * tau * f, dtype=np.complex128)
    direct = 2.0 * tau * (1.0 + (1.0 - tau) * f)
    # series: F = 2 sum_{n>=1} (c_n - c_{n+1}) u^(n-1), u = 1/tau
    u = 1.0 / np.where(tau > _TAU_SERIES, tau, _TAU_SERIES)
    coeffs = _C[:-1] - _C[1:]
    series = 2.0 * np.polynomial.polynomial.polyval(u, coeffs)
    return np.asarray(np.where(tau > _TAU_SERIES, series + 0j, direct), dtype=np.complex128)


def _check_parity(parity: str) -> None:
    if parity not in ("scalar", "pseudoscalar"):
        raise InvalidParameterError("parity", repr(parity), "'scalar', 'pseudoscalar'")


@dataclass(frozen=True)
class MuonPhilicScalar(WidthModel):
    """A spin-0 boson coupled only to muons (and optionally to dark matter).

    Parameters
    ----------
    parity
        ``"scalar"`` (``-g_S S mubar mu``) or ``"pseudoscalar"`` (``-i g_P P mubar g5 mu``).
    dark_coupling
        Yukawa y_chi >= 0 to a Dirac fermion chi with the same CP structure; 0 (default)
        means no dark sector and no ``"chi chi"`` channel.
    chi_mass_ratio
        ``m_S / m_chi`` (default 3).

    Channels: ``"mu mu"``, ``"gamma gamma"`` (muon loop) and, if ``dark_coupling > 0``,
    ``"chi chi"``. Invisible channels: ``"chi chi"`` only. The two-photon decay is visible
    in principle; below 2 m_mu it is the only SM decay and the boson is long-lived (c tau =
    185 m at g_S = 1e-3, 10 MeV), so whether it escapes is decided by the experiment from
    :meth:`decay_length`, not by the model.
    """

    parity: Parity = "scalar"
    dark_coupling: float = 0.0
    chi_mass_ratio: float = 3.0

    def __post_init__(self) -> None:
        _check_parity(self.parity)
        if not (math.isfinite(self.dark_coupling) and self.dark_coupling >= 0.0):
            raise InvalidParameterError("dark_coupling", self.dark_coupling, "finite and >= 0")
        if not (math.isfinite(self.chi_mass_ratio) and self.chi_mass_ratio > 0.0):
            raise InvalidParameterError("chi_mass_ratio", self.chi_mass_ratio, "finite and > 0")

    @property
    def name(self) -> str:
        """Registry key: ``"scalar"`` or ``"pseudoscalar"``."""
        return self.parity

    @property
    def label(self) -> str:
        """Plot label (mathtext)."""
        if self.parity == "scalar":
            return r"$\mu$-philic scalar $S$"
        return r"$\mu$-philic pseudoscalar $P$"

    @property
    def spin(self) -> Spin:
        """``"scalar"`` or ``"pseudoscalar"``."""
        return self.parity

    @property
    def coupling_symbol(self) -> str:
        """``"g_S"`` or ``"g_P"``."""
        return "g_S" if self.parity == "scalar" else "g_P"

    @property
    def invisible_channels(self) -> frozenset[str]:
        """``{"chi chi"}`` with a dark sector, else empty (gamma gamma: see the class doc)."""
        return frozenset({"chi chi"}) if self.dark_coupling > 0.0 else frozenset()

    def fermion_couplings(self) -> Mapping[str, FermionCoupling]:
        """mu: scalar (or pseudoscalar) 1 per unit g; others 0; ``"chi"`` per unit y_chi."""
        unit = (
            FermionCoupling(scalar=1.0)
            if self.parity == "scalar"
            else FermionCoupling(pseudoscalar=1.0)
        )
        couplings = {
            "e": NO_COUPLING,
            "mu": unit,
            "tau": NO_COUPLING,
            "nu_e": NO_COUPLING,
            "nu_mu": NO_COUPLING,
            "nu_tau": NO_COUPLING,
        }
        if self.dark_coupling > 0.0:
            couplings["chi"] = unit
        return couplings

    def partial_widths(self, mass: ArrayLike, coupling: ArrayLike) -> dict[str, FloatArray]:
        """Partial widths [MeV] for mass m [MeV] and coupling g (broadcast).

        - ``Gamma(mu mu) = (g^2 m / (8 pi)) beta^3`` (scalar; verified: DMG4
          DMParticleScalar.cc) or ``beta^1`` (pseudoscalar; unverified: confirm before
          relying), ``beta = sqrt(1 - 4 m_mu^2 / m^2)`` (models.md 3.1, MOD-12).
        - ``Gamma(gamma gamma) = alpha^2 g^2 m^3 / (256 pi^3 m_mu^2) abs(F(tau))^2``
          (models.md 3.2, MOD-11; unverified: confirm before relying), F from
          :func:`photon_loop_amplitude`.
        - ``Gamma(chi chi) = y_chi^2 m beta_chi^3 / (8 pi)`` (scalar) or ``beta_chi``
          (pseudoscalar); unverified: confirm before relying.
        """
        m, g = np.broadcast_arrays(as_mass(mass), as_coupling(coupling))
        power = 3 if self.parity == "scalar" else 1
        beta_mu = np.sqrt(np.clip(1.0 - 4.0 * (m_mu / m) ** 2, 0.0, None))
        amplitude = photon_loop_amplitude(m, self.parity)
        widths = {
            "mu mu": g * g * m / (8.0 * math.pi) * beta_mu**power,
            "gamma gamma": alpha_em**2
            * g
            * g
            * m**3
            / (256.0 * math.pi**3 * m_mu**2)
            * np.abs(amplitude) ** 2,
        }
        if self.dark_coupling > 0.0:
            beta_chi = np.sqrt(np.clip(1.0 - 4.0 / self.chi_mass_ratio**2, 0.0, None))
            widths["chi chi"] = (
                np.full(m.shape, 0.0)
                + self.dark_coupling**2 * m / (8.0 * math.pi) * beta_chi**power
            )
        return {k: np.asarray(v, dtype=np.float64) for k, v in widths.items()}
