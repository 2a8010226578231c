"""Tests of darkreach.physics.form_factors (handbook muon_bremsstrahlung.md section 3).

Reference values: validation.md MB-1, MB-2, MB-19. Independent checks use scipy quadrature
of G2 (in ln t, or in w = t_min/t where t_min is large).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hepunits import GeV, MeV
from scipy import integrate

from darkreach.errors import InvalidParameterError
from darkreach.physics.form_factors import (
    LEAD,
    TUNGSTEN,
    Nucleus,
    elastic_flux,
    elastic_flux_analytic,
    g2_elastic,
    g2_inelastic,
    inelastic_flux,
    photon_flux,
)

E0 = 160.0 * GeV


def iww_t_min(m: float, e0: float = E0) -> float:
    return (m * m / (2.0 * e0)) ** 2


def chi_numeric(t_min: float, t_max: float, g2, nucleus: Nucleus) -> float:
    """chi by adaptive quadrature: in ln t up to 1e3 t_d (or 100 t_min), in v = 1/t above."""

    def in_log(s: float) -> float:
        t = math.exp(s)
        return (1.0 - t_min / t) * float(g2(t, nucleus))

    def in_inverse(v: float) -> float:  # dt (t - t_min)/t^2 = dv (1 - t_min v)/v
        return (1.0 - t_min * v) / v * float(g2(1.0 / v, nucleus))

    lo = max(t_min, 1e-12 * nucleus.t_screening_inelastic)
    split = min(t_max, max(100.0 * t_min, 1e3 * nucleus.t_nuclear))
    scales = [nucleus.t_screening, nucleus.t_screening_inelastic, nucleus.t_nuclear, 0.71 * GeV**2]
    pts = sorted(math.log(s) for s in scales if lo < s < split)
    total = 0.0
    if split > lo:
        total += integrate.quad(
            in_log,
            math.log(lo),
            math.log(split),
            points=pts or None,
            epsabs=0.0,
            epsrel=1e-13,
            limit=500,
        )[0]
    if t_max > split:
        total += integrate.quad(
            in_inverse, 1.0 / t_max, 1.0 / split, epsabs=0.0, epsrel=1e-13, limit=500
        )[0]
    return total


# --------------------------------------------------------------------------- nucleus


def test_nucleus_scales_lead() -> None:
    # handbook section 3: t_a = 4.00e-10 GeV^2, t_d = 4.684e-3 GeV^2 for Pb
    assert LEAD.t_screening / GeV**2 == pytest.approx(4.00e-10, rel=2e-3)
    assert LEAD.t_nuclear / GeV**2 == pytest.approx(4.684e-3, rel=1e-3)
    assert (LEAD.Z, LEAD.A) == (82, 207.2)
    assert (TUNGSTEN.Z, TUNGSTEN.A) == (74, 183.84)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"Z": 0, "A": 1.0}, "Z"),
        ({"Z": 2.5, "A": 4.0}, "Z"),
        ({"Z": 82, "A": -1.0}, "A"),
        ({"Z": 82, "A": float("nan")}, "A"),
    ],
)
def test_nucleus_rejects_bad_input(kwargs: dict[str, float], field: str) -> None:
    with pytest.raises(InvalidParameterError, match=f"^{field} = .* allowed"):
        Nucleus(**kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- form factors


def test_g2_limits() -> None:
    # screened at t << t_a, full Z^2 (coherent) in between, cut off at t >> t_d
    t = np.array(
        [
            1e-6 * LEAD.t_screening,
            math.sqrt(LEAD.t_screening * LEAD.t_nuclear),
            1e3 * LEAD.t_nuclear,
        ]
    )
    g = g2_elastic(t, LEAD) / LEAD.Z**2
    assert g[0] < 1e-11
    r = math.sqrt(LEAD.t_screening / LEAD.t_nuclear)
    assert g[1] == pytest.approx((1.0 + r) ** -4, rel=1e-12)  # both factors 1/(1 + r)
    assert g[1] == pytest.approx(1.0, abs=2e-3)
    assert g[2] < 1e-5
    # inelastic: Z quasi-free protons, dipole fall-off above 0.71 GeV^2
    gi = g2_inelastic(np.array([1e-5 * GeV**2, 100 * GeV**2]), LEAD) / LEAD.Z
    assert gi[0] == pytest.approx(1.0, abs=1e-3)
    assert gi[1] < 1e-6


def test_g2_rejects_negative_t() -> None:
    with pytest.raises(InvalidParameterError, match=r"^t = -1\.0 is invalid"):
        g2_elastic([1.0, -1.0], LEAD)


# --------------------------------------------------------------------------- MB-1, MB-2


@pytest.mark.parametrize(
    ("m", "expected"),
    [(1 * MeV, 9.5991e4), (10 * MeV, 9.5989e4), (100 * MeV, 8.7681e4), (1000 * MeV, 2.8246e4)],
)
def test_mb1_elastic_flux_iww_range(m: float, expected: float) -> None:
    """MB-1: chi_el((m^2/2E0)^2, E0^2), Pb, 160 GeV, tolerance 1e-4."""
    assert float(photon_flux(iww_t_min(m), E0**2, LEAD)) == pytest.approx(expected, rel=1e-4)
    assert float(elastic_flux_analytic(iww_t_min(m), E0**2, LEAD)) == pytest.approx(
        expected, rel=1e-4
    )


def test_mb1_chi_over_z2_at_10_mev() -> None:
    # handbook section 3: chi/Z^2 = 14.276 at m = 10 MeV
    chi = float(photon_flux(iww_t_min(10 * MeV), E0**2, LEAD))
    assert chi / 82**2 == pytest.approx(14.276, rel=1e-4)


T_SMALL = [0.0, 1e-16, 1e-12, 1e-9, 1e-7, 1e-5, 1e-3, 1e-2, 0.1]


@pytest.mark.parametrize("nucleus", [LEAD, TUNGSTEN, Nucleus(6, 12.011)])
@pytest.mark.parametrize("t_max_gev2", [0.05, 1.0, 160.0**2])
def test_mb2_analytic_flux_equals_numerical_integral(nucleus: Nucleus, t_max_gev2: float) -> None:
    """MB-2: closed-form elastic flux vs quadrature of G2_el, t_min <= 0.1 GeV^2, 1e-8."""
    t_max = t_max_gev2 * GeV**2
    for t in T_SMALL:
        t_min = t * GeV**2
        if t_min >= t_max:
            continue
        ref = chi_numeric(t_min, t_max, g2_elastic, nucleus)
        assert float(elastic_flux_analytic(t_min, t_max, nucleus)) == pytest.approx(ref, rel=1e-8)
        assert float(photon_flux(t_min, t_max, nucleus)) == pytest.approx(ref, rel=1e-8)


def test_complete_screening_limit() -> None:
    """t_min -> 0, t_max -> inf: chi/Z^2 = t_d^2/delta^3 [(t_a + t_d) ln(t_d/t_a) - 2 delta]."""
    ta, td = LEAD.t_screening, LEAD.t_nuclear
    delta = td - ta
    exact = td**2 / delta**3 * ((ta + td) * math.log(td / ta) - 2.0 * delta)
    assert float(photon_flux(0.0, 1e40, LEAD)) / 82**2 == pytest.approx(exact, rel=1e-12)
    assert exact == pytest.approx(math.log(td / ta) - 2.0, rel=1e-6)  # the textbook form


# --------------------------------------------------------------------------- clipping rule


def test_flux_is_zero_when_t_min_reaches_t_max() -> None:
    t_max = 0.011 * GeV**2
    t_min = np.array([0.5, 1.0, 1.5, 100.0]) * t_max
    chi = photon_flux(t_min, t_max, LEAD, inelastic=True)
    assert chi[0] > 0.0
    assert np.all(chi[1:] == 0.0)
    assert np.all(elastic_flux(t_min[1:], t_max, LEAD) == 0.0)
    assert np.all(inelastic_flux(t_min[1:], t_max, LEAD) == 0.0)
    # the printed closed form, evaluated blindly, returns a spurious positive value there
    assert float(elastic_flux_analytic(1.5 * t_max, t_max, LEAD)) > 0.0


# --------------------------------------------------------------------------- large t_min


@pytest.mark.parametrize("t_min_gev2", [0.3, 1.0, 10.0, 100.0, 1e3, 1e4, 2e4])
def test_flux_robust_for_large_t_min(t_min_gev2: float) -> None:
    t_min, t_max = t_min_gev2 * GeV**2, E0**2
    ref = chi_numeric(t_min, t_max, g2_elastic, LEAD)
    assert ref > 0.0
    assert float(photon_flux(t_min, t_max, LEAD)) == pytest.approx(ref, rel=1e-9)


def test_printed_closed_form_fails_at_large_t_min() -> None:
    """Handbook section 3: the printed form is unusable at t_min = 1e3 GeV^2 (8.5x too large)."""
    t_min, t_max = 1e3 * GeV**2, E0**2
    ref = chi_numeric(t_min, t_max, g2_elastic, LEAD)
    assert abs(float(elastic_flux_analytic(t_min, t_max, LEAD)) / ref - 1.0) > 0.1
    assert float(photon_flux(t_min, t_max, LEAD)) == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("inelastic", [False, True])
def test_flux_continuous_across_method_switch(inelastic: bool) -> None:
    switch = 100.0 * LEAD.t_nuclear if not inelastic else 0.5 * 0.71 * GeV**2
    t = switch * np.array([1.0 - 1e-9, 1.0 + 1e-9])
    chi = photon_flux(t, E0**2, LEAD, inelastic=inelastic)
    assert chi[0] == pytest.approx(chi[1], rel=1e-7)


def test_flux_monotonic() -> None:
    t_min = np.geomspace(1e-12, 1e4, 400) * GeV**2
    chi = photon_flux(t_min, E0**2, LEAD, inelastic=True)
    assert np.all(np.diff(chi) < 0.0)
    t_max = np.geomspace(1e-3, 1e4, 200) * GeV**2
    chi_t = photon_flux(1e-4 * GeV**2, t_max, LEAD)
    assert np.all(np.diff(chi_t) > 0.0)


# --------------------------------------------------------------------------- inelastic


INELASTIC_CASES = [
    (t_min, t_max)
    for t_max in (0.02, 160.0**2)
    for t_min in (0.0, 1e-14, 1e-9, 1e-6, 1e-3, 0.1, 0.3, 0.5, 1.0, 10.0)
    if t_min < t_max
]


@pytest.mark.parametrize(("t_min_gev2", "t_max_gev2"), INELASTIC_CASES)
def test_inelastic_flux_vs_quadrature(t_min_gev2: float, t_max_gev2: float) -> None:
    t_min, t_max = t_min_gev2 * GeV**2, t_max_gev2 * GeV**2
    ref = chi_numeric(t_min, t_max, g2_inelastic, LEAD)
    # closed form uses A^2 P^2 ~ A^2 + P^2 - 1 (error ~1e-8), quadrature above 0.355 GeV^2
    assert float(inelastic_flux(t_min, t_max, LEAD)) == pytest.approx(ref, rel=2e-7)
    total = float(photon_flux(t_min, t_max, LEAD, inelastic=True))
    parts = float(inelastic_flux(t_min, t_max, LEAD) + elastic_flux(t_min, t_max, LEAD))
    assert total == pytest.approx(parts, rel=1e-14)


@pytest.mark.parametrize(
    ("m", "expected"),
    [(1 * MeV, 0.0163), (10 * MeV, 0.0163), (100 * MeV, 0.0160), (1000 * MeV, 0.0233)],
)
def test_mb19_inelastic_over_elastic(m: float, expected: float) -> None:
    """MB-19: chi_inel/chi_el over the IWW t range to E0^2, Pb, 160 GeV; 2 %."""
    t_min = iww_t_min(m)
    ratio = float(inelastic_flux(t_min, E0**2, LEAD) / elastic_flux(t_min, E0**2, LEAD))
    assert ratio == pytest.approx(expected, rel=0.02)


# --------------------------------------------------------------------------- arrays, errors


def test_flux_broadcasts() -> None:
    t_min = np.array([[1e-12], [1e-6], [1e-2]]) * GeV**2
    t_max = np.array([[0.01, 1.0, 100.0, 25600.0]]) * GeV**2
    chi = photon_flux(t_min, t_max, LEAD, inelastic=True)
    assert chi.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert chi[i, j] == photon_flux(t_min[i, 0], t_max[0, j], LEAD, inelastic=True)


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_flux_rejects_bad_t(bad: float) -> None:
    with pytest.raises(InvalidParameterError, match=r"^t_min = .* allowed: finite values >= 0"):
        photon_flux(bad, 1.0, LEAD)
    with pytest.raises(InvalidParameterError, match=r"^t_max = "):
        photon_flux(1.0, [1.0, bad], LEAD)
