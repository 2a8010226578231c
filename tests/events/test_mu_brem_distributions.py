"""mu N -> mu N X samples against the production module's differential cross sections.

The expected distributions are computed here independently of the sampler's tables: the x CDF
from the integrated cross section ``sigma(x > x')`` (the production module's own quadrature),
the X-angle and recoil-muon-angle spectra by a separate Gauss-Legendre integration of
``dsigma_dx_dtheta`` / ``dsigma_dx_dpsi`` over x. Thresholds: KS and chi^2 p-values > 1e-3 at
fixed seeds (a correct sampler fails one such test in 1000 seeds).

Planted bugs (each made every test below that guards it fail, then undone):
- x sampled as 1 - x (``x[sel] = 1.0 - xg`` in ``sample_mu_brem``): the x KS tests, the psi
  tests and the weighted-spectrum test fail (5 failures; p = 0), the theta tests pass
  (theta is drawn before x is stored);
- X angle scaled by 2 (``theta[sel] = 2.0 * _theta_of_v(...)``): the theta and psi chi^2
  tests fail for both models (4 failures, p = 0).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from darkreach.constants import m_mu
from darkreach.events.mu_brem import sample_mu_brem
from darkreach.models.registry import get_model
from darkreach.physics.form_factors import Nucleus
from darkreach.production.muon_brem import dsigma_dx_dpsi, dsigma_dx_dtheta, sigma
from darkreach.quadrature import gauss_legendre

E0 = 160_000.0
PB = Nucleus(82, 207.2)
P_MIN = 1e-3
N = 200_000


def _particles(sample, pdg_abs, status=1):  # type: ignore[no-untyped-def]
    c = sample.columns
    sel = (np.abs(c["pdg"]) == pdg_abs) & (c["status"] == status)
    return np.stack([c[k][sel] for k in ("px", "py", "pz", "E")], axis=-1)


def _x_theta(sample):  # type: ignore[no-untyped-def]
    c = sample.columns
    sel = (c["pdg"] == 32) | (c["pdg"] == 35)
    p = np.stack([c[k][sel] for k in ("px", "py", "pz", "E")], axis=-1)
    x = p[:, 3] / E0
    theta = np.arctan2(np.hypot(p[:, 0], p[:, 1]), p[:, 2])
    return x, theta


@pytest.fixture(scope="module", params=[("lmu-ltau", "vector", 10.0), ("scalar", "scalar", 100.0)])
def case(request, thin_experiment):  # type: ignore[no-untyped-def]
    model, spin, mass = request.param
    sample = sample_mu_brem(thin_experiment, get_model(model), mass, N, np.random.default_rng(11))
    return sample, spin, mass


def _x_nodes(n_panels: int = 8, order: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Nodes/weights in x over (0.5, 1 - m_mu/E0), Gauss-Legendre in w = -ln(1 - x)."""
    w0, w1 = np.log(2.0), -np.log(m_mu / E0)
    edges = np.linspace(w0, w1, n_panels + 1)
    ws, wts = [], []
    for a, b in itertools.pairwise(edges):
        w, wt = gauss_legendre(order, a, b)
        ws.append(w)
        wts.append(wt)
    w = np.concatenate(ws)
    x = 1.0 - np.exp(-w)
    return x, np.concatenate(wts) * np.exp(-w)  # dx = e^-w dw


def _binned_expectation(func, edges, mass, spin):  # type: ignore[no-untyped-def]
    """Integral of func(x, angle) over x and over each angle bin (GL in ln angle)."""
    x, wx = _x_nodes()
    out = np.zeros(edges.size - 1)
    for i, (a, b) in enumerate(itertools.pairwise(edges)):
        lo = max(a, 1e-12)
        s, ws = gauss_legendre(12, np.log(lo), np.log(b))
        ang = np.exp(s)
        vals = func(x[:, None], ang[None, :], E0, mass, PB, spin)
        out[i] = np.sum(wx[:, None] * vals * (ws * ang)[None, :])
    return out


