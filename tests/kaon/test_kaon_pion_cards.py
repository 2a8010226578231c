"""kaon-pion-invisible: the NA62 K+ -> pi+ X cards against the published tables they were
calibrated to (round trip), the escape kinematics against hand calculations, lifetime
behaviour of the limits, the generic (mass, c tau) interface and bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hepunits import c_light, picosecond

from darkreach.cli import main
from darkreach.constants import m_K_charged, m_pi_charged
from darkreach.errors import BadCardError, InvalidParameterError
from darkreach.experiments.kaon.generic_x import kaon_pion_limit
from darkreach.experiments.kaon.pion_escape import LabKinematics, escape_probability
from darkreach.experiments.kaon.pion_invisible import KaonPionInvisible
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model
from darkreach.production.kaon_to_pion import momentum
from darkreach.units import GeV, MeV, m

CARD18 = "na62-kpix-2016-2018"
CARD22 = "na62-kpix-2016-2022"
KIN = LabKinematics(75 * GeV, 15 * GeV, 35 * GeV)

#: Lower edge of the NA62 2016-18 sin^2 theta exclusion (arXiv:2103.15389) as copied in
#: ALPINIST@53441e5 Figures/Bound_data/DS/NA62_lowerlimit.csv (BSD-3): (m [GeV], sin^2 theta)
PUBLISHED_THETA2 = [
    (0.0, 3.594e-08),
    (0.05, 1.836e-08),
    (0.1, 5.568e-08),
    (0.164, 1.420e-08),
    (0.2, 9.582e-09),
    (0.22, 1.080e-08),
    (0.25, 1.795e-08),
    (0.26, 3.659e-08),
]

#: ALPaca@3f98273 na62_kpiInv_2025.npy (MIT; NA62 JHEP 11 (2025) 143): BR limits at
#: (m [MeV], log10 tau/ps); a few points outside the tau = 1e4 ps row used for calibration.
PUBLISHED_GRID = [
    (20.364, 2.699, 3.006e-11),
    (59.96, 2.699, 5.877e-11),
    (59.96, 3.0, 3.587e-11),
    (90.505, 3.0, 3.404e-11),
    (170.0, 2.699, 2.395e-10),
    (200.0, 3.0, 4.076e-11),
    (240.0, 3.0, 5.813e-11),
    (240.0, 3.301, 2.379e-11),
]
STABLE_ROW = [(20.364, 2.141e-11), (90.505, 1.642e-11), (200.0, 8.27e-12), (240.0, 8.918e-12)]


@pytest.fixture(scope="module")
def exp18() -> KaonPionInvisible:
    exp = get_experiment(CARD18)
    assert isinstance(exp, KaonPionInvisible)
    return exp


@pytest.fixture(scope="module")
def exp22() -> KaonPionInvisible:
    exp = get_experiment(CARD22)
    assert isinstance(exp, KaonPionInvisible)
    return exp


# ----------------------------------------------------------------- kinematics


def test_lab_energy_conservation() -> None:
    """E_X + E_pi = E_K at every decay angle: catches a wrong boost sign or gamma/beta gamma
    mix-up in the lab momenta."""
    mass = np.array([50.0, 200.0])
    wide = LabKinematics(75 * GeV, 0.0, 75 * GeV)
    p_x, _ = wide.lab_momenta(mass)
    from darkreach.experiments.kaon.pion_escape import _nodes

    c, _ = _nodes(p_x.shape[1])
    ps = momentum(mass)[:, None]
    bg = 75 * GeV / m_K_charged
    gamma = math.sqrt(1 + bg * bg)
    e_pi_star = np.sqrt(ps**2 + m_pi_charged**2)
    p_pi = np.sqrt(ps**2 * (1 - c**2) + (-gamma * ps * c + bg * e_pi_star) ** 2)
    e_total = np.sqrt(p_x**2 + mass[:, None] ** 2) + np.sqrt(p_pi**2 + m_pi_charged**2)
    assert np.allclose(e_total, math.sqrt((75 * GeV) ** 2 + m_K_charged**2), rtol=1e-9)


def test_forward_x_momentum_by_hand() -> None:
    """X emitted forward (c -> 1) has p = gamma p* + beta gamma E*: the largest node momentum
    equals it to the node spacing; catches p*/E* swapped."""
    mass = 100.0
    ps = float(momentum(mass))
    bg = 75 * GeV / m_K_charged
    expected = math.sqrt(1 + bg * bg) * ps + bg * math.sqrt(ps**2 + mass**2)
    p_x, _ = LabKinematics(75 * GeV, 0.0, 75 * GeV).lab_momenta([mass])
    assert p_x.max() == pytest.approx(expected, rel=2e-3)


def test_escape_single_momentum_limit() -> None:
    """With a narrow pi+ window P_escape -> exp(-L m / (p_X c tau)) for the one p_X allowed
    (hand value from energy conservation p_X = E_K - E_pi): catches L/2, m/p inverted."""
    mass, p_pi = 100.0, 25 * GeV
    kin = LabKinematics(75 * GeV, p_pi - 20 * MeV, p_pi + 20 * MeV)
    e_k = math.sqrt((75 * GeV) ** 2 + m_K_charged**2)
    e_x = e_k - math.sqrt(p_pi**2 + m_pi_charged**2)
    p_x = math.sqrt(e_x**2 - mass**2)
    ctau, length = 2 * m, 100 * m
    expected = math.exp(-length * mass / (p_x * ctau))
    got = float(escape_probability(kin, mass, ctau, length)[0])
    assert got == pytest.approx(expected, rel=0.01)


def test_escape_limits() -> None:
    """Stable or massless X always escapes; c tau = 0 never does; longer L, smaller P."""
    assert escape_probability(KIN, [0.0, 100.0], np.inf, 100 * m) == pytest.approx([1.0, 1.0])
    assert float(escape_probability(KIN, 100.0, 0.0, 100 * m)[0]) == 0.0
    p1 = float(escape_probability(KIN, 100.0, 1 * m, 50 * m)[0])
    p2 = float(escape_probability(KIN, 100.0, 1 * m, 100 * m)[0])
    assert 0.0 < p2 < p1 < 1.0


# ----------------------------------------------------------------- round trips


@pytest.mark.parametrize(("mass_gev", "theta2"), PUBLISHED_THETA2)
def test_scalar_lower_edge_reproduces_published(
    exp18: KaonPionInvisible, mass_gev: float, theta2: float
) -> None:
    """Round trip: the dark-scalar lower edge reproduces NA62's published sin^2 theta edge
    (the BR table was derived from it with P_escape = 1). Below 2 m_mu S is stable there
    (1 %); above, its mu mu decays make our edge weaker by up to 11 % (never stronger):
    catches a factor 2 in BR(K -> pi S), a lost escape factor, or a misread table."""
    mass = max(mass_gev * GeV, 0.01 * MeV) * (1 - 1e-9)
    low = float(exp18.reach(get_model("dark-scalar"), [mass]).coupling[0])
    ratio = low / theta2
    if mass < 2 * 105.66:
        assert ratio == pytest.approx(1.0, abs=0.01)
    else:
        assert 0.999 < ratio < 1.15


def test_lifetime_weakens_above_dimuon_threshold(exp18: KaonPionInvisible) -> None:
    """At 258 MeV S -> mu mu makes the lower edge ~7 % weaker than for a stable S: the model
    lifetime enters (a test that would pass with P_unseen = 1 is the round trip above)."""
    low = float(exp18.reach(get_model("dark-scalar"), [258.0]).coupling[0])
    assert low / 2.707e-08 > 1.03


@pytest.mark.parametrize(("mass", "log_tau", "published"), PUBLISHED_GRID)
def test_latest_card_reproduces_lifetime_grid(
    mass: float, log_tau: float, published: float
) -> None:
    """Round trip of the calibrated escape length: the BR limit at (m, tau) reproduces the
    published grid (ALPaca copy) within a factor 1.6 (fit rms 26 % over 1029 points);
    L/2 or L x 2 fails at the short lifetimes."""
    ctau = 10**log_tau * picosecond * c_light
    got = float(kaon_pion_limit(CARD22, mass, ctau)[0])
    assert 1 / 1.6 < got / published < 1.6


@pytest.mark.parametrize(("mass", "published"), STABLE_ROW)
def test_latest_card_reproduces_calibration_row(mass: float, published: float) -> None:
    """The tau = 1e4 ps row the card's stable table was derived from comes back (2 %)."""
    ctau = 1e4 * picosecond * c_light
    assert float(kaon_pion_limit(CARD22, mass, ctau)[0]) == pytest.approx(published, rel=0.02)


