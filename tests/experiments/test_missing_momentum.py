"""The missing-momentum experiment type: yields and reach against hand calculations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hepunits import GeV, MeV, cm

from darkreach.constants import N_A
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model
from darkreach.physics.form_factors import LEAD, Nucleus
from darkreach.production.muon_brem import sigma
from darkreach.reach import compute_reach, default_masses


def _card(tmp_path: Path, replacements: dict[str, str], base: str = "na64mu-2022") -> Path:
    text = card_path(base).read_text()
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "variant.toml"
    path.write_text(text)
    return path


CONSTANT_EFFICIENCY = (
    "[efficiency]\n"
    'constant = { value = 0.1, source = "test: a constant efficiency", status = "assumption" }\n\n'
)


def _with_constant_efficiency(text: str) -> str:
    """The card text with its (calibrated) efficiency replaced by the constant 0.1."""
    old = text[text.index("[efficiency]") : text.index("[statistics]")]
    return text.replace(old, CONSTANT_EFFICIENCY)


def _constant_card(tmp_path: Path, base: str = "na64mu-2022") -> Path:
    path = tmp_path / f"{base}-constant.toml"
    path.write_text(_with_constant_efficiency(card_path(base).read_text()))
    return path


def _thin_lead_card(tmp_path: Path, energy_loss: bool) -> Path:
    """One 1 cm Pb layer (the shashlik layers removed), optionally without energy loss;
    efficiency 0.1."""
    text = _with_constant_efficiency(card_path("na64mu-2022").read_text())
    start = text.index("layers = [")
    end = text.index("repeat = ")
    end = text.index("\n", end) + 1
    layer = (
        'layers = [ { material = "Pb", thickness = { value = "1 cm", source = "test", '
        'status = "assumption" } } ]\n'
    )
    text = text[:start] + layer + text[end:]
    if not energy_loss:
        text = text.replace("energy_loss = true", "energy_loss = false")
    path = tmp_path / f"thin-{energy_loss}.toml"
    path.write_text(text)
    return path


def test_thin_target_yield_equals_n_l_sigma(tmp_path: Path) -> None:
    """N = MOT * eff * n_Pb * L * sigma(x > 0.5) * g^2 for a thin target without energy loss."""
    exp = get_experiment(_thin_lead_card(tmp_path, energy_loss=False))
    model = get_model("lmu-ltau")
    masses = np.array([1.0, 10.0, 100.0]) * MeV
    g = 1e-3
    n_pb = 11.35 * N_A / 207.2 / cm**3
    expected = np.array(
        [
            1.98e10
            * 0.1
            * n_pb
            * 1
            * cm
            * float(sigma(160 * GeV, m, LEAD, "vector", x_min=0.5))
            * g**2
            for m in masses
        ]
    )
    got = exp.signal_yield(model, masses, g)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_yield_scales_as_g_squared_below_dimuon_threshold() -> None:
    exp = get_experiment("na64mu-2022")
    model = get_model("lmu-ltau")
    masses = np.array([5.0, 50.0, 150.0])
    ratio = exp.signal_yield(model, masses, 3e-4) / exp.signal_yield(model, masses, 1e-4)
    np.testing.assert_allclose(ratio, 9.0, rtol=1e-12)


def test_invisible_fraction_halves_the_yield_above_dimuon_threshold() -> None:
    exp = get_experiment("na64mu-2022")
    model = get_model("lmu-ltau")
    masses = np.array([1000.0, 2000.0])
    unit = exp.unit_yield("vector", masses)
    got = exp.signal_yield(model, masses, 1e-3) / (1e-6 * unit)
    # BR_inv -> 1/2 well above 2 m_mu (MOD-3: 0.5002 at 1 GeV); Z' -> mu mu decays promptly
    np.testing.assert_allclose(got, [0.5002, 0.5000], atol=2e-4)


def test_energy_loss_changes_na64mu_yield_by_less_than_one_percent(tmp_path: Path) -> None:
    with_loss = get_experiment("na64mu-2022")
    no_loss = get_experiment(_card(tmp_path, {"energy_loss = true": "energy_loss = false"}))
    masses = np.array([10.0, 100.0, 1000.0])
    ratio = with_loss.unit_yield("vector", masses) / no_loss.unit_yield("vector", masses)
    # ~1.1 GeV lost in 22.5 cm of Pb: sigma falls (~0.15 %/GeV) but the absolute cut
    # p' < 80 GeV means x_cut = 1 - 80/E drops below 0.5, which wins at low mass
    assert np.all(np.abs(ratio - 1.0) < 0.01)
    assert ratio[0] > 1.0


def test_energy_loss_lowers_m3_yield_by_a_few_percent(tmp_path: Path) -> None:
    with_loss = get_experiment("m3-phase1")
    no_loss = get_experiment(
        _card(tmp_path, {"energy_loss = true": "energy_loss = false"}, base="m3-phase1")
    )
    masses = np.array([10.0, 100.0])
    ratio = with_loss.unit_yield("vector", masses) / no_loss.unit_yield("vector", masses)
    # W at 15 GeV loses ~4 % over 17.5 cm; sigma(x > 0.5) falls ~1.5-2 % per 0.5 GeV
    assert np.all((ratio > 0.95) & (ratio < 0.995))


def test_recoil_energy_cut_equals_x_cut_without_energy_loss(tmp_path: Path) -> None:
    by_energy = get_experiment(_card(tmp_path, {"energy_loss = true": "energy_loss = false"}))
    text = _card(tmp_path, {"energy_loss = true": "energy_loss = false"}).read_text()
    text = text.replace('recoil_energy_max = { value = "80 GeV"', "x_min = { value = 0.5")
    path = tmp_path / "xcut.toml"
    path.write_text(text)
    by_x = get_experiment(path)
    masses = default_masses(7)
    np.testing.assert_allclose(
        by_energy.unit_yield("vector", masses), by_x.unit_yield("vector", masses), rtol=1e-12
    )


def test_na64mu_2022_limit_is_s_up_over_unit_yield() -> None:
    (curve,) = compute_reach(["na64mu-2022"], "lmu-ltau", np.array([10.0]))
    exp = get_experiment("na64mu-2022")
    unit = exp.unit_yield("vector", np.array([10.0]))
    # n = 0 with CLs: s_up = ln 10 for any background (ST-2)
    assert curve.coupling[0] == pytest.approx(np.sqrt(np.log(10.0) / unit[0]), rel=1e-8)
    assert curve.kind == "observed" and curve.method == "cls" and curve.cl == 0.9


def test_m3_phase_ratio_is_sqrt_1000_background_free() -> None:
    """PUB-2: background-free phases 1 and 2 differ by sqrt(1e3) in g."""
    p1, p2 = compute_reach(["m3-phase1", "m3-phase2"], "lmu-ltau", default_masses(12))
    np.testing.assert_allclose(p1.coupling / p2.coupling, np.sqrt(1e3), rtol=1e-9)


def test_limit_shape_flat_at_low_mass_rising_above(tmp_path: Path) -> None:
    """PUB-1 shape of the production: flat below ~20 MeV, rising steeply towards GeV masses.

    With a constant efficiency (the calibrated one follows NA64's curve, which dips by 1 %
    near 50 MeV)."""
    (curve,) = compute_reach([_constant_card(tmp_path)], "lmu-ltau", default_masses(60))
    g = curve.coupling
    low = curve.masses < 20
    assert np.ptp(np.log(g[low])) < 0.03
    assert g[-1] > 30 * g[0]
    assert np.all(np.diff(g[curve.masses > 20]) > 0)


def test_projection_has_expected_bands() -> None:
    (curve,) = compute_reach(["na64mu-run4-bkg-scaled"], "lmu-ltau", default_masses(5))
    assert curve.kind == "expected"
    b = curve.bands
    assert np.all(b["minus2"] <= b["minus1"]) and np.all(b["minus1"] <= curve.coupling)
    assert np.all(curve.coupling <= b["plus1"]) and np.all(b["plus1"] <= b["plus2"])
    assert np.all(b["plus2"] > b["minus2"])  # 70 background events: bands are not degenerate


def test_dark_matter_variant_matches_vanilla_where_both_invisible() -> None:
    masses = np.array([3.0, 30.0, 150.0])
    (vanilla,) = compute_reach(["na64mu-2022"], "lmu-ltau", masses)
    (dm,) = compute_reach(["na64mu-2022"], "lmu-ltau-dm", masses)
    # below 2 m_mu both decay only invisibly: identical limits
    np.testing.assert_allclose(dm.coupling, vanilla.coupling, rtol=1e-9)
    heavy = np.array([1000.0])
    (vanilla_h,) = compute_reach(["na64mu-2022"], "lmu-ltau", heavy)
    (dm_h,) = compute_reach(["na64mu-2022"], "lmu-ltau-dm", heavy)
    # with alpha_D = 0.5 >> g^2/4pi the DM variant is fully invisible: sqrt(1/BR_inv) better
    assert vanilla_h.coupling[0] / dm_h.coupling[0] == pytest.approx(np.sqrt(1 / 0.5002), rel=1e-3)


def test_scalar_without_dark_decays_has_no_reach_above_dimuon_threshold() -> None:
    masses = np.array([10.0, 400.0])
    (curve,) = compute_reach(["na64mu-2022"], "scalar", masses)
    assert np.isfinite(curve.coupling[0]) and np.isnan(curve.coupling[1])
    assert curve.coupling_upper is not None and curve.coupling_upper[0] > 1e-2
    (invisible,) = compute_reach(
        ["na64mu-2022"], "scalar", masses, model_options={"dark_coupling": 1.0}
    )
    assert np.all(np.isfinite(invisible.coupling))


def test_bad_masses_and_models() -> None:
    exp = get_experiment("na64mu-2022")
    model = get_model("lmu-ltau")
    with pytest.raises(InvalidParameterError, match="mass"):
        exp.reach(model, np.array([-1.0, 10.0]))
    # a direct yield call beyond the kinematic edge still raises; reach gives NaN (task 4)
    with pytest.raises(KinematicallyForbiddenError, match="E0 - m_mu"):
        exp.signal_yield(model, np.array([10.0, 200 * GeV]), 1e-3)
    with pytest.raises(InvalidParameterError, match="coupling"):
        exp.signal_yield(model, np.array([10.0]), -1.0)
    with pytest.raises(InvalidParameterError, match="model"):
        exp.reach(get_model("b-l"), np.array([10.0]))
    with pytest.raises(InvalidParameterError, match="method"):
        compute_reach(["na64mu-2022"], "lmu-ltau", np.array([10.0]), method="bayes")


def test_nucleus_species_of_the_shashlik() -> None:
    """Lead dominates: the scintillator (C, H) adds well under 5 %."""
    exp = get_experiment("na64mu-2022")
    assert Nucleus(82, 207.2) == LEAD
    full = exp.unit_yield("vector", np.array([10.0]))[0]
    pb_only = (
        1.98e10
        * float(exp.card.efficiency(np.array([10.0]))[0])  # type: ignore[attr-defined]
        * 150
        * 0.15
        * cm
        * 11.35
        * N_A
        / 207.2
        / cm**3
        * float(sigma(159.5 * GeV, 10 * MeV, LEAD, "vector", x_min=1 - 80 / 159.5))
    )
    assert 1.0 < full / pb_only < 1.05


def test_efficiency_table_interpolates_in_log_mass(tmp_path: Path) -> None:
    text = card_path("na64mu-2022").read_text()
    old = text[text.index("[efficiency]") : text.index("[statistics]")]
    new = (
        "[efficiency]\n"
        'table = { masses = ["1 MeV", "100 MeV", "1 GeV"], values = [0.2, 0.1, 0.05], '
        'source = "test", status = "assumption" }\n\n'
    )
    path = tmp_path / "table.toml"
    path.write_text(text.replace(old, new))
    tabulated = get_experiment(path)
    constant = get_experiment(_constant_card(tmp_path))  # efficiency 0.1
    masses = np.array([1.0, 10.0, 100.0, 1000.0, 2000.0])
    ratio = tabulated.unit_yield("vector", masses) / constant.unit_yield("vector", masses)
    # log-linear: 10 MeV is half-way between 1 and 100 MeV; flat beyond the last point
    np.testing.assert_allclose(ratio, [2.0, 1.5, 1.0, 0.5, 0.5], rtol=1e-12)


def test_mass_range_is_the_kinematic_range() -> None:
    """E0 - m_mu (m_mu = 105.658 MeV) at the top, 1 MeV at the bottom (task: default grids)."""
    low, high = get_experiment("na64mu-2022").mass_range()  # type: ignore[attr-defined]
    assert low == 1.0 * MeV
    assert high == pytest.approx(160e3 - 105.6584, abs=1e-3)
    _, high3 = get_experiment("m3-phase1").mass_range()  # type: ignore[attr-defined]
    assert high3 == pytest.approx(15e3 - 105.6584, abs=1e-3)


def test_reach_beyond_kinematic_edge_is_nan_so_cards_share_a_grid() -> None:
    """15 GeV (M^3) and 160 GeV (NA64mu) cards on one grid up to 50 GeV: no exception,
    NaN for M^3 above 15 GeV - m_mu, the same numbers as a grid stopping below the edge."""
    masses = np.array([10.0, 1000.0, 14.8e3, 20e3, 50e3])
    m3, na64 = compute_reach(["m3-phase1", "na64mu-2022"], "lmu-ltau", masses)
    assert np.all(np.isnan(m3.coupling[3:])) and np.all(np.isfinite(m3.coupling[:2]))
    assert np.all(np.isfinite(na64.coupling[:2]))
    (m3_low,) = compute_reach(["m3-phase1"], "lmu-ltau", masses[:2])
    np.testing.assert_allclose(m3.coupling[:2], m3_low.coupling, rtol=1e-12)
