"""Coherent-only mu -> tau sensitivity (experiments.mu_tau_reach, production.tau_decay).

References: an independent Monte Carlo of polarised tau- -> mu- nu-bar nu decays (Dalitz
sampling with the V-A |M|^2, boosted), the collinear closed form of the boosted Michel
spectrum, a hand calculation of the yield of a thin tungsten card, and the scaling laws
N ~ Lambda^-4 and Lambda_90 ~ N_MOT^(1/4).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from darkreach.cli import main
from darkreach.cli.app import cli
from darkreach.constants import m_mu, m_tau
from darkreach.experiments.mu_tau_reach import (
    OPERATORS,
    coherent_tau_events,
    mu_tau_reach,
)
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.physics.form_factors import LEAD, Nucleus
from darkreach.production import mu_tau, tau_decay

N_A = 6.02214076e23


def _mc_fraction_below(
    e_tau: float, e_cut: float, polarisation: float, n: int = 2_000_000, seed: int = 7
) -> tuple[float, float]:
    """Weighted MC: uniform Dalitz (s_mu-nubar, s_nu-nu) samples, random orientation, weight
    |M|^2 = ((p_tau - m s).p_nubar)(p_mu.p_nu) with s = P z-hat, boost along z."""
    rng = np.random.default_rng(seed)
    m = m_tau
    s12 = rng.uniform(m_mu**2, m**2, n)  # (p_mu + p_nubar)^2
    s23 = rng.uniform(0.0, (m - m_mu) ** 2, n)  # (p_nubar + p_nu)^2
    e_mu = (m**2 + m_mu**2 - s23) / (2 * m)
    e_nu = (m**2 - s12) / (2 * m)
    e_nb = m - e_mu - e_nu
    p_mu = np.sqrt(np.clip(e_mu**2 - m_mu**2, 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        cos_mn = (e_nu**2 - p_mu**2 - e_nb**2) / (2 * p_mu * e_nb)
    ok = (np.abs(cos_mn) <= 1.0) & (e_nb > 0)
    e_mu, e_nu, e_nb, p_mu, cos_mn = (a[ok] for a in (e_mu, e_nu, e_nb, p_mu, cos_mn))
    k = e_mu.size
    # muon direction uniform, nubar at angle acos(cos_mn) with uniform azimuth around it
    cz = rng.uniform(-1, 1, k)
    phi = rng.uniform(0, 2 * np.pi, k)
    sz = np.sqrt(1 - cz**2)
    n_mu = np.stack([sz * np.cos(phi), sz * np.sin(phi), cz], axis=1)
    helper = np.where(np.abs(cz)[:, None] < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
    e1 = np.cross(n_mu, helper)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(n_mu, e1)
    psi = rng.uniform(0, 2 * np.pi, k)
    sin_mn = np.sqrt(1 - cos_mn**2)
    n_nb = cos_mn[:, None] * n_mu + sin_mn[:, None] * (
        np.cos(psi)[:, None] * e1 + np.sin(psi)[:, None] * e2
    )
    pvec_mu = p_mu[:, None] * n_mu
    pvec_nb = e_nb[:, None] * n_nb
    pvec_nu = -(pvec_mu + pvec_nb)

    def dot(e_a, p_a, e_b, p_b):  # type: ignore[no-untyped-def]
        return e_a * e_b - np.sum(p_a * p_b, axis=1)

    # p_tau - m s with s = (0, P z): (m, -m P z)
    tilde = np.zeros_like(pvec_mu)
    tilde[:, 2] = -m * polarisation
    weight = dot(m, tilde, e_nb, pvec_nb) * dot(e_mu, pvec_mu, e_nu, pvec_nu)
    gamma = e_tau / m
    beta = math.sqrt(1 - 1 / gamma**2)
    e_lab = gamma * (e_mu + beta * pvec_mu[:, 2])
    below = e_lab < e_cut
    frac = float(np.sum(weight * below) / np.sum(weight))
    n_eff = np.sum(weight) ** 2 / np.sum(weight**2)
    return frac, math.sqrt(frac * (1 - frac) / n_eff)


@pytest.mark.parametrize(
    ("e_tau", "e_cut", "pol"),
    [(160e3, 80e3, -1.0), (160e3, 80e3, 0.0), (15e3, 7.5e3, 1.0), (4e3, 1.5e3, -0.5)],
)
def test_fraction_below_cut_against_monte_carlo(e_tau: float, e_cut: float, pol: float) -> None:
    """The integrated boosted spectrum against an independent weighted MC (2e6 decays, within
    4 sigma ~ 1.5e-3). Catches the spin term with the wrong sign (P -> -P moves f by ~0.17 at
    y = 1/2), a missing p factor of phase space, and beta dropped from the boost."""
    mc, err = _mc_fraction_below(e_tau, e_cut, pol)
    got = float(tau_decay.muon_fraction_below(e_tau, e_cut, pol))
    assert abs(got - mc) < 4 * err + 1e-4, (got, mc, err)


def test_collinear_limit_with_massless_muon(monkeypatch: pytest.MonkeyPatch) -> None:
    """With m_mu -> 0 and E_tau >> m_tau the exact integral reduces to the closed-form Michel
    result F(y) = 5/3 y - y^3 + y^4/3 + P (y/3 - y^3 + 2/3 y^4) within 1e-5. Catches a wrong
    Michel spectrum (e.g. x^2 (3 - 2x) replaced by x (3 - 2x))."""
    monkeypatch.setattr(tau_decay, "m_mu", 1e-4)
    monkeypatch.setattr(tau_decay, "E_STAR_MAX", (m_tau**2 + 1e-8) / (2 * m_tau))
    for pol in (-1.0, 0.0, 1.0):
        for y in (0.1, 0.5, 0.9):
            got = float(tau_decay.muon_fraction_below(1e8, y * 1e8, pol))
            ref = float(tau_decay.collinear_fraction_below(y, pol))
            assert got == pytest.approx(ref, abs=1e-5)


def _thin_tungsten_card(tmp_path: Path, on_target: str = "1e13", x_min: str = "0.5") -> Path:
    """m3-phase2 with 1 cm of W, no energy loss, a chosen N_MOT and x_min."""
    text = card_path("m3-phase2").read_text()
    text = text.replace("x_min = { value = 0.5,", f"x_min = {{ value = {x_min},")
    text = text.replace('"17.5 cm"', '"1 cm"').replace("energy_loss = true", "energy_loss = false")
    text = text.replace("on_target = { value = 1e13", f"on_target = {{ value = {on_target}")
    text = text.replace('name = "m3-phase2"', 'name = "m3-thin"')
    path = tmp_path / "m3-thin.toml"
    path.write_text(text)
    return path


def test_yield_against_hand_calculation(tmp_path: Path) -> None:
    """1 cm W (19.3 g/cm^3, A = 183.84), 15 GeV, 1e13 MOT, efficiency 1, x_min = 0.3 so the
    cut is E_mu < 0.7 E: N = N_MOT rho N_A/A L sigma BR f by hand, within 1e-3. Catches the
    column density in the wrong unit, BR or f left out, and the cut at E_cut = x_min E."""
    exp = get_experiment(_thin_tungsten_card(tmp_path, x_min="0.3"))
    op = OPERATORS["left"]
    got = coherent_tau_events(exp, op)
    w = Nucleus(74, 183.84)
    n_per_mm3 = 19.3 * N_A / 183.84 / 1000.0  # cm^-3 -> mm^-3
    sigma = float(mu_tau.coherent_sigma(15e3, w, 1e6, 0.5, 0.5, "left"))  # mm^2
    frac = float(tau_decay.muon_fraction_below(15e3, 10.5e3, -1.0))
    hand = 1e13 * n_per_mm3 * 10.0 * sigma * 0.1739 * frac
    assert got["events"] == pytest.approx(hand, rel=1e-3)
    assert got["fraction_below"] == pytest.approx(frac, rel=1e-4)


def test_na64mu_2022_lambda_against_hand_estimate() -> None:
    """NA64mu 2022: 150 x (1.5 mm Pb + 1.5 mm polystyrene C8H8, 1.06 g/cm^3), 1.98e10 MOT,
    efficiency 0.0793 (card at m_tau), cut 80 GeV at 160 GeV, s_up = 2.303 (CLs, 0 observed):
    N and Lambda_90 = 1 TeV (N/2.303)^(1/4) by hand with sigma and f at 160 GeV on Pb and C
    (carbon adds 3.3 %; hydrogen and the energy loss, left out by hand: 0.44 %), within 1 %.
    Catches a nucleus species dropped, the efficiency taken at the wrong mass (0.051 at low
    mass), and s_up from the wrong statistics."""
    exp = get_experiment("na64mu-2022")
    res = mu_tau_reach(exp, "left")
    n_pb = 11.35 * N_A / 207.2 / 1000.0
    n_c = 1.06 * N_A / (12.011 + 1.008) / 1000.0
    carbon = Nucleus(6, 12.011)
    frac_c = float(tau_decay.muon_fraction_below(160e3, 80e3, -1.0))
    col_sigma = 225.0 * (
        n_pb * float(mu_tau.coherent_sigma(160e3, LEAD, 1e6, 0.5, 0.5, "left"))
        + n_c * float(mu_tau.coherent_sigma(160e3, carbon, 1e6, 0.5, 0.5, "left"))
    )
    events = 1.98e10 * 0.079251 * 0.1739 * col_sigma * frac_c
    assert res.signal_limit == pytest.approx(math.log(10.0), rel=1e-3)
    assert res.events_at_reference == pytest.approx(events, rel=1e-2)
    assert res.lambda_limit == pytest.approx(1e6 * (events / math.log(10.0)) ** 0.25, rel=2e-3)
    assert res.kind == "observed"


def test_lambda_scaling_laws(tmp_path: Path) -> None:
    """N ~ Lambda^-4 exactly, and Lambda_90 ~ N_MOT^(1/4) for a background-free projection
    (16 x the muons -> 2 x Lambda). Catches Lambda^-2 in the cross section or a square root
    instead of a fourth root in the limit."""
    exp = get_experiment(_thin_tungsten_card(tmp_path))
    op = OPERATORS["vector"]
    n1 = coherent_tau_events(exp, op, 1e6)["events"]
    n2 = coherent_tau_events(exp, op, 2e6)["events"]
    assert n1 / n2 == pytest.approx(16.0, rel=1e-10)
    lam1 = mu_tau_reach(exp, "vector").lambda_limit
    (tmp_path / "x16").mkdir()
    exp16 = get_experiment(_thin_tungsten_card(tmp_path / "x16", on_target="1.6e14"))
    assert mu_tau_reach(exp16, "vector").lambda_limit / lam1 == pytest.approx(2.0, rel=1e-10)


def test_polarisation_and_cut_direction() -> None:
    """Left-handed tau- (P = -1) gives a harder muon, so fewer pass E_mu < E_cut than for
    P = +1; at 160 GeV / 80 GeV: f = 0.64 (left), 0.72 (vector), 0.81 (right). Catches the
    operators' polarisations swapped and a cut applied as E_mu > E_cut (f -> 1 - f)."""
    exp = get_experiment("na64mu-2022")
    f = {op: mu_tau_reach(exp, op).fraction_below for op in ("left", "vector", "right")}
    assert f["left"] == pytest.approx(0.643, abs=0.01)
    assert f["vector"] == pytest.approx(0.725, abs=0.01)
    assert f["right"] == pytest.approx(0.810, abs=0.01)


def test_mutau_cli_json_and_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    """The command's JSON carries Lambda_90 per card and operator, equal to the library's;
    a card of another type and a bad --cl are one-line errors with exit 2."""
    result = CliRunner().invoke(
        cli, ["mutau", "na64mu-2022", "m3-phase2", "--operator", "left", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["results"]
    assert [(r["card"], r["operator"]) for r in rows] == [
        ("na64mu-2022", "left"),
        ("m3-phase2", "left"),
    ]
    ref = mu_tau_reach(get_experiment("m3-phase2"), "left").lambda_limit / 1e3
    assert rows[1]["lambda_limit_GeV"] == pytest.approx(ref, rel=1e-12)
    assert rows[1]["limit_kind"] == "expected" and rows[0]["coherent_only"] is True
    for argv, field in (
        (["mutau", "na64h-2022"], "CARD"),
        (["mutau", "na64mu-2022", "--cl", "1.5"], "--cl"),
    ):
        assert main(argv) == 2
        captured = capsys.readouterr()
        assert len(captured.err.strip().splitlines()) == 1 and field in captured.err
        assert captured.out == ""