def test_latest_is_stronger_than_2016_2018(
    exp18: KaonPionInvisible, exp22: KaonPionInvisible
) -> None:
    """More data: the latest R1/R2 limits are below the 2016-18 ones at every table mass."""
    grid = np.array([5.0, 40.0, 100.0, 160.0, 200.0, 250.0])
    assert np.all(exp22.stable_limit(grid) < exp18.stable_limit(grid))


def test_pi0_window_matches_pi0_invisible_limit(exp18: KaonPionInvisible) -> None:
    """At the pi0 mass the window limit is BR(pi0 -> inv) x BR(K+ -> pi+ pi0) = 4.4e-9 x
    0.2067 = 9.1e-10 (arXiv:2010.07644; PDG) within 20 % (the table is a derived curve)."""
    assert float(exp18.stable_limit([134.98])[0]) == pytest.approx(4.4e-9 * 0.2067, rel=0.2)


# ----------------------------------------------------------------- lifetime behaviour


def test_limit_scales_with_inverse_escape(exp22: KaonPionInvisible) -> None:
    """BR_limit(c tau) = BR_limit(stable) / P_escape, and an invisible X is not penalised."""
    mass, ctau = np.array([60.0, 200.0]), 5 * m
    stable = exp22.stable_limit(mass)
    p = escape_probability(exp22.kinematics, mass, ctau, 108 * m)
    assert np.allclose(exp22.branching_ratio_limit(mass, ctau), stable / p, rtol=1e-12)
    assert np.allclose(exp22.branching_ratio_limit(mass, 0.0, 1.0), stable)
    assert np.all(np.isinf(exp22.branching_ratio_limit(mass, 0.0)))


