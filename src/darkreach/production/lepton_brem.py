"""What muon and electron bremsstrahlung of a new boson share: the 2 -> 3 amplitude at t_min.

|A|^2 = J + K (u x + C)/u^2 with C = m^2 (1 - x) + m_l^2 x^2, for a boson of mass m radiated
by a lepton of mass m_l (handbook muon_bremsstrahlung.md 2.1; electron_and_dump.md A.2 takes
the same table with m_mu -> m_e). Vector and scalar verified against DMG4 and Liu-Miller;
pseudoscalar and axial vector against rikab/MuonBeamDump.

>>> j, k = amplitude_jk(np.array([0.5]), np.array([0.5]), np.array([10.0]), 0.5, "vector")
>>> float(j[0]), float(k[0])
(5.0, 402.0)
"""

from __future__ import annotations

import numpy as np

from darkreach.array_types import FloatArray
from darkreach.models.base import BosonSpin


def amplitude_jk(
    x: FloatArray, omx: FloatArray, m: FloatArray, lepton_mass: float, spin: BosonSpin
) -> tuple[FloatArray, FloatArray]:
    """(J [1], K [MeV^2]) for energy fraction x, omx = 1 - x, boson mass m [MeV], m_l [MeV]."""
    m2 = m * m
    l2 = lepton_mass * lepton_mass
    if spin == "vector":
        return np.asarray(2.0 * (1.0 + omx * omx) / omx), np.asarray(4.0 * (m2 + 2.0 * l2))
    if spin == "scalar":
        return np.asarray(x * x / omx), np.asarray(2.0 * (m2 - 4.0 * l2))
    if spin == "pseudoscalar":
        return np.asarray(x * x / omx), np.asarray(2.0 * m2 + 0.0 * x)
    # axial vector
    j_axial = 2.0 * (1.0 + omx * omx) / omx + 4.0 * l2 * x * x / (omx * m2)
    return np.asarray(j_axial), np.asarray(4.0 * (m2 - 4.0 * l2))


__all__ = ["amplitude_jk"]
