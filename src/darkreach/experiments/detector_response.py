"""NA62 detector response for the kaon-decay searches: resolutions and Gaussian smearing.

* m_miss^2 = (P_K - P_mu)^2 = m_K^2 + m_mu^2 - 2 (E_K E_mu - p_K p_mu cos theta) is measured
  from the beam kaon (GigaTracker, GTK; without it the nominal beam momentum and direction)
  and the muon (STRAW spectrometer). Its resolution follows from linear error propagation in
  p_K, p_mu and the opening angle theta, plus the second-order term of the angle (the
  first-order term vanishes at theta = 0):

      var(m2) = (dm2/dp_K sigma_pK)^2 + (dm2/dp_mu sigma_pmu)^2
                + 4 (p_K p_mu)^2 (theta^2 sigma_theta^2 + sigma_theta^4)

  with sigma_theta^2 = sigma_theta,K^2 + sigma_theta,mu^2 per projection and
  sigma_pmu/p_mu = a (+) b p_mu ((+) = quadrature sum). The variance is averaged over the
  muon emission angle in the kaon rest frame (isotropic for a spin-0 parent), keeping muons
  inside the spectrometer momentum window, for a kaon decaying to mu+ and a missing system of
  mass^2 = m_miss^2 (handbook kaon_decays.md sections 2, 5, 6; experiments.md 3.1).
* the di-muon mass resolution delta m/m = (1/2) [delta p+/p+ (+) delta p-/p-]
  (kaon_decays.md section 6, [T1], with the STRAW term read as 0.005 % x p/GeV).
* smearing: vectorised Gaussian convolution matrices from true nodes to reconstructed bins
  or cut values (:func:`gaussian_bin_matrix`, :func:`gaussian_survival_matrix`).

Resolution numbers (GTK 0.2 % and 16 urad, STRAW 0.30 % (+) 0.005 % p/GeV) come from cards;
they are unverified: confirm before relying (NA62 detector paper, JINST 12 (2017) P05025).

Units: hepunits (MeV, radians); m_miss^2 in MeV^2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre
from darkreach.units import GeV

__all__ = [
    "SpectrometerResolution",
    "dimuon_mass_resolution",
    "gaussian_bin_matrix",
    "gaussian_survival_matrix",
    "mmiss2_resolution",
    "relative_momentum_resolution",
    "smear",
]


#: Gauss-Legendre nodes in cos(theta*) for the average over the muon emission angle.
ANGLE_NODES = 32


@dataclass(frozen=True)
class SpectrometerResolution:
    """Beam and muon measurement resolutions (all 1 sigma).

    ``beam_momentum`` [MeV]; ``beam_momentum_resolution`` relative (GTK 0.2 %, or the 1 % rms
    beam spread without beam tracker); ``beam_angle_resolution`` [rad] per projection;
    ``muon_resolution_constant`` a and ``muon_resolution_slope`` b [1/MeV] in
    sigma_p/p = a (+) b p; ``muon_angle_constant`` [rad] and ``muon_angle_scattering``
    [rad MeV] in sigma_theta = c (+) d/p; ``muon_momentum_range`` [MeV] the accepted window.
    """

    beam_momentum: float = 75.0 * GeV
    beam_momentum_resolution: float = 0.002
    beam_angle_resolution: float = 16e-6
    muon_resolution_constant: float = 0.003
    muon_resolution_slope: float = 5e-5 / GeV
    muon_angle_constant: float = 15e-6
    muon_angle_scattering: float = 0.6e-3 * GeV
    muon_momentum_range: tuple[float, float] = (10.0 * GeV, 65.0 * GeV)

    def __post_init__(self) -> None:
        checks = {
            "beam_momentum": self.beam_momentum > m_K_charged,
            "beam_momentum_resolution": self.beam_momentum_resolution >= 0,
            "beam_angle_resolution": self.beam_angle_resolution >= 0,
            "muon_resolution_constant": self.muon_resolution_constant >= 0,
            "muon_resolution_slope": self.muon_resolution_slope >= 0,
            "muon_angle_constant": self.muon_angle_constant >= 0,
            "muon_angle_scattering": self.muon_angle_scattering >= 0,
        }
        for field, ok in checks.items():
            if not ok:
                raise InvalidParameterError(field, getattr(self, field), ">= 0 (beam p > m_K)")
        lo, hi = self.muon_momentum_range
        if not (0 <= lo < hi):
            raise InvalidParameterError(
                "muon_momentum_range", self.muon_momentum_range, "0 <= low < high (MeV)"
            )


def relative_momentum_resolution(
    momentum: ArrayLike, constant: float = 0.003, slope: float = 5e-5 / GeV
) -> FloatArray:
    """sigma_p/p = constant (+) slope p (STRAW: 0.30 % (+) 0.005 % x p/GeV; unverified)."""
    p = np.asarray(momentum, dtype=np.float64)
    return np.asarray(np.hypot(constant, slope * p), dtype=np.float64)


def dimuon_mass_resolution(
    mass: ArrayLike,
    p_plus: ArrayLike = 30.0 * GeV,
    p_minus: ArrayLike = 30.0 * GeV,
    constant: float = 0.003,
    slope: float = 5e-5 / GeV,
) -> FloatArray:
    """sigma(m_mumu) [MeV] = m (1/2) [dp+/p+ (+) dp-/p-] (kaon_decays.md 6, [T1]).

    With both muons at 30 GeV/c: delta m/m = 0.24 %, 0.7 MeV at 300 MeV (cross-check).
    """
    m = np.asarray(mass, dtype=np.float64)
    rel = 0.5 * np.hypot(
        relative_momentum_resolution(p_plus, constant, slope),
        relative_momentum_resolution(p_minus, constant, slope),
    )
    return np.asarray(m * rel, dtype=np.float64)


def _muon_lab_kinematics(
    m2miss: FloatArray, p_beam: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Lab muon momentum, energy and angle for K -> mu + (missing mass^2) at GL nodes.

    Returns (p_mu, E_mu, theta, weight) with a trailing axis over cos(theta*).
    """
    M = m_K_charged
    lam = np.clip((M * M - m_mu**2 - m2miss) ** 2 - 4.0 * m_mu**2 * m2miss, 0.0, None)
    p_star = (np.sqrt(lam) / (2.0 * M))[..., None]
    e_star = ((M * M + m_mu**2 - m2miss) / (2.0 * M))[..., None]
    x, w = gauss_legendre(ANGLE_NODES)
    e_beam = np.hypot(p_beam, M)
    gamma, beta_gamma = e_beam / M, p_beam / M
    p_z = gamma * p_star * x + beta_gamma * e_star
    p_t = p_star * np.sqrt(1.0 - x * x)
    e_mu = gamma * e_star + beta_gamma * p_star * x
    p_mu = np.hypot(p_z, p_t)
    theta = np.arctan2(p_t, p_z)
    return p_mu, e_mu, theta, np.broadcast_to(0.5 * w, p_mu.shape)


