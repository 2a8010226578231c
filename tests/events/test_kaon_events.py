"""K+ -> mu+ nu X and IB K+ -> mu+ nu gamma samples against the production module.

m_miss^2 = (P_K - p_mu)^2 is recomputed from the *lab-frame* four-vectors (so the boost and
the rest-frame construction are tested too) and compared with dBR/dm_miss^2 by a KS test
(threshold p > 1e-3, fixed seeds). The expected CDF is a trapezoid integral of the production
module's closed-form t-integrated density (:func:`dbr_dm2miss`, :func:`ib_dbr_dm2miss`) on a
grid independent of the sampler's. Planted bug: m_miss^2 sampled as s_max + m_X^2 - s (mirror)
-> both signal KS tests fail (p = 0).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from darkreach.events.kaon import sample_kaon_ib, sample_kaon_signal
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import ib_branching_ratio, ib_dbr_dm2miss
from darkreach.units import GeV

P_MIN = 1e-3
N = 100_000


@pytest.fixture(scope="module")
def na62():  # type: ignore[no-untyped-def]
    return get_experiment("na62-2016-2018")


def _vectors(sample, mask):  # type: ignore[no-untyped-def]
    c = sample.columns
    return np.stack([c[k][mask] for k in ("px", "py", "pz", "E")], axis=-1)


def _m2miss(sample) -> np.ndarray:  # type: ignore[no-untyped-def]
    c = sample.columns
    k = _vectors(sample, c["pdg"] == 321)
    mu = _vectors(sample, (c["pdg"] == -13) & (c["production_vertex"] == 0))
    d = k - mu
    return np.asarray(d[:, 3] ** 2 - np.sum(d[:, :3] ** 2, axis=-1))


def _cdf(density, lo: float, hi: float):  # type: ignore[no-untyped-def]
    grid = np.unique(np.concatenate([np.geomspace(lo, hi, 5000), np.linspace(lo, hi, 5000)]))
    dens = density(grid)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(grid))])
    return lambda q: np.interp(q, grid, cdf / cdf[-1])


@pytest.mark.parametrize(
    ("model", "shape", "mass"), [("lmu-ltau", "vector", 20.0), ("scalar", "scalar", 150.0)]
)
def test_signal_m2miss_ks(na62, model: str, shape: str, mass: float) -> None:  # type: ignore[no-untyped-def]
    sample = sample_kaon_signal(na62, get_model(model), mass, N, np.random.default_rng(7))
    s = _m2miss(sample)
    cdf = _cdf(lambda q: kaon.dbr_dm2miss(shape, q, mass), mass * mass, kaon.m2miss_max())
    assert stats.kstest(s, cdf).pvalue > P_MIN
    assert sample.metadata["branching_ratio"] == pytest.approx(
        float(kaon.branching_ratio(shape, mass)), rel=1e-12
    )
    # the beam: kaon momentum from the card (75 GeV/c along z)
    k = _vectors(sample, sample.columns["pdg"] == 321)
    assert np.allclose(k[:, 2], 75.0 * GeV) and np.allclose(k[:, :2], 0.0)


def test_ib_m2miss_ks(na62) -> None:  # type: ignore[no-untyped-def]
    lo = 0.01 * GeV**2
    sample = sample_kaon_ib(na62, N, np.random.default_rng(8), m2miss_min=lo)
    s = _m2miss(sample)
    assert stats.kstest(s, _cdf(ib_dbr_dm2miss, lo, kaon.m2miss_max())).pvalue > P_MIN
    assert sample.metadata["branching_ratio"] == pytest.approx(float(ib_branching_ratio(lo)))
    gamma = _vectors(sample, sample.columns["pdg"] == 22)
    assert np.allclose(gamma[:, 3] ** 2 - np.sum(gamma[:, :3] ** 2, axis=-1), 0.0, atol=1e-3)


def test_ib_default_lower_end_is_the_card_cut(na62) -> None:  # type: ignore[no-untyped-def]
    sample = sample_kaon_ib(na62, 100, np.random.default_rng(1))
    assert sample.metadata["m2miss_min_GeV2"] == pytest.approx(na62.cuts[0] / GeV**2)
    assert _m2miss(sample).min() >= na62.cuts[0] * (1 - 1e-9)


def test_weighted_signal_reproduces_spectrum(na62) -> None:  # type: ignore[no-untyped-def]
    """Weighted (flat in m_miss^2): weighted histogram = dBR/dm_miss^2 integrated per bin."""
    mass = 50.0
    sample = sample_kaon_signal(
        na62, get_model("lmu-ltau"), mass, N, np.random.default_rng(9), weighted=True
    )
    s = _m2miss(sample)
    w = sample.weights
    edges = np.linspace(mass * mass, kaon.m2miss_max(), 9)
    cdf = _cdf(lambda q: kaon.dbr_dm2miss("vector", q, mass), mass * mass, kaon.m2miss_max())
    expected = np.diff(cdf(edges))
    got = np.histogram(s, edges, weights=w)[0] / w.sum()
    assert np.allclose(got, expected, rtol=0.03, atol=2e-3)
    assert w.mean() == pytest.approx(sample.metadata["branching_ratio"], rel=0.02)
