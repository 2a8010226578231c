"""The sampler's rates are the yield's: emission probability and decay lengths."""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.events.mu_brem import sample_mu_brem
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model


@pytest.mark.parametrize(
    ("card", "model", "mass"), [("na64mu-2022", "lmu-ltau", 20.0), ("m3-phase1", "scalar", 200.0)]
)
def test_emission_probability_is_the_unit_yield(card: str, model: str, mass: float) -> None:
    """sum n L sigma of the sampler = unit_yield / (N_MOT eps): same slices, nodes, x cut."""
    exp = get_experiment(card)
    m = get_model(model)
    sample = sample_mu_brem(exp, m, mass, 10, np.random.default_rng(0))
    unit = float(exp.unit_yield(m.spin, np.array([mass]))[0])
    per_muon = unit / (exp.muons_on_target * float(exp.card.efficiency(np.array([mass]))[0]))
    assert sample.metadata["emission_probability_per_muon"] == pytest.approx(per_muon, rel=1e-9)


def test_decay_distance_is_exponential_with_the_model_decay_length() -> None:
    """Long-lived scalar: distance / (p/m c tau) is Exp(1) (mean 1, and P(> 1) = 1/e)."""
    exp = get_experiment("na64mu-2022")
    model = get_model("scalar")
    g = 1e-5
    sample = sample_mu_brem(exp, model, 250.0, 40_000, np.random.default_rng(4), g)
    c = sample.columns
    x_rows = np.flatnonzero(c["status"] == 2)
    d_rows = x_rows + 1  # first daughter follows X within the event
    p = np.sqrt(c["px"][x_rows] ** 2 + c["py"][x_rows] ** 2 + c["pz"][x_rows] ** 2)
    dist = np.sqrt(sum((c[k][d_rows] - c[k][x_rows]) ** 2 for k in ("x", "y", "z")))
    ratio = dist / np.asarray(model.decay_length(250.0, g, p))
    assert ratio.mean() == pytest.approx(1.0, abs=0.02)
    assert np.mean(ratio > 1.0) == pytest.approx(np.exp(-1.0), abs=0.01)
