"""Calibrated NA64mu cards reproduce NA64's own curves (issue 8, part 1).

Published numbers quoted here (a regression target, not shipped data): NA64 Collaboration,
90 % CL limit on the mixing eps of an invisibly decaying dark photon from the full 2022 muon
run, 1.98e10 MOT (PRL 132 (2024) 211803; PRD 110 (2024) 112015, arXiv:2409.10128), as
supplied by NA64 to the ESPP-2026 physics preparatory group and read at 17 masses in the
darkreach handbook published_limits.md section 1.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.constants import e_charge
from darkreach.errors import BadCardError
from darkreach.experiments.registry import card_path, get_experiment, load_card
from darkreach.models.registry import get_model
from darkreach.reach import compute_reach

#: (m [MeV], eps_90) of NA64's 2022 curve, published_limits.md section 1 (citation above)
NA64_2022 = np.array(
    [
        (1, 1.730e-03),
        (2, 1.739e-03),
        (5, 1.747e-03),
        (10, 1.742e-03),
        (20, 1.748e-03),
        (30, 1.742e-03),
        (50, 1.729e-03),
        (70, 1.749e-03),
        (100, 1.839e-03),
        (150, 2.101e-03),
        (200, 2.450e-03),
        (250, 2.857e-03),
        (300, 3.308e-03),
        (400, 4.318e-03),
        (500, 5.460e-03),
        (700, 8.195e-03),
        (1000, 1.390e-02),
    ]
)
MASSES, EPS = NA64_2022[:, 0], NA64_2022[:, 1]


def test_dark_photon_dm_reproduces_the_17_published_points() -> None:
    (curve,) = compute_reach(["na64mu-2022"], "dark-photon-dm", MASSES)
    assert curve.model == "dark-photon-dm" and curve.coupling_symbol == "epsilon"
    np.testing.assert_allclose(curve.coupling, EPS, rtol=0.05)  # the acceptance criterion
    np.testing.assert_allclose(curve.coupling, EPS, rtol=1e-3)  # calibrated: exact at nodes


def test_lmu_ltau_dm_reproduces_the_published_points_in_g_over_e() -> None:
    """Same production (vector coupling to the muon, e eps vs g) and BR_inv ~ 1."""
    (curve,) = compute_reach(["na64mu-2022"], "lmu-ltau-dm", MASSES)
    np.testing.assert_allclose(curve.coupling / e_charge, EPS, rtol=0.05)
    np.testing.assert_allclose(curve.coupling / e_charge, EPS, rtol=1e-3)


def test_lmu_ltau_dm_is_invisible_at_the_limit() -> None:
    """Z' -> mu mu above 2 m_mu does not spoil the DM variant: BR_vis < 1e-4 at the limit."""
    model = get_model("lmu-ltau-dm")
    br_inv = model.invisible_fraction(MASSES, e_charge * EPS)
    assert np.all(1.0 - br_inv < 1e-4)


def test_between_the_nodes_within_two_percent_of_the_interpolated_curve() -> None:
    grid = np.geomspace(1.0, 1000.0, 120)
    reference = np.exp(np.interp(np.log(grid), np.log(MASSES), np.log(EPS)))
    (curve,) = compute_reach(["na64mu-2022"], "dark-photon-dm", grid)
    np.testing.assert_allclose(curve.coupling, reference, rtol=0.02)


def test_calibrated_efficiency_is_mass_dependent_as_the_handbook_says() -> None:
    """~0.051 at 1-15 MeV rising to ~0.094 at 200-470 MeV and 0.079 at 1 GeV (section 1)."""
    card = load_card("na64mu-2022")
    table = card.efficiency.table
    assert table is not None and table.status == "calibrated"
    assert "NA64" in table.source and "2409.10128" in table.source
    eff = card.efficiency
    low = eff(np.geomspace(1.0, 15.0, 10))
    high = eff(np.geomspace(200.0, 470.0, 10))
    assert np.all(np.abs(low / 0.051 - 1) < 0.03)
    assert np.all(np.abs(high / 0.093 - 1) < 0.03)
    assert float(eff(np.array([1000.0]))[0]) == pytest.approx(0.079, rel=0.02)
    assert high.mean() / low.mean() > 1.7


