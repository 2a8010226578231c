"""Tests of darkreach.production.shower (handbook electron_and_dump.md A.3).

Planted bugs (each made a test here fail, then undone):
- b = 4/3 -> 2/3 in Tsai's distribution: one test fails.
- pair absorption 7/9 -> 0: test_secondaries_saturate fails.
- sharing 1 - 4/3 u(1-u) -> 1 + 4/3 u(1-u) (sign): test_pair_sharing_normalisation fails.
- resonance energy (M^2 - 2 m_e^2)/(2 m_e) -> /m_e (factor 2): test_resonance_position_and_width.
- bremsstrahlung 4/3 ln -> 2/3 ln: test_photon_rate fails (no other test saw it).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate

from darkreach.constants import m_e
from darkreach.errors import InvalidParameterError
from darkreach.production import shower as sh

E0 = 100_000.0  # 100 GeV
X0 = 5.612  # Pb [mm]


@pytest.mark.parametrize("thickness", [0.01, 0.5, 3.0, 40.0])
def test_integral_is_radiation_lengths(thickness: float) -> None:
    """Primary track length over all energies = thickness X0 (to 1e-12)."""
    edges = np.array([E0, 0.9 * E0, 0.5 * E0, 1.0, 0.0])
    total = sh.primary_track_length(E0, edges, thickness, X0).sum()
    assert total == pytest.approx(thickness * X0, rel=1e-12)


def test_primary_distribution_matches_tsai() -> None:
    """Binned primary (incomplete gamma) = direct quadrature of Tsai's I_e over E and t."""
    t_total = 2.0
    lo, hi = 0.5 * E0, 0.8 * E0
    binned = sh.primary_track_length(E0, np.array([hi, lo]), t_total, X0)[0]

    def inner(t: float) -> float:
        return integrate.quad(
            lambda e: float(sh.primary_energy_distribution(E0, e, t)), lo, hi, epsrel=1e-10
        )[0]

    direct = X0 * integrate.quad(inner, 0.0, t_total, epsrel=1e-8, limit=200)[0]
    assert binned == pytest.approx(direct, rel=1e-6)


def test_thin_target_is_primary_alone() -> None:
    """Thin target: secondaries / primary -> 0 like T^2 (measured 2.4e-6 at 0.01 X0)."""
    r = []
    for t in (0.01, 0.02):
        tl = sh.track_lengths(E0, t, X0, 0.5 * E0)
        r.append(tl.secondary.sum() / tl.primary.sum())
        # and the primary above E0/2 is almost all of T X0
        assert tl.primary.sum() == pytest.approx(t * X0, rel=0.01)
    assert r[0] < 1e-5
    assert r[1] / r[0] == pytest.approx(4.0, rel=0.05)


def test_secondaries_saturate() -> None:
    """Thick target: nothing above E0/2 changes beyond ~10 X0 (photons converted)."""
    a = sh.track_lengths(E0, 10.0, X0, 0.5 * E0)
    b = sh.track_lengths(E0, 40.0, X0, 0.5 * E0)
    assert b.primary.sum() == pytest.approx(a.primary.sum(), rel=1e-6)
    assert b.secondary.sum() == pytest.approx(a.secondary.sum(), rel=2e-3)
    assert 0.01 < b.secondary.sum() / b.primary.sum() < 0.2
    # e+ from an e- beam: secondaries only; e- : primary + secondaries
    assert np.all(b.of("e+", "e-") == b.secondary)
    assert np.allclose(b.of("e-", "e-"), b.primary + b.secondary)


def test_photon_rate() -> None:
    """Binned photon emission = quadrature of (1/k)(4/3 - 4/3 y + y^2) per X0 (k < E)."""
    edges = np.array([1.0, 0.8, 0.5, 0.2])
    rate = sh._photon_rate(np.array([0.9]), edges)[:, 0]
    for i in range(3):
        hi, lo = min(edges[i], 0.9), edges[i + 1]
        direct = integrate.quad(
            lambda k: (4 / 3 - 4 / 3 * k / 0.9 + (k / 0.9) ** 2) / k, lo, hi, epsrel=1e-12
        )[0]
        assert rate[i] == pytest.approx(direct, rel=1e-10)


def test_pair_sharing_normalisation() -> None:
    """Complete-screening pair sharing integrates to 7/9 per X0 (per species)."""
    edges = np.geomspace(1.0, 1.0e-6, 200)
    edges = np.concatenate([edges, [0.0]])
    q = sh._pair_rate(edges, np.array([1.0]))
    assert q.sum() == pytest.approx(7.0 / 9.0, rel=1e-12)


def test_resonance_position_and_width() -> None:
    """Peak at E+ = (M^2 - 2 m_e^2)/(2 m_e), FWHM = M Gamma/m_e, area = (pi/2) g^2/m_e."""
    m, width = 250.0, 1.0e-3
    e_res = float(sh.resonance_energy(m))
    assert e_res == pytest.approx(m * m / (2 * m_e), rel=1e-5)
    assert float(sh.resonance_mass(100_000.0)) == pytest.approx(319.7, abs=0.1)
    fwhm = m * width / m_e
    peak = float(sh.annihilation_sigma(e_res, m, width))
    half = sh.annihilation_sigma(np.array([e_res - fwhm / 2, e_res + fwhm / 2]), m, width)
    assert np.allclose(half / peak, 0.5, rtol=1e-6)
    area = integrate.quad(
        lambda e: float(sh.annihilation_sigma(e, m, width)),
        e_res - 2000 * fwhm,
        e_res + 2000 * fwhm,
        points=[e_res],
        limit=400,
    )[0]
    assert area == pytest.approx(sh.annihilation_integral(), rel=1e-3)


def test_bad_input() -> None:
    with pytest.raises(InvalidParameterError, match="radiation_length"):
        sh.track_lengths(E0, 40.0, 0.0, 0.5 * E0)
    with pytest.raises(InvalidParameterError, match="E_low"):
        sh.track_lengths(E0, 40.0, X0, 2 * E0)
    with pytest.raises(InvalidParameterError, match="m"):
        sh.resonance_energy(0.5)
    assert math.isfinite(sh.annihilation_integral())
