"""sigma v exact in s and its Gondolo-Gelmini thermal average (relic.md 1, 3.1, 5)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from scipy import integrate
from scipy.special import kve

from darkreach.constants import alpha_em, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.lmu_ltau import LmuLtauZPrime
from darkreach.physics.relic import annihilation as ann

NU_ONLY = (
    ann.FinalState("nu_mu", 0.0, 0.5, 0.5),
    ann.FinalState("nu_tau", 0.0, -0.5, -0.5),
)


def lmu_states(neutrinos: str = "left") -> tuple[ann.FinalState, ...]:
    model = LmuLtauZPrime(neutrinos=neutrinos)  # type: ignore[arg-type]
    return ann.final_states_from_couplings(model.fermion_couplings())


def test_final_states_of_the_models() -> None:
    """L_mu-L_tau: nu weight 1/2 per flavour (left) or 1 (Dirac); dark photon: e^2 per lepton."""
    s = np.array([1e6])  # far above all thresholds but tau: 1 GeV^2
    left = {fs.name: float(fs.weight(s)[0]) for fs in lmu_states("left")}
    assert left["nu_mu"] == pytest.approx(0.5) and left["nu_tau"] == pytest.approx(0.5)
    dirac = {fs.name: float(fs.weight(s)[0]) for fs in lmu_states("dirac")}
    assert dirac["nu_mu"] == pytest.approx(1.0)
    assert set(left) == {"mu", "tau", "nu_mu", "nu_tau"}
    dp = ann.final_states_from_couplings(DarkPhoton().fermion_couplings())
    assert {fs.name for fs in dp} == {"e", "mu", "tau"}
    assert dp[0].vector ** 2 == pytest.approx(4 * math.pi * alpha_em)
    with pytest.raises(InvalidParameterError, match="axial"):
        ann.FinalState("mu", m_mu, 1.0, 0.5)


@pytest.mark.parametrize(
    ("kind", "power"),
    [("complex-scalar", 2), ("majorana", 2), ("dirac", 0), ("pseudo-dirac", 0)],
)
def test_s_and_p_wave_scaling_at_small_velocity(kind: str, power: int) -> None:
    """sigma v ~ v^0 (Dirac, pseudo-Dirac) or v^2 (scalar, Majorana) as v -> 0."""
    m, big_m = 10.0, 30.0
    kw = dict(kind=kind, alpha_d=0.5, mediator_mass=big_m, width=0.0, final_states=NU_ONLY)
    v = np.array([1e-3, 2e-3, 4e-3])
    sv = ann.sigma_v(ann.s_from_velocity(v, m), m, **kw)  # type: ignore[arg-type]
    ratios = sv[1:] / sv[:-1]
    assert ratios == pytest.approx(2.0**power, rel=1e-4, abs=0)
    # and the heavy-mediator, non-relativistic formula of relic.md 1 (massless f, g = 1)
    nr = ann.sigma_v_nonrelativistic(
        v, m, kind=kind, alpha_d=0.5, mediator_mass=big_m, coupling_sq_sum=1.0
    )
    assert sv == pytest.approx(nr, rel=1e-4, abs=0)


def test_majorana_equals_scalar_and_pseudo_dirac_equals_dirac_cross_section() -> None:
    s = np.geomspace(4.0 * 10.0**2 * 1.0001, 4e4, 50)
    common = dict(alpha_d=0.3, mediator_mass=30.0, width=0.5, final_states=lmu_states())
    scalar = ann.sigma_v(s, 10.0, kind="complex-scalar", **common)  # type: ignore[arg-type]
    majorana = ann.sigma_v(s, 10.0, kind="majorana", **common)  # type: ignore[arg-type]
    assert majorana == pytest.approx(scalar, rel=1e-12, abs=0)
    dirac = ann.sigma_v(s, 10.0, kind="dirac", **common)  # type: ignore[arg-type]
    pseudo = ann.sigma_v(s, 10.0, kind="pseudo-dirac", **common)  # type: ignore[arg-type]
    assert pseudo == pytest.approx(dirac, rel=1e-12, abs=0)
    assert np.all(dirac > scalar)  # s + 2 m^2 > s - 4 m^2


def test_sigma_v_unit_conversion() -> None:
    """1 GeV^-2 = (hbar c)^2 c = 0.3893794e-27 cm^2 x 2.99792458e10 cm/s."""
    value = float(ann.sigma_v_to_cm3_per_s(1.0 / 1e6))  # 1 GeV^-2 in MeV^-2
    assert value == pytest.approx(0.3893794e-27 * 2.99792458e10, rel=1e-6, abs=0)


def _reference(x: float, m: float, kw: dict[str, object], thresholds: Sequence[float]) -> float:
    """GG integral with scipy.quad in u = (s - 4 m^2)/(4 m^2), breakpoints at features."""

    def integrand(u: float) -> float:
        s = 4 * m * m * (1 + u)
        sv = float(ann.sigma_v(np.array([s]), m, **kw)[0])  # type: ignore[arg-type]
        root = math.sqrt(1 + u)
        return (
            2
            * x
            * sv
            * math.sqrt(u)
            * (1 + u)
            * float(kve(1, 2 * x * root))
            * math.exp(-2 * x * u / (1 + root))
            / float(kve(2, x)) ** 2
        )

    big_m = float(kw["mediator_mass"])  # type: ignore[arg-type]
    hi = (1 + 25 / x) ** 2 - 1
    points = [p for p in [big_m**2 / (4 * m * m) - 1, *thresholds] if 0 < p < hi]
    return float(
        integrate.quad(
            integrand, 0, hi, points=points or None, limit=1000, epsabs=0.0, epsrel=1e-11
        )[0]
    )


@pytest.mark.parametrize(
    ("kind", "m_chi", "ratio", "mediator"),
    [
        ("complex-scalar", 10.0, 3.0, "lmu-ltau"),  # far from everything
        ("dirac", 90.0, 3.0, "lmu-ltau"),  # mu threshold in the thermal tail
        ("complex-scalar", 100.0, 2.01, "lmu-ltau"),  # resonance right above threshold
        ("dirac", 50.0, 2.2, "dark-photon"),  # resonance in the thermal bulk
        ("majorana", 60.0, 1.5, "dark-photon"),  # past resonance (M < 2 m_chi)
    ],
)
def test_thermal_average_matches_direct_quadrature(
    kind: str, m_chi: float, ratio: float, mediator: str
) -> None:
    dm = DarkMatter(kind=kind, mass_ratio=ratio, alpha_d=0.5)  # type: ignore[arg-type]
    model = (
        LmuLtauZPrime(dark_matter=dm)
        if mediator == "lmu-ltau"
        else DarkPhoton(dark_matter=dm, warn_hadrons=False)
    )
    states = ann.final_states_from_couplings(model.fermion_couplings())
    big_m = ratio * m_chi
    kw: dict[str, object] = dict(
        kind=kind,
        alpha_d=0.5,
        mediator_mass=big_m,
        width=float(model.total_width(big_m, 1e-4)),
        final_states=states,
        coupling=1e-4,
    )
    x = np.array([1.0, 5.0, 20.0, 100.0, 1000.0])
    got = ann.thermal_average(x, m_chi, **kw)  # type: ignore[arg-type]
    thresholds = [fs.mass**2 / m_chi**2 - 1 for fs in states if fs.mass > 0]
    expected = np.array([_reference(float(xi), m_chi, kw, thresholds) for xi in x])
    assert got == pytest.approx(expected, rel=2e-6, abs=0)


def test_heavy_mediator_limits_of_the_thermal_average() -> None:
    """<sigma v> -> a (s-wave) and -> b <v^2> = 6 b/x (p-wave) for x -> infinity."""
    m, big_m = 10.0, 1e4  # M >> m: no s-dependence of the propagator
    x = np.array([1e4])
    for kind, power in (("dirac", 0), ("complex-scalar", 2)):
        kw = dict(kind=kind, alpha_d=0.5, mediator_mass=big_m, width=0.0, final_states=NU_ONLY)
        avg = float(ann.thermal_average(x, m, **kw)[0])  # type: ignore[arg-type]
        coeff = float(
            ann.sigma_v_nonrelativistic(
                1.0, m, kind=kind, alpha_d=0.5, mediator_mass=big_m, coupling_sq_sum=1.0
            )
        )
        expected = coeff * (6.0 / x[0] if power else 1.0)
        assert avg == pytest.approx(expected, rel=2e-3, abs=0)


@pytest.mark.parametrize("relative_width", [1e-14, 1e-9, 1e-6])
def test_narrow_resonance_matches_the_narrow_width_limit(relative_width: float) -> None:
    """Gamma -> 0: sigma v -> pi N(M^2) delta(s - M^2)/(M Gamma); the integral has a closed form."""
    m, ratio = 50.0, 2.2
    big_m = ratio * m
    width = relative_width * big_m
    kw = dict(kind="dirac", alpha_d=0.5, mediator_mass=big_m, final_states=NU_ONLY)
    x = np.array([3.0, 10.0, 30.0])
    got = ann.thermal_average(x, m, width=width, **kw)  # type: ignore[arg-type]
    # narrow-width limit: <sigma v> = K(x, u_R) * pi N(u_R) / (16 m^4 w), w = M Gamma/(4 m^2)
    u_r = big_m**2 / (4 * m * m) - 1
    numerator = 4 * math.pi * 0.5 * (big_m**2 + 2 * m * m) * 1.0 / (6 * math.pi)
    w = big_m * width / (4 * m * m)
    root = math.sqrt(1 + u_r)
    kernel = (
        2
        * x
        * math.sqrt(u_r)
        * (1 + u_r)
        * kve(1, 2 * x * root)
        * np.exp(-2 * x * u_r / (1 + root))
        / kve(2, x) ** 2
    )
    expected = kernel * math.pi * numerator / (16 * m**4 * w)
    # the off-resonance part is suppressed by ~w relative to the peak
    assert got == pytest.approx(expected, rel=max(1e-6, 200 * relative_width))


def test_running_width_is_the_pole_width_at_the_pole() -> None:
    """sqrt(s) Gamma(sqrt(s)) equals M Gamma at s = M^2; far below, a running DM width is 0."""
    m, big_m = 10.0, 30.0
    dm = DarkMatter(kind="dirac", alpha_d=0.5, m_chi=m)
    model = LmuLtauZPrime(dark_matter=dm)

    def running(root_s: np.ndarray) -> np.ndarray:
        return model.total_width(root_s, 1e-4)

    pole = float(model.total_width(big_m, 1e-4))
    kw = dict(kind="dirac", alpha_d=0.5, mediator_mass=big_m, final_states=NU_ONLY)
    at_pole = np.array([big_m**2])
    assert ann.sigma_v(at_pole, m, width=running, **kw) == pytest.approx(  # type: ignore[arg-type]
        ann.sigma_v(at_pole, m, width=pole, **kw),
        rel=1e-12,  # type: ignore[arg-type]
    )
    near_threshold = np.array([4 * m * m * (1 + 1e-6)])
    constant = ann.sigma_v(near_threshold, m, width=pole, **kw)  # type: ignore[arg-type]
    energy = ann.sigma_v(near_threshold, m, width=running, **kw)  # type: ignore[arg-type]
    no_width = ann.sigma_v(near_threshold, m, width=0.0, **kw)  # type: ignore[arg-type]
    assert energy == pytest.approx(no_width, rel=1e-6, abs=0)
    assert constant < 0.99 * energy  # a broad constant width suppresses sigma v off the pole


def test_bad_arguments() -> None:
    kw = dict(alpha_d=0.5, mediator_mass=30.0, width=1.0, final_states=NU_ONLY)
    with pytest.raises(InvalidParameterError, match="dm kind"):
        ann.sigma_v(np.array([500.0]), 10.0, kind="vector", **kw)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="delta"):
        ann.sigma_v(np.array([500.0]), 10.0, kind="dirac", delta=0.1, **kw)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="x"):
        ann.thermal_average(np.array([0.0]), 10.0, kind="dirac", **kw)  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="width"):
        ann.thermal_average(  # a physical resonance needs a width
            np.array([20.0]),
            10.0,
            kind="dirac",
            alpha_d=0.5,
            mediator_mass=30.0,
            width=0.0,
            final_states=NU_ONLY,
        )
