"""Thermal targets: validation RE-3 ... RE-6, the Omega h^2 recomputation, alpha_D behaviour."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from darkreach.constants import alpha_em, m_e
from darkreach.errors import InvalidParameterError
from darkreach.io import relic_csv_text
from darkreach.physics.relic import annihilation as ann
from darkreach.physics.relic import boltzmann as bz
from darkreach.physics.relic import targets as tg


def quiet_targets(masses: list[float] | np.ndarray, **kwargs: object) -> tg.RelicTargets:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tg.RelicWarning)
        return tg.relic_targets(masses, check=False, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dm", "mediator", "mass"),
    [
        ("scalar", "lmu-ltau", 10.0),
        ("majorana", "lmu-ltau", 300.0),  # mu mu open
        ("dirac", "dark-photon", 50.0),
        ("pseudo-dirac", "lmu-ltau", 2.0),
    ],
)
def test_omega_recomputed_at_the_target_coupling(dm: str, mediator: str, mass: float) -> None:
    """An independent, tighter-settings recomputation returns Omega h^2 = 0.12 to 1e-3."""
    result = tg.relic_targets([mass], dm=dm, mediator=mediator)
    assert result.converged.all()
    assert result.omega_h2_check[0] == pytest.approx(0.12, rel=1e-3, abs=0)
    # the coupling is a root: 1 % more coupling gives ~2 % less dark matter
    again = tg.omega_h2_at([mass], result.coupling * 1.01, dm=dm, mediator=mediator)
    assert again[0] == pytest.approx(0.12 / 1.01**2, rel=3e-3, abs=0)


def test_re3_majorana_over_scalar_with_the_same_width() -> None:
    """RE-3: same sigma and same width, half the effective rate: coupling^2 ratio = 1/2."""
    m, ratio = 10.0, 3.0
    settings = bz.SolverSettings()
    x = settings.sigma_v_grid(ann.resonance_position(ratio))
    common = dict(
        alpha_d=0.1,
        mediator_mass=ratio * m,
        width=0.05,
        final_states=ann.final_states_from_couplings(
            tg._build_model("lmu-ltau", "dirac", ratio, 0.1, 0.0, "left").fermion_couplings()
        ),
    )
    scales = {}
    for kind in ("complex-scalar", "majorana"):
        sv = ann.thermal_average(x, m, kind=kind, **common)  # type: ignore[arg-type]
        states = bz.dark_states(kind)
        prob = bz.BoltzmannProblem.build(
            np.array([m]), x, (sv * states.sigma_v_factor(x))[None, :], settings.ode_grid(), states
        )
        scales[kind] = prob.solve_scale(0.12)[0][0]
    assert scales["majorana"] / scales["complex-scalar"] == pytest.approx(0.5, rel=1e-4, abs=0)


@pytest.mark.parametrize("running", [True, False])
def test_re3_majorana_over_scalar_with_own_widths(running: bool) -> None:
    """RE-3 with each model's own Z' -> DM width: 0.502 at 10 MeV, M = 3 m_chi, alpha_D = 0.1."""
    kw = dict(alpha_d=0.1, ratio=3.0, running_width=running)
    scalar = quiet_targets([10.0], dm="scalar", **kw)
    majorana = quiet_targets([10.0], dm="majorana", **kw)
    ratio = (majorana.coupling[0] / scalar.coupling[0]) ** 2
    assert ratio == pytest.approx(0.502, abs=1e-3)


@pytest.mark.parametrize("dm", ["scalar", "dirac"])
def test_re4_dark_photon_electrons_equal_lmu_ltau_neutrinos(dm: str) -> None:
    """RE-4: at 10 MeV, 4 pi alpha eps^2 = g^2 (e+e- vs two half-weight neutrinos)."""
    lmu = quiet_targets([10.0], dm=dm, mediator="lmu-ltau", alpha_d=0.1)
    dp = quiet_targets([10.0], dm=dm, mediator="dark-photon", alpha_d=0.1)
    assert 4 * math.pi * alpha_em * dp.coupling[0] ** 2 == pytest.approx(
        lmu.coupling[0] ** 2, rel=1e-3
    )
    # hence the same y in convention (b)
    assert dp.y("b")[0] == pytest.approx(lmu.y("b")[0], rel=1e-3, abs=0)


def test_re5_pseudo_dirac_without_splitting_is_dirac() -> None:
    masses = [3.0, 80.0, 500.0]
    dirac = quiet_targets(masses, dm="dirac")
    pseudo = quiet_targets(masses, dm="pseudo-dirac", delta=0.0)
    assert pseudo.coupling == pytest.approx(dirac.coupling, rel=1e-4, abs=0)


def test_pseudo_dirac_splitting_needs_a_larger_coupling() -> None:
    """With delta > 0 the heavier state depletes: less coannihilation, larger coupling."""
    couplings = [
        quiet_targets([30.0], dm="pseudo-dirac", delta=d).coupling[0] for d in (0, 0.05, 0.1)
    ]
    assert couplings[0] < couplings[1] < couplings[2]


def test_re6_y_conventions() -> None:
    """RE-6: y_c = 4 pi y_a, y_b = y_a/(4 pi alpha), y_c = 1.152 y_b (exact relations)."""
    kw = dict(mediator="lmu-ltau", alpha_d=0.3, ratio=3.0)
    g = np.array([1e-5, 3e-4])
    y = {c: tg.y_from_coupling(g, convention=c, **kw) for c in "abc"}  # type: ignore[arg-type]
    assert y["c"] == pytest.approx(4 * math.pi * y["a"], rel=1e-14, abs=0)
    assert y["b"] == pytest.approx(y["a"] / (4 * math.pi * alpha_em), rel=1e-14, abs=0)
    assert y["c"] / y["b"] == pytest.approx(16 * math.pi**2 * alpha_em, rel=1e-14, abs=0)
    assert 16 * math.pi**2 * alpha_em == pytest.approx(1.152, abs=1e-3)
    assert y["a"] == pytest.approx(g**2 * 0.3 / 81, rel=1e-14, abs=0)
    for c in "abc":
        back = tg.coupling_from_y(y[c], convention=c, **kw)  # type: ignore[arg-type]
        assert back == pytest.approx(g, rel=1e-12, abs=0)
    # dark photon in convention (b) is the standard y = eps^2 alpha_D (m_chi/m_A')^4
    eps = np.array([1e-4])
    y_dp = tg.y_from_coupling(eps, mediator="dark-photon", alpha_d=0.1, ratio=3.0, convention="b")
    assert y_dp == pytest.approx(eps**2 * 0.1 / 81, rel=1e-14, abs=0)


def test_monotonic_in_alpha_d() -> None:
    """g decreases with alpha_D; y (sigma v ~ y/m^2) stays within 10 % at M = 3 m_chi."""
    alphas = [0.02, 0.05, 0.1, 0.3, 0.5, 1.0]
    for dm in ("scalar", "dirac"):
        couplings = np.array([quiet_targets([20.0], dm=dm, alpha_d=a).coupling[0] for a in alphas])
        assert np.all(np.diff(couplings) < 0)
        ys = np.array(
            [
                tg.y_from_coupling(g, mediator="lmu-ltau", alpha_d=a, ratio=3.0)
                for g, a in zip(couplings, alphas, strict=True)
            ]
        )
        assert np.max(ys) / np.min(ys) < 1.1


def test_dirac_neutrinos_halve_the_coupling_squared_below_the_muon_threshold() -> None:
    left = quiet_targets([10.0], dm="dirac", neutrinos="left")
    dirac = quiet_targets([10.0], dm="dirac", neutrinos="dirac")
    assert (dirac.coupling[0] / left.coupling[0]) ** 2 == pytest.approx(0.5, rel=1e-3, abs=0)


def test_resonance_enhancement_and_warnings() -> None:
    """Near M = 2 m_chi the needed y drops by orders of magnitude; warned below 2.5."""
    far = quiet_targets([100.0], ratio=3.0)
    with pytest.warns(tg.RelicWarning, match="near the resonance"):
        near = tg.relic_targets([100.0], ratio=2.05, check=False)
    assert near.converged.all()
    assert near.y()[0] < 1e-3 * far.y()[0]
    with pytest.warns(tg.RelicWarning, match="past the resonance"):
        tg.relic_targets([100.0], ratio=1.8, check=False)
    with pytest.warns(tg.RelicWarning, match="secluded"):
        tg.relic_targets([100.0], ratio=0.9, check=False)
    with pytest.warns(tg.RelicWarning, match="broad mediator"):
        tg.relic_targets([10.0], dm="dirac", alpha_d=5.0, check=False)


#: Published dark-photon relic target, complex scalar, alpha_D = 0.1, M = 3 m_chi (y as in
#: RE-7): ESPP2026-PPG/Quasi-elastic-DM data/relic-target-scalar.csv (commit 269f120), points
#: quoted, not shipped. m_chi [MeV] -> y. Leptons-only (before issue 10) gave 1.07, 1.19, 2.97,
#: 4.72, 3.18, 1.78 times these.
PUBLISHED_SCALAR_Y = {
    50.5: 4.007e-10,
    199.7: 3.406e-9,
    305.4: 3.309e-9,
    346.9: 2.703e-9,
    399.7: 5.333e-9,
    602.8: 2.137e-8,
}


def test_dark_photon_hadrons_in_targets() -> None:
    """Issue 10: hadrons (R ratio) in the dark-photon targets. No hadronic warning, all
    points complete, and above m_pi+ the targets move down onto the published curve: within
    35 % (the published curve resolves the rho-omega structure differently; our R is 10-20 %
    uncertain there, hadrons.py), where leptons-only was up to 4.7x off. Below m_pi+ nothing
    changes (the leptons-only value at 50.5 MeV was 4.279e-10)."""
    masses = list(PUBLISHED_SCALAR_Y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", tg.RelicWarning)
        result = tg.relic_targets(masses, mediator="dark-photon", ratio=3.0, check=False)
    assert result.complete.all() and result.converged.all()
    ratios = result.y() / np.array(list(PUBLISHED_SCALAR_Y.values()))
    assert float(result.y()[0]) == pytest.approx(4.279e-10, rel=2e-3)
    assert np.all((ratios > 0.8) & (ratios < 1.35)), ratios
    with pytest.raises(InvalidParameterError, match="m_e"):
        tg.relic_targets([0.9 * m_e], mediator="dark-photon")


#: As above, pseudo-Dirac (delta = 0): data/relic-target-pseudodirac.csv of the same commit.
#: Leptons-only gave 1.19, 2.19, 5.12, 1.72, 2.38 times these. (At m_chi = 1.5 GeV we are 1.5x
#: above the published curve: annihilation at sqrt(s) ~ 3 GeV, where the published curve
#: apparently counts charm; we open c cbar only at the D Dbar threshold, 3.74 GeV.)
PUBLISHED_PSEUDO_DIRAC_Y = {
    196.9: 1.0367e-10,
    301.1: 1.3257e-10,
    362.0: 8.226e-11,
    594.3: 6.4577e-10,
    1018.0: 1.3211e-9,
}


def test_dark_photon_pseudo_dirac_targets_with_hadrons() -> None:
    result = tg.relic_targets(
        list(PUBLISHED_PSEUDO_DIRAC_Y), mediator="dark-photon", dm="pseudo-dirac", check=False
    )
    ratios = result.y() / np.array(list(PUBLISHED_PSEUDO_DIRAC_Y.values()))
    assert np.all((ratios > 0.85) & (ratios < 1.3)), ratios


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(masses=[-1.0]), "mass"),
        (dict(masses=[0.0]), "mass"),
        (dict(masses=[10.0], alpha_d=0.0), "alpha_D"),
        (dict(masses=[10.0], alpha_d=4 * math.pi), "alpha_D"),
        (dict(masses=[10.0], dm="wimp"), "dm"),
        (dict(masses=[10.0], mediator="higgs"), "mediator"),
        (dict(masses=[10.0], y_convention="d"), "y convention"),
        (dict(masses=[10.0], ratio=-3.0), "ratio"),
        (dict(masses=[10.0], delta=0.1), "delta"),
    ],
)
def test_bad_input(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        tg.relic_targets(**kwargs)  # type: ignore[arg-type]


def test_progress_and_csv() -> None:
    calls: list[tuple[int, int]] = []
    result = tg.relic_targets(
        [5.0, 50.0, 150.0], check=False, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    text = relic_csv_text([result])
    rows = [line for line in text.splitlines() if not line.startswith("#")]
    assert rows[0].split(",")[:4] == ["dm", "mass_MeV", "m_mediator_MeV", "coupling"]
    assert len(rows) == 4
    assert "convention: (b)" in text and "dhs2015" in text
    assert tg.y_axis_label("lmu-ltau", "c").endswith("[convention (c)]")
    assert "eps^2" in tg.y_definition("dark-photon", "b")