def _chi2_pvalue(counts: np.ndarray, expected_shape: np.ndarray) -> float:
    expected = expected_shape / expected_shape.sum() * counts.sum()
    keep = expected > 5.0
    chi2 = np.sum((counts[keep] - expected[keep]) ** 2 / expected[keep])
    return float(stats.chi2.sf(chi2, keep.sum() - 1))


def test_x_distribution_ks(case) -> None:  # type: ignore[no-untyped-def]
    sample, spin, mass = case
    x, _ = _x_theta(sample)
    x_max = 1.0 - m_mu / E0
    grid = np.concatenate([[0.5], 1.0 - np.geomspace(0.5, 1.0 - x_max, 600)[1:]])
    above = np.asarray(sigma(E0, mass, PB, spin, x_min=grid))
    cdf = 1.0 - above / above[0]
    result = stats.kstest(x, lambda q: np.interp(q, grid, cdf))
    assert result.pvalue > P_MIN, result


def test_theta_distribution_chi2(case) -> None:  # type: ignore[no-untyped-def]
    sample, spin, mass = case
    _, theta = _x_theta(sample)
    edges = np.concatenate([[0.0], np.geomspace(1e-6, 0.3, 41)])
    expected = _binned_expectation(dsigma_dx_dtheta, edges, mass, spin)
    counts = np.histogram(theta, edges)[0]
    assert counts.sum() == theta.size  # nothing beyond theta_max
    assert _chi2_pvalue(counts, expected) > P_MIN


def test_recoil_muon_angle_chi2(case) -> None:  # type: ignore[no-untyped-def]
    """The recoil-muon angle psi against d sigma/(dx dpsi) (handbook section 6 map)."""
    sample, spin, mass = case
    mu = _particles(sample, 13)
    psi = np.arctan2(np.hypot(mu[:, 0], mu[:, 1]), mu[:, 2])
    edges = np.concatenate([[0.0], np.geomspace(1e-6, 3.0, 41)])
    expected = _binned_expectation(dsigma_dx_dpsi, edges, mass, spin)
    counts = np.histogram(psi, edges)[0]
    assert _chi2_pvalue(counts, expected) > P_MIN


def test_azimuths_back_to_back(case) -> None:  # type: ignore[no-untyped-def]
    sample, _, _ = case
    c = sample.columns
    xsel = (c["pdg"] == 32) | (c["pdg"] == 35)
    mu = _particles(sample, 13)
    phi_x = np.arctan2(c["py"][xsel], c["px"][xsel])
    phi_mu = np.arctan2(mu[:, 1], mu[:, 0])
    assert stats.kstest((phi_x + np.pi) / (2 * np.pi), "uniform").pvalue > P_MIN
    delta = np.angle(np.exp(1j * (phi_mu - phi_x)))
    assert np.allclose(np.abs(delta), np.pi, atol=1e-6)


def test_weighted_sample_reproduces_x_spectrum(thin_experiment) -> None:  # type: ignore[no-untyped-def]
    """Weighted events (flat in the sampling variable): weighted x histogram = d sigma/dx."""
    sample = sample_mu_brem(
        thin_experiment, get_model("lmu-ltau"), 10.0, N, np.random.default_rng(5), weighted=True
    )
    x, _ = _x_theta(sample)
    w = sample.weights
    sig = float(sigma(E0, 10.0, PB, "vector", x_min=0.5))
    edges = np.array([0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0 - m_mu / E0])
    above = np.asarray(sigma(E0, 10.0, PB, "vector", x_min=edges[:-1]))
    expected = (above - np.append(above[1:], 0.0)) / sig
    got = np.histogram(x, edges, weights=w)[0] / w.sum()
    assert np.allclose(got, expected, rtol=0.03, atol=2e-3)
    assert w.mean() == pytest.approx(sample.metadata["cross_section_pb"], rel=0.02)
    assert np.std(w) > 0.0