def test_no_constant_efficiency_reproduces_the_curve() -> None:
    """The best constant (geometric mean) misses the curve by > 20 % in signal somewhere."""
    eff = load_card("na64mu-2022").efficiency(MASSES)
    best = np.exp(np.mean(np.log(eff)))
    assert np.max(np.abs(np.log(eff / best))) > np.log(1.2)


@pytest.mark.parametrize(("card", "mot"), [("na64mu-2023", 3e11), ("na64mu-run4", 2e13)])
@pytest.mark.parametrize("model", ["dark-photon-dm", "lmu-ltau-dm", "lmu-ltau"])
def test_projection_is_na64s_own_scaling(card: str, mot: float, model: str) -> None:
    """NA64's ESPP-2026 projections: eps_N = eps_2022 x 1/2 x sqrt(1.98e10/N) at every mass."""
    masses = np.array([1.0, 30.0, 150.0, 300.0, 1000.0])
    data, projection = compute_reach(["na64mu-2022", card], model, masses)
    assert projection.kind == "expected"
    np.testing.assert_allclose(
        projection.coupling / data.coupling, 0.5 * np.sqrt(1.98e10 / mot), rtol=0.02
    )


@pytest.mark.parametrize("name", ["na64mu-2023", "na64mu-run4"])
def test_projection_cards_state_the_collaborations_assumptions(name: str) -> None:
    card = load_card(name)
    assert card.statistics.background.number() == 0.0
    assert card.efficiency.scale is not None
    assert card.efficiency.scale.number() == 4.0
    assert card.efficiency.scale.status == "calibrated"
    assert "ESPP" in card.efficiency.scale.source
    # the mass shape is the 2022 calibration
    masses = np.geomspace(1.0, 3000.0, 17)
    np.testing.assert_allclose(
        card.efficiency(masses), 4.0 * load_card("na64mu-2022").efficiency(masses), rtol=1e-12
    )


@pytest.mark.parametrize(("name", "mot"), [("na64mu-2023", 3e11), ("na64mu-run4", 2e13)])
def test_background_scaled_variants_keep_the_2022_rates(name: str, mot: float) -> None:
    data = load_card("na64mu-2022")
    variant = load_card(f"{name}-bkg-scaled")
    assert variant.beam.on_target.number() == mot
    per_mot_2022 = data.statistics.background.number() / 1.98e10
    assert variant.statistics.background.number() / mot == pytest.approx(per_mot_2022, rel=0.01)
    masses = np.geomspace(1.0, 3000.0, 9)
    np.testing.assert_allclose(variant.efficiency(masses), data.efficiency(masses), rtol=1e-12)
    # with 1-70 background events the conservative variant is weaker than NA64's projection
    own, scaled = compute_reach([name, f"{name}-bkg-scaled"], "lmu-ltau", masses[:3])
    assert np.all(scaled.coupling > 2.0 * own.coupling)


def test_efficiency_scale_cannot_push_efficiency_above_one(tmp_path: Path) -> None:
    text = (
        card_path("na64mu-run4")
        .read_text()
        .replace("scale = { value = 4.0", "scale = { value = 40.0")
    )
    path = tmp_path / "too-much.toml"
    path.write_text(text)
    with pytest.raises(BadCardError) as info:
        get_experiment(path)
    assert "\n" not in str(info.value) and "scale" in str(info.value)


def test_calibrated_status_is_accepted_on_any_sourced_number(tmp_path: Path) -> None:
    text = card_path("na64mu-2022").read_text()
    old = 'lab decay length of metres", status = "assumption" }'
    assert old in text
    path = tmp_path / "cal.toml"
    path.write_text(text.replace(old, 'lab decay length of metres", status = "calibrated" }'))
    card = load_card(path)
    assert card.target.downstream_length.status == "calibrated"
    assert not card.target.downstream_length.is_verified
