"""Kaon cards: curve kind follows the card kind; each type's mass range; one grid for all."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from darkreach.experiments.registry import get_experiment, load_card
from darkreach.models.registry import get_model

M_K, M_MU, M_E = 493.677, 105.6583755, 0.51099895  # PDG, MeV

#: card -> (kind, a model, (low, high) by hand [MeV])
CARDS = {
    "na62-2015": ("projection", "lmu-ltau", (0.0, M_K - M_MU)),
    "na62-ultimate": ("projection", "lmu-ltau", (0.0, M_K - M_MU)),
    "na62-2016-2018": ("emulated", "lmu-ltau", (0.0, M_K - M_MU)),
    "na62-dimuon-2018": ("projection", "lmu-ltau", (2 * M_MU, M_K - M_MU)),
    # HNL cards: the published search ranges (kaon_decays.md 7, [T3])
    "na62-hnl-mu": ("emulated", "hnl-mu", (200.0, 384.0)),
    "na62-hnl-e": ("emulated", "hnl-e", (144.0, 462.0)),
}
CURVE_KIND = {"data": "observed", "projection": "expected", "emulated": "emulated"}


@pytest.mark.parametrize("name", sorted(CARDS))
def test_curve_kind_is_the_card_kind(name: str) -> None:
    kind, model, (low, high) = CARDS[name]
    card = load_card(name)
    assert card.kind == kind
    # the title no longer repeats what the kind says
    assert "emulated" not in card.title and "expected" not in card.title
    curve = get_experiment(name).reach(get_model(model), [0.5 * (max(low, 1.0) + high)])
    assert curve.kind == CURVE_KIND[kind]


@pytest.mark.parametrize("name", sorted(CARDS))
def test_mass_range_and_one_grid_for_all_cards(name: str) -> None:
    """mass_range() is the open kinematic / searched interval; masses outside give NaN, not an
    exception (overlays of several cards share one grid)."""
    _, model, (low, high) = CARDS[name]
    exp = get_experiment(name)
    got = exp.mass_range()  # type: ignore[attr-defined]
    assert got == pytest.approx((low, high), abs=2e-3)
    grid = np.sort(
        np.concatenate(
            [np.geomspace(0.5, 3000.0, 60), [low, high, low + 1e-6, high - 1e-6, high + 1e-6]]
        )
    )
    grid = grid[grid > 0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        curve = exp.reach(get_model(model), grid)
    outside = (grid <= got[0]) | (grid >= got[1])
    assert np.all(np.isnan(curve.coupling[outside]))
    assert np.isfinite(curve.coupling[~outside]).sum() >= 5
    # the same call with one mass inside and one beyond the card gives NaN there, no error
    mid = 0.5 * (max(low, 1.0) + high)
    pair = exp.reach(get_model(model), [mid, high + 50.0]).coupling
    assert np.isfinite(pair[0]) and np.isnan(pair[1])