def mmiss2_resolution(
    m2miss: ArrayLike, resolution: SpectrometerResolution | None = None
) -> FloatArray:
    """RMS resolution sigma(m_miss^2) [MeV^2] at true m_miss^2 [MeV^2] (see module docstring).

    Averaged (in variance) over the isotropic muon emission angle in the kaon frame, with the
    muon lab momentum inside ``muon_momentum_range``; where no angle is accepted the average
    over all angles is used.
    """
    res = resolution or SpectrometerResolution()
    s = np.asarray(m2miss, dtype=np.float64)
    p_k = res.beam_momentum
    e_k = np.hypot(p_k, m_K_charged)
    p_mu, e_mu, theta, weight = _muon_lab_kinematics(s, p_k)
    cos_t = np.cos(theta)
    d_pk = -2.0 * (p_k * e_mu / e_k - p_mu * cos_t)
    d_pmu = -2.0 * (e_k * p_mu / e_mu - p_k * cos_t)
    sigma_pk = res.beam_momentum_resolution * p_k
    sigma_pmu = p_mu * relative_momentum_resolution(
        p_mu, res.muon_resolution_constant, res.muon_resolution_slope
    )
    sigma_th2 = (
        res.beam_angle_resolution**2
        + res.muon_angle_constant**2
        + (res.muon_angle_scattering / p_mu) ** 2
    )
    var = (
        (d_pk * sigma_pk) ** 2
        + (d_pmu * sigma_pmu) ** 2
        + 4.0 * (p_k * p_mu) ** 2 * (theta**2 * sigma_th2 + sigma_th2**2)
    )
    lo, hi = res.muon_momentum_range
    accepted = (p_mu >= lo) & (p_mu <= hi)
    w_acc = np.where(accepted, weight, 0.0)
    norm = w_acc.sum(axis=-1)
    mean_acc = (var * w_acc).sum(axis=-1) / np.where(norm > 0, norm, 1.0)
    mean_all = (var * weight).sum(axis=-1)
    return np.asarray(np.sqrt(np.where(norm > 0, mean_acc, mean_all)), dtype=np.float64)


def muon_momentum_acceptance(
    m2miss: ArrayLike, resolution: SpectrometerResolution | None = None
) -> FloatArray:
    """Fraction of isotropic decays with the lab muon momentum inside the accepted window."""
    res = resolution or SpectrometerResolution()
    p_mu, _, _, weight = _muon_lab_kinematics(np.asarray(m2miss, float), res.beam_momentum)
    lo, hi = res.muon_momentum_range
    return np.asarray(np.where((p_mu >= lo) & (p_mu <= hi), weight, 0.0).sum(axis=-1))


def gaussian_bin_matrix(true: ArrayLike, sigma: ArrayLike, edges: ArrayLike) -> FloatArray:
    """P(reconstructed value in bin j | true value i) for Gaussian smearing [n_true, n_bins].

    ``true`` and ``sigma`` (same shape, sigma > 0) and the increasing bin ``edges`` share one
    unit. Rows sum to the probability of landing inside [edges[0], edges[-1]].
    """
    x = np.asarray(true, dtype=np.float64)[:, None]
    sig = np.asarray(sigma, dtype=np.float64)[:, None]
    e = np.asarray(edges, dtype=np.float64)[None, :]
    cdf = ndtr((e - x) / sig)
    return np.asarray(np.diff(cdf, axis=1), dtype=np.float64)


def gaussian_survival_matrix(true: ArrayLike, sigma: ArrayLike, cuts: ArrayLike) -> FloatArray:
    """P(reconstructed value > cut_j | true value i) for Gaussian smearing [n_true, n_cuts]."""
    x = np.asarray(true, dtype=np.float64)[:, None]
    sig = np.asarray(sigma, dtype=np.float64)[:, None]
    c = np.asarray(cuts, dtype=np.float64)[None, :]
    return np.asarray(ndtr((x - c) / sig), dtype=np.float64)


def smear(weights: ArrayLike, matrix: ArrayLike) -> FloatArray:
    """Reconstructed spectrum: ``weights [..., n_true] @ matrix [n_true, n_out]``."""
    return np.asarray(np.asarray(weights, float) @ np.asarray(matrix, float), dtype=np.float64)