def test_scalar_upper_edge(exp18: KaonPionInvisible) -> None:
    """Where S decays inside the detector the exclusion closes: an upper edge above 2 m_mu
    (published: 1e-7 - 1e-4) and none at 30 MeV (published: 1)."""
    curve = exp18.reach(get_model("dark-scalar"), [30.0, 230.0, 250.0])
    assert curve.coupling_upper is not None
    assert np.isnan(curve.coupling_upper[0])
    assert np.all(curve.coupling_upper[1:] < 1e-4)
    assert np.all(curve.coupling_upper[1:] > 10 * curve.coupling[1:])


def test_yield_at_limit_equals_signal_limit(exp22: KaonPionInvisible) -> None:
    """N_sig at the lower edge equals the card's S_up = 2.303 (solver and yield agree)."""
    model = get_model("dark-scalar")
    masses = np.array([50.0, 220.0])
    low = exp22.reach(model, masses).coupling
    assert exp22.signal_yield(model, masses, low) == pytest.approx([2.303, 2.303], rel=1e-6)


def test_default_grid_inside_regions(exp18: KaonPionInvisible) -> None:
    """The default reach grid uses the regions only (no NaN from the gaps)."""
    curve = exp18.reach(get_model("dark-scalar"), exp18.default_masses(60))
    assert np.all(np.isfinite(curve.coupling))


# ----------------------------------------------------------------- bad input


def test_mass_outside_regions(exp18: KaonPionInvisible) -> None:
    with pytest.raises(InvalidParameterError, match=r"mass = 300 MeV .*R1: 0-110 MeV"):
        exp18.stable_limit([300.0])
    with pytest.raises(InvalidParameterError, match="mass"):
        exp18.reach(get_model("dark-scalar"), [300.0, 320.0])


def test_bad_lifetime_and_mixing(exp18: KaonPionInvisible) -> None:
    with pytest.raises(InvalidParameterError, match="ctau"):
        exp18.branching_ratio_limit([100.0], -1.0)
    with pytest.raises(InvalidParameterError, match="coupling"):
        exp18.signal_yield(get_model("dark-scalar"), [100.0], 1.0)
    with pytest.raises(InvalidParameterError, match="model"):
        exp18.reach(get_model("lmu-ltau"), [100.0])


def test_bad_card(tmp_path: Path) -> None:
    """A region beyond m_K - m_pi is a one-line card error naming mass_max."""
    text = card_path(CARD18).read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('value = "260 MeV"', 'value = "400 MeV"'))
    with pytest.raises(BadCardError, match="mass_max"):
        get_experiment(bad)


# ----------------------------------------------------------------- CLI


def test_cli_limit_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kaon", "limit", "--card", CARD22, "--mass", "100MeV", "--ctau", "10m", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    payload = json.loads(out)
    expected = float(kaon_pion_limit(CARD22, 100.0, 10 * m)[0])
    assert payload["branching_ratio_limit"][0] == pytest.approx(expected)
    assert payload["ctau_m"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--card", CARD18, "--mass", "300MeV"], "--mass"),
        (["--card", CARD18, "--mass", "100MeV", "--ctau", "-1m"], "--ctau"),
        (["--card", "na62-2015", "--mass", "100MeV"], "--card"),
        (["--card", CARD18, "--mass", "100MeV", "--invisible-fraction", "2"], "--invisible"),
    ],
)
def test_cli_limit_bad_input(
    args: list[str], field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["kaon", "limit", *args])
    err = capsys.readouterr().err
    assert code == 2
    assert field in err and len(err.strip().splitlines()) == 1


def test_cli_reach_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["reach", CARD18, "--model", "dark-scalar", "--masses", "50MeV,230MeV", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    curve = json.loads(out)["curves"][0]
    assert curve["card"] == CARD18


def test_alp_lower_edge_closed_form(exp22: KaonPionInvisible) -> None:
    """alp-gluon (a -> invisible): BR ~ (c_GG/Lambda)^2, so the edge is
    sqrt(BR_lim / BR(c_GG/Lambda = 1/GeV)) exactly; catches the coupling power (1 vs 2)."""
    from darkreach.production.kaon_to_pion import br_k_to_pi_alp

    masses = np.array([20.0, 140.0, 230.0])
    curve = exp22.reach(get_model("alp-gluon"), masses)
    expected = np.sqrt(exp22.stable_limit(masses) / br_k_to_pi_alp(masses, 1.0 / GeV))
    assert curve.coupling == pytest.approx(expected, rel=1e-6)
    assert curve.coupling_upper is None
