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


def test_interaction_points_follow_the_layers() -> None:
    """NA64mu (150 x (1.5 mm Pb + 1.5 mm Sc)): Pb emissions lie in Pb layers, the rest in the
    scintillator, in the proportion of n L sigma, spread evenly along the calorimeter."""
    exp = get_experiment("na64mu-2022")
    sample = sample_mu_brem(exp, get_model("lmu-ltau"), 10.0, 50_000, np.random.default_rng(6))
    c = sample.columns
    nuclei = (c["status"] == 4) & (c["pdg"] > 1_000_000_000)
    z = c["z"][nuclei]
    lead = c["pdg"][nuclei] == 1_000_822_070
    phase = np.mod(z, 3.0)
    assert np.all(phase[lead] <= 1.5 + 1e-9) and np.all(phase[~lead] >= 1.5 - 1e-9)
    from darkreach.experiments.materials import get_material

    col_pb = col_all = 0.0  # column densities [mm^-2]
    for material, step, _ in exp.layer_energies:
        for element, density in get_material(material).number_densities():
            col_all += density * step
            col_pb += density * step if element.Z == 82 else 0.0
    meta = sample.metadata
    sigma_pb = meta["cross_section_by_nucleus_pb"]["Z=82,A=207.2"]
    expected = sigma_pb * col_pb / (meta["cross_section_pb"] * col_all)
    assert lead.mean() == pytest.approx(expected, abs=0.005)
    counts = np.histogram(z, np.linspace(0.0, 450.0, 11))[0]
    assert counts.min() > 0.9 * counts.mean()
