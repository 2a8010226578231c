"""Recasting at equal signal count: identities, the e*eps mapping, agreement with reach."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from darkreach.constants import alpha_em, m_e, m_mu
from darkreach.curves import CurveFile, read_curve
from darkreach.errors import InvalidParameterError
from darkreach.experiments.registry import get_experiment
from darkreach.io import write_reach_csv
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.registry import get_model
from darkreach.recast import analytic_recast, equal_signal_edges, recast

E = math.sqrt(4.0 * math.pi * alpha_em)


def curve_of(
    masses: np.ndarray, coupling: np.ndarray, upper: np.ndarray | None = None
) -> CurveFile:
    return CurveFile(
        mass_MeV=np.asarray(masses, float),
        coupling=np.asarray(coupling, float),
        coupling_upper=upper,
        label="test curve",
        source=Path("test.csv"),
    )


def darkreach_curve(tmp_path: Path, card: str, model: str, masses: np.ndarray) -> CurveFile:
    """A darkreach reach curve written to CSV and read back (6 significant digits)."""
    exp = get_experiment(card)
    path = tmp_path / f"{card}-{model}.csv"
    write_reach_csv([exp.reach(get_model(model), masses)], path)
    return read_curve(path)


def test_analytic_mapping() -> None:
    # S = U g^2: g_B = g_A sqrt(U_A / U_B); linear yields (|U|^2 couplings): g_B = g_A U_A/U_B
    assert float(analytic_recast(np.array(1e-3), np.array(4.0), np.array(1.0))) == pytest.approx(
        2e-3, rel=1e-12
    )
    assert float(
        analytic_recast(np.array(1e-6), np.array(3.0), np.array(1.5), 1.0, 1.0)
    ) == pytest.approx(2e-6, rel=1e-12)


def test_equal_signal_edges_fixed_point_is_fast() -> None:
    """Pure g^2 yields (and g^2 times a slowly falling probability) need a few evaluations."""
    calls = []

    def yields(index: np.ndarray, g: np.ndarray) -> np.ndarray:
        calls.append(g.size)
        return 3e9 * g**2 / (1.0 + (g / 0.05) ** 0.5) * np.ones(index.size)

    target = np.array([2.3, 10.0, 50.0])
    low, high = equal_signal_edges(yields, target)
    np.testing.assert_allclose(yields(np.arange(3), low), target, rtol=1e-9)
    assert np.isnan(high).all()
    assert len(calls) < 40  # the grid-and-bisection fallback alone takes > 240


def test_equal_signal_edges_closed_region() -> None:
    # S = 1e8 g^2 exp(-g/1e-2): the region {S >= 10} is closed; check both edges solve S = 10
    def yields(index: np.ndarray, g: np.ndarray) -> np.ndarray:
        return 1e8 * g**2 * np.exp(-g / 1e-2)

    low, high = equal_signal_edges(yields, np.array([10.0]))
    s = yields(np.array([0]), np.array([low[0], high[0]]))
    np.testing.assert_allclose(s, 10.0, rtol=1e-8)
    assert low[0] < 1e-2 < high[0]


def test_identity_missing_momentum(tmp_path: Path) -> None:
    masses = np.geomspace(1.0, 3000.0, 25)
    exp = get_experiment("na64mu-2022")
    for model in ("lmu-ltau", "scalar"):
        curve = darkreach_curve(tmp_path, "na64mu-2022", model, masses)
        result = recast(curve, exp, get_model(model), get_model(model))
        ok = np.isfinite(curve.coupling)
        np.testing.assert_allclose(result.curve.coupling[ok], curve.coupling[ok], rtol=1e-6)
        assert np.array_equal(np.isfinite(result.curve.coupling), ok)
        if curve.coupling_upper is not None:  # the scalar's closed region maps edge by edge
            assert result.curve.coupling_upper is not None
            np.testing.assert_allclose(result.curve.coupling_upper, curve.coupling_upper, rtol=1e-6)


@pytest.mark.parametrize(
    ("card", "model", "masses"),
    [
        ("na62-hnl-mu", "hnl-mu", np.linspace(150.0, 350.0, 12)),
        ("na62-dimuon-2018", "scalar", np.linspace(215.0, 350.0, 8)),
        ("na62-ultimate", "lmu-ltau", np.geomspace(5.0, 200.0, 6)),
    ],
)
def test_identity_kaon(tmp_path: Path, card: str, model: str, masses: np.ndarray) -> None:
    curve = darkreach_curve(tmp_path, card, model, masses)
    result = recast(curve, get_experiment(card), get_model(model), get_model(model))
    ok = np.isfinite(curve.coupling)
    assert ok.any()
    np.testing.assert_allclose(result.curve.coupling[ok], curve.coupling[ok], rtol=1e-6)


def test_dark_photon_to_lmu_ltau_is_e_eps() -> None:
    """Both invisible, both produced through the muon vector coupling: g = e eps."""
    exp = get_experiment("na64mu-2022")
    lmu = get_model("lmu-ltau")
    # below 2 m_e the plain dark photon cannot decay: invisible; the Z' goes to nu nubar
    masses = np.geomspace(0.1, 0.99 * 2 * m_e, 6)
    eps = np.geomspace(1e-3, 3e-3, masses.size)
    result = recast(curve_of(masses, eps), exp, DarkPhoton(warn_hadrons=False), lmu)
    np.testing.assert_allclose(result.curve.coupling, E * eps, rtol=1e-6)
    # with dark matter (alpha_D = 0.5) the A' is invisible up to 2 m_mu as well
    dark = DarkPhoton(
        dark_matter=DarkMatter(kind="complex-scalar", mass_ratio=3.0, alpha_d=0.5),
        warn_hadrons=False,
    )
    masses = np.geomspace(1.0, 0.99 * 2 * m_mu, 10)
    eps = np.full(masses.size, 2e-3)
    result = recast(curve_of(masses, eps), exp, dark, lmu)
    np.testing.assert_allclose(result.curve.coupling, E * eps, rtol=1e-6)
    back = recast(curve_of(masses, result.curve.coupling), exp, lmu, dark)
    np.testing.assert_allclose(back.curve.coupling, eps, rtol=1e-6)


def test_round_trip(tmp_path: Path) -> None:
    masses = np.geomspace(1.0, 2000.0, 20)
    exp = get_experiment("na64mu-2022")
    a, b = get_model("lmu-ltau"), get_model("lmu-ltau-dm", alpha_d=0.1)
    curve = darkreach_curve(tmp_path, "na64mu-2022", "lmu-ltau", masses)
    there = recast(curve, exp, a, b)
    back = recast(curve_of(masses, there.curve.coupling), exp, b, a)
    np.testing.assert_allclose(back.curve.coupling, curve.coupling, rtol=1e-6)


@pytest.mark.parametrize("target", ["scalar", "lmu-ltau-dm", "pseudoscalar"])
def test_recast_equals_own_reach(tmp_path: Path, target: str) -> None:
    """Independent check: at one card the recast of darkreach's curve is darkreach's reach."""
    masses = np.geomspace(1.0, 1000.0, 25)
    exp = get_experiment("na64mu-2022")
    curve = darkreach_curve(tmp_path, "na64mu-2022", "lmu-ltau", masses)
    result = recast(curve, exp, get_model("lmu-ltau"), get_model(target))
    own = exp.reach(get_model(target), masses)
    assert np.array_equal(np.isfinite(result.curve.coupling), np.isfinite(own.coupling))
    np.testing.assert_allclose(result.curve.coupling, own.coupling, rtol=1e-5)
    if own.coupling_upper is not None:
        assert result.curve.coupling_upper is not None
        np.testing.assert_allclose(result.curve.coupling_upper, own.coupling_upper, rtol=1e-5)


def test_notes_say_when_efficiencies_do_not_cancel(tmp_path: Path) -> None:
    masses = np.geomspace(1.0, 100.0, 5)
    exp = get_experiment("na64mu-2022")
    curve = darkreach_curve(tmp_path, "na64mu-2022", "lmu-ltau", masses)
    spin = recast(curve, exp, get_model("lmu-ltau"), get_model("scalar")).curve.notes
    assert any(n.startswith("WARNING: spins differ") for n in spin)
    same = recast(curve, exp, get_model("lmu-ltau"), get_model("lmu-ltau-dm")).curve.notes
    assert not any(n.startswith("WARNING") for n in same)
    assert any("efficiencies cancel" in n for n in same)
    assert any("closed-form g^p scaling agrees" in n for n in same)


def test_no_common_production_is_an_error() -> None:
    curve = curve_of(np.array([200.0, 250.0]), np.array([1e-6, 1e-6]))
    with pytest.raises(InvalidParameterError, match="no common production"):
        recast(curve, get_experiment("na62-hnl-mu"), get_model("hnl-mu"), get_model("lmu-ltau"))
    with pytest.raises(InvalidParameterError, match="--from = hnl-mu"):
        recast(curve, get_experiment("na64mu-2022"), get_model("hnl-mu"), get_model("lmu-ltau"))


def test_masses_outside_the_card(tmp_path: Path) -> None:
    exp = get_experiment("na62-dimuon-2018")
    lmu = get_model("lmu-ltau")
    curve = curve_of(np.array([100.0, 250.0, 300.0]), np.array([1e-3, 1e-3, 1e-3]))
    result = recast(curve, exp, lmu, get_model("scalar"))
    assert np.isnan(result.curve.coupling[0]) and np.isfinite(result.curve.coupling[1:]).all()
    assert any("outside the card's kinematic range" in n for n in result.curve.notes)
    with pytest.raises(InvalidParameterError, match="kinematic range of card"):
        recast(curve_of(np.array([10.0, 20.0]), np.array([1e-3, 1e-3])), exp, lmu, lmu)
