"""Milli-charge yields and reach of the missing-momentum type (issue 13 part 2)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hepunits import GeV, cm

from darkreach.constants import N_A
from darkreach.errors import InvalidParameterError
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model
from darkreach.physics.form_factors import LEAD
from darkreach.production import millicharge
from darkreach.reach import compute_reach


def _thin_lead_card(tmp_path: Path) -> Path:
    """One 1 cm Pb layer, no energy loss, constant efficiency 0.1 (from the na64mu-2022 card)."""
    text = card_path("na64mu-2022").read_text()
    old = text[text.index("[efficiency]") : text.index("[statistics]")]
    text = text.replace(
        old,
        '[efficiency]\nconstant = { value = 0.1, source = "test", status = "assumption" }\n\n',
    )
    start, end = text.index("layers = ["), text.index("repeat = ")
    end = text.index("\n", end) + 1
    layer = (
        'layers = [ { material = "Pb", thickness = { value = "1 cm", source = "test", '
        'status = "assumption" } } ]\n'
    )
    text = (text[:start] + layer + text[end:]).replace("energy_loss = true", "energy_loss = false")
    path = tmp_path / "thin.toml"
    path.write_text(text)
    return path


def test_thin_target_pairs_equal_n_l_sigma_q2(tmp_path: Path) -> None:
    """N = MOT eff n_Pb L sigma_pair(x > 0.5) Q^2 (recoil < 80 GeV at 160 GeV), pair escapes.

    Catches a model coupling applied twice (Q^4), a decay probability != 1 for stable chi,
    or the vector cross section used in place of the pair one.
    """
    exp = get_experiment(_thin_lead_card(tmp_path))
    model = get_model("millicharge")
    masses = np.array([1.0, 50.0, 500.0])
    q = 0.01
    n_pb = 11.35 * N_A / 207.2 / cm**3
    sig = millicharge.sigma(160 * GeV, masses, LEAD, x_min=0.5)
    expected = 1.98e10 * 0.1 * n_pb * cm * sig * q**2
    np.testing.assert_allclose(exp.signal_yield(model, masses, q), expected, rtol=2e-3, atol=0)


def test_limit_is_s_up_over_unit_yield_and_below_one() -> None:
    """Background-free CLs: Q = sqrt(ln 10 / N_1); no limit (NaN) where that is >= 1."""
    masses = np.array([10.0, 100.0, 2000.0])
    (curve,) = compute_reach(["na64mu-2022"], "millicharge", masses)
    unit = get_experiment("na64mu-2022").unit_yield("millicharge", masses)
    q = np.sqrt(np.log(10.0) / unit)
    assert q[2] > 1.0 and np.isnan(curve.coupling[2])
    np.testing.assert_allclose(curve.coupling[:2], q[:2], rtol=1e-6, atol=0)
    assert curve.coupling_symbol == "Q/e" and any("Q/e <= 0.1" in n for n in curve.notes)


def test_m3_and_na64mu_cards_give_a_reach() -> None:
    """Every muon card computes a milli-charge reach; phase 2 (1e13 MOT) beats phase 1 by
    sqrt(1000) background-free (catches a yield that does not scale with MOT)."""
    masses = np.array([5.0, 100.0])
    p1, p2 = compute_reach(["m3-phase1", "m3-phase2"], "millicharge", masses)
    np.testing.assert_allclose(p1.coupling / p2.coupling, np.sqrt(1e3), rtol=1e-6, atol=0)


def test_millicharge_rejected_where_unsupported() -> None:
    with pytest.raises(InvalidParameterError, match="model"):
        get_experiment("na64e-2016-2022").reach(get_model("millicharge"), np.array([10.0]))


def test_event_sampling_refuses_a_pair() -> None:
    """The single-X event sampler would silently sample a vector with zero coupling."""
    from darkreach.events.mu_brem import sample_mu_brem

    with pytest.raises(InvalidParameterError, match="single-boson"):
        sample_mu_brem(
            get_experiment("na64mu-2022"),
            get_model("millicharge"),
            10.0,
            10,
            np.random.default_rng(1),
        )
