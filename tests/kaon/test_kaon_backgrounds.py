"""K+ -> mu+ nu gamma IB spectrum (K-8, K-9) and the K -> mu nu mu mu background inputs."""

from __future__ import annotations

import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import quad

from darkreach.errors import InvalidParameterError
from darkreach.production import kaon
from darkreach.production import kaon_backgrounds as kb

GeV2 = 1e6


def test_k8_ib_spectrum() -> None:
    s = np.array([0.001, 0.005, 0.01, 0.02, 0.06, 0.08, 0.10, 0.12, 0.14, 0.15])
    ref = np.array(
        [2.017, 0.3883, 0.1852, 0.08426, 0.01926, 0.01189, 7.688e-3, 4.887e-3, 2.487e-3, 5.43e-4]
    )
    got = kb.ib_dbr_dm2miss(s * GeV2) * GeV2
    tol = np.where(s == 0.15, 1e-2, 2e-3)
    assert np.all(np.abs(got / ref - 1) < tol)


def test_k9_ib_above_cut() -> None:
    cuts = np.array([0.001, 0.02, 0.023, 0.05, 0.10])
    ref = [8.057e-3, 2.307e-3, 2.075e-3, 9.328e-4, 2.154e-4]
    assert kb.ib_branching_ratio(cuts * GeV2) == pytest.approx(ref, rel=2e-3)


def _f_ib(x: mp.mpf, y: mp.mpf, r: mp.mpf) -> mp.mpf:
    z = x + y - 1 - r
    return (1 - y + r) / (x * x * z) * (x * x + 2 * (1 - x) * (1 - r) - 2 * x * r * (1 - r) / z)


@pytest.mark.parametrize("sigma", [1e-8, 1e-4, 0.05, 0.4, 0.6])
def test_closed_form_x_integral_against_high_precision(sigma: float) -> None:
    """The partial-fraction integral is accurate even deep in the soft region."""
    mp.mp.dps = 30
    r = mp.mpf(kb._r)
    y = 1 + r - mp.mpf(sigma)
    h = mp.sqrt(y * y / 4 - r)
    a, c = 1 - y / 2 - h, 1 - y / 2 + h
    ref = mp.quad(lambda x: _f_ib(x, y, r), [a, a * 10, a * 1000, c])
    assert float(kb._ib_x_integral(np.array(sigma))) == pytest.approx(float(ref), rel=1e-10)


def test_ib_soft_divergence_and_end_point() -> None:
    """dBR/dm2 ~ 1/m2 (log-divergent BR) at small m_miss^2, 0 at (m_K - m_mu)^2."""
    small = kb.ib_dbr_dm2miss(np.array([1e-6, 1e-5]) * GeV2)
    assert small[0] / small[1] == pytest.approx(10.0, rel=0.05)
    assert float(kb.ib_dbr_dm2miss(kaon.m2miss_max())) == 0.0
    near = float(kb.ib_dbr_dm2miss(kaon.m2miss_max() * (1 - 1e-8)))
    assert 0.0 < near < 1e-3 * float(kb.ib_dbr_dm2miss(0.1e6))
    assert float(kb.ib_branching_ratio(kaon.m2miss_max())) == 0.0


def test_ib_window_integral_matches_quadrature() -> None:
    lo, hi = 0.03e6, 0.07e6
    num = quad(lambda s: float(kb.ib_dbr_dm2miss(s)), lo, hi, epsrel=1e-11)[0]
    assert float(kb.ib_branching_ratio(lo, hi)) == pytest.approx(num, rel=1e-9)


@pytest.mark.parametrize("cut", [0.0, -1.0, 0.2e6, float("nan")])
def test_ib_cut_outside_range(cut: float) -> None:
    with pytest.raises(InvalidParameterError, match="m2miss_min"):
        kb.ib_branching_ratio(cut)


def test_k_mu_nu_mu_mu_rate_is_a_sourced_parameter() -> None:
    kmrt = kb.k_mu_nu_mu_mu_branching_ratio("kmrt")
    chpt = kb.k_mu_nu_mu_mu_branching_ratio("chpt")
    assert (kmrt.value, chpt.value) == (7e-8, 1.35e-8)
    assert kmrt.status == chpt.status == "unverified"
    assert "T1" in kmrt.source and "hep-ph/9209261" in chpt.source
    with pytest.raises(InvalidParameterError):
        kb.k_mu_nu_mu_mu_branching_ratio("pdg")


@pytest.mark.parametrize("shape", ["kroll-wada", "phase-space", "flat"])
def test_dimuon_background_shape_is_normalised(shape: str) -> None:
    lo, hi = 2 * kaon.m_mu, kaon.mass_max()
    # vectorised quadrature (the density rebuilds its normalisation table on every call)
    u = np.linspace(0.0, np.pi, 20001)
    m = lo + (hi - lo) * (1 - np.cos(u)) / 2
    dm_du = (hi - lo) * np.sin(u) / 2
    total = np.trapezoid(kb.dimuon_background_density(m, shape) * dm_du, u)
    assert total == pytest.approx(1.0, rel=1e-3)
    cdf = kb.dimuon_background_cdf([lo - 1, lo, 300.0, hi, hi + 1], shape)
    assert cdf[0] == 0.0 and cdf[1] == 0.0 and cdf[3] == pytest.approx(1.0) and cdf[4] == 1.0
    assert 0.0 < cdf[2] < 1.0


def test_kroll_wada_shape_peaks_towards_threshold() -> None:
    kw = kb.dimuon_background_cdf(260.0, "kroll-wada")
    ps = kb.dimuon_background_cdf(260.0, "phase-space")
    assert kw > ps
