"""Detector response of the NA62 kaon searches: resolutions and Gaussian smearing."""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.errors import InvalidParameterError
from darkreach.experiments import detector_response as dr

GeV = 1e3
GeV2 = 1e6


def test_dimuon_resolution_handbook_example() -> None:
    """kaon_decays.md 6: both muons at 30 GeV/c give dp/p = 0.335 %, dm/m = 0.24 %, 0.7 MeV."""
    assert float(dr.relative_momentum_resolution(30 * GeV)) == pytest.approx(0.003354, rel=1e-3)
    sigma = float(dr.dimuon_mass_resolution(300.0))
    assert sigma / 300.0 == pytest.approx(0.00237, rel=1e-2)
    assert sigma == pytest.approx(0.71, abs=0.01)


def test_dimuon_resolution_literal_t1_formula_is_absurd() -> None:
    """Read literally (0.005 x p/GeV) the [T1] formula gives 15 % at 30 GeV/c."""
    literal = float(dr.relative_momentum_resolution(30 * GeV, 0.003, 0.005 / GeV))
    assert literal == pytest.approx(0.15, rel=0.01)


def test_mmiss2_resolution_gtk_versus_nominal_beam() -> None:
    s = np.array([0.0, 0.02, 0.08, 0.14]) * GeV2
    gtk = dr.mmiss2_resolution(s)
    nominal = dr.mmiss2_resolution(
        s, dr.SpectrometerResolution(beam_momentum_resolution=0.01, beam_angle_resolution=1e-4)
    )
    # O(1e-3) GeV^2 at the K_mu2 peak with the GTK, shrinking towards the end point
    assert 5e-4 < gtk[0] / GeV2 < 2e-3
    assert np.all(np.diff(gtk) < 0)
    assert np.all(nominal > 2 * gtk)


def test_mmiss2_resolution_linear_propagation_check() -> None:
    """Only the beam-momentum term: var = (dm2/dp_K sigma_pK)^2, checked by finite differences."""
    res = dr.SpectrometerResolution(
        beam_momentum_resolution=0.01,
        beam_angle_resolution=0.0,
        muon_resolution_constant=0.0,
        muon_resolution_slope=0.0,
        muon_angle_constant=0.0,
        muon_angle_scattering=0.0,
        muon_momentum_range=(0.0, 1e9),
    )
    s = 0.05 * GeV2
    p_mu, e_mu, theta, w = dr._muon_lab_kinematics(np.array(s), res.beam_momentum)
    m_k = 493.677

    def m2(p_k: float) -> np.ndarray:
        e_k = np.hypot(p_k, m_k)
        return m_k**2 + 105.6583755**2 - 2 * (e_k * e_mu - p_k * p_mu * np.cos(theta))

    h = 1.0
    deriv = (m2(res.beam_momentum + h) - m2(res.beam_momentum - h)) / (2 * h)
    expected = np.sqrt(np.sum(w * (deriv * 0.01 * res.beam_momentum) ** 2))
    assert float(dr.mmiss2_resolution(s, res)) == pytest.approx(float(expected), rel=1e-6)
    # the reconstructed m2 at the true momenta reproduces the true m_miss^2
    assert m2(res.beam_momentum) == pytest.approx(s, rel=1e-6)


def test_acceptance_window() -> None:
    full = dr.muon_momentum_acceptance(
        0.05 * GeV2, dr.SpectrometerResolution(muon_momentum_range=(0.0, 1e9))
    )
    assert float(full) == pytest.approx(1.0)
    narrow = dr.muon_momentum_acceptance(0.05 * GeV2)
    assert 0.5 < float(narrow) < 1.0


def test_smearing_conserves_probability_and_moments() -> None:
    edges = np.linspace(-10.0, 10.0, 2001)
    true = np.array([-1.0, 0.5, 2.0])
    sigma = np.array([0.3, 1.0, 0.5])
    matrix = dr.gaussian_bin_matrix(true, sigma, edges)
    centres = 0.5 * (edges[1:] + edges[:-1])
    assert matrix.sum(axis=1) == pytest.approx(1.0, abs=1e-12)
    mean = matrix @ centres
    var = matrix @ centres**2 - mean**2
    assert mean == pytest.approx(true, abs=1e-9)
    assert var == pytest.approx(sigma**2 + (edges[1] - edges[0]) ** 2 / 12, rel=1e-6)
    # a spectrum smeared by the matrix keeps its normalisation
    weights = np.array([[1.0, 2.0, 3.0]])
    assert float(dr.smear(weights, matrix).sum()) == pytest.approx(6.0, rel=1e-12)


def test_survival_matrix() -> None:
    cuts = np.array([-1.0, 0.0, 1.0])
    surv = dr.gaussian_survival_matrix(np.array([0.0]), np.array([1.0]), cuts)
    assert surv[0] == pytest.approx([0.8413447, 0.5, 0.1586553], rel=1e-6)


def test_bad_resolution_parameters() -> None:
    with pytest.raises(InvalidParameterError, match="beam_momentum_resolution"):
        dr.SpectrometerResolution(beam_momentum_resolution=-0.1)
    with pytest.raises(InvalidParameterError, match="muon_momentum_range"):
        dr.SpectrometerResolution(muon_momentum_range=(50 * GeV, 10 * GeV))
