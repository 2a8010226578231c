"""Four-momentum conservation per event, masses on shell, decay vertices, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.constants import m_mu
from darkreach.events.kaon import sample_kaon_ib, sample_kaon_signal
from darkreach.events.mu_brem import sample_mu_brem
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model


def _balance(sample) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Per event: sum(incoming) - sum(final state) for px, py, pz, E [MeV]."""
    c = sample.columns
    sign = np.where(c["status"] == 4, 1.0, np.where(c["status"] == 1, -1.0, 0.0))
    return np.stack(
        [np.bincount(c["event"], weights=sign * c[k]) for k in ("px", "py", "pz", "E")], axis=-1
    )


@pytest.fixture(scope="module")
def samples():  # type: ignore[no-untyped-def]
    na64 = get_experiment("na64mu-2022")
    na62 = get_experiment("na62-2016-2018")
    rng = np.random.default_rng
    return {
        "brem-invisible": sample_mu_brem(na64, get_model("lmu-ltau"), 30.0, 20_000, rng(1), 1e-3),
        "brem-visible": sample_mu_brem(na64, get_model("scalar"), 300.0, 20_000, rng(2), 1e-4),
        "kaon-visible": sample_kaon_signal(na62, get_model("scalar"), 250.0, 20_000, rng(3), 1e-3),
        "kaon-ib": sample_kaon_ib(na62, 20_000, rng(4)),
    }


@pytest.mark.parametrize("name", ["brem-invisible", "brem-visible", "kaon-visible", "kaon-ib"])
def test_four_momentum_conserved_per_event(samples, name: str) -> None:  # type: ignore[no-untyped-def]
    sample = samples[name]
    scale = np.max(sample.columns["E"])
    assert np.max(np.abs(_balance(sample))) < 1e-9 * scale


def test_recoil_and_decay_products(samples) -> None:  # type: ignore[no-untyped-def]
    sample = samples["brem-visible"]
    c = sample.columns
    decayed = c["status"] == 2
    assert decayed.sum() == sample.n_events  # S -> mu mu (BR ~ 1) above 2 m_mu
    daughters = c["production_vertex"] == 1
    assert set(np.unique(c["pdg"][daughters])) <= {13, -13, 22}
    m2 = c["E"] ** 2 - c["px"] ** 2 - c["py"] ** 2 - c["pz"] ** 2
    mu = np.abs(c["pdg"]) == 13
    assert np.allclose(np.sqrt(np.clip(m2[mu], 0, None)), m_mu, rtol=1e-4)
    assert np.allclose(np.sqrt(m2[decayed]), 300.0, rtol=1e-6)
    # decay vertex downstream of the production vertex along X's direction, at speed < c
    dz = c["z"][daughters][::2] - c["z"][decayed]
    dt = c["t"][daughters][::2] - c["t"][decayed]
    assert np.all(dz >= 0.0) and np.all(dt >= 0.0)
    assert np.all(dz <= dt * 299.792458 * (1 + 1e-9))
    # interaction points inside the target (150 x 3 mm)
    z = c["z"][c["status"] == 4]
    assert z.min() >= 0.0 and z.max() <= 450.0 + 1e-9
    assert np.unique(c["pdg"][(c["status"] == 4) & (c["pdg"] > 1_000_000_000)]).size >= 2


@pytest.mark.parametrize("weighted", [False, True])
def test_same_seed_same_sample(weighted: bool) -> None:
    na64 = get_experiment("na64mu-2022")
    model = get_model("lmu-ltau")

    def draw(seed: int):  # type: ignore[no-untyped-def]
        return sample_mu_brem(
            na64, model, 10.0, 2000, np.random.default_rng(seed), 1e-3, weighted=weighted
        )

    a, b, c = draw(3), draw(3), draw(4)
    for key in a.columns:
        assert np.array_equal(a.columns[key], b.columns[key])
    assert np.array_equal(a.weights, b.weights)
    assert not np.array_equal(a.columns["pz"], c.columns["pz"])
