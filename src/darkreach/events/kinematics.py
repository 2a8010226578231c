"""Four-vector helpers on arrays of shape (n, 4) = (px, py, pz, E) [MeV]; all vectorised."""

from __future__ import annotations

import numpy as np

from darkreach.array_types import FloatArray

__all__ = [
    "boost",
    "boost_to_lab",
    "isotropic",
    "momentum_in_rest_frame",
    "polar_vectors",
    "two_body_decay",
]


def isotropic(rng: np.random.Generator, n: int) -> FloatArray:
    """n unit vectors distributed isotropically, shape (n, 3)."""
    cos = rng.uniform(-1.0, 1.0, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    sin = np.sqrt(np.clip(1.0 - cos * cos, 0.0, None))
    return np.stack([sin * np.cos(phi), sin * np.sin(phi), cos], axis=-1)


def polar_vectors(
    p: FloatArray, theta: FloatArray, phi: FloatArray, mass: FloatArray | float
) -> FloatArray:
    """Four-vectors with momentum p, polar angle theta and azimuth phi about +z, shape (n, 4)."""
    sin = np.sin(theta)
    e = np.sqrt(p * p + np.asarray(mass) ** 2)
    return np.stack([p * sin * np.cos(phi), p * sin * np.sin(phi), p * np.cos(theta), e], axis=-1)


def momentum_in_rest_frame(m_parent: FloatArray | float, m1: float, m2: float) -> FloatArray:
    """Two-body momentum p* = sqrt(lambda(M^2, m1^2, m2^2))/(2M) [MeV]."""
    mp = np.asarray(m_parent, dtype=np.float64)
    lam = (mp * mp - (m1 + m2) ** 2) * (mp * mp - (m1 - m2) ** 2)
    return np.asarray(np.sqrt(np.clip(lam, 0.0, None)) / (2.0 * mp))


def boost(p: FloatArray, beta: FloatArray) -> FloatArray:
    """Lorentz boost of four-vectors p (n, 4) by velocity beta (n, 3) (or (3,)), exact."""
    b = np.broadcast_to(np.asarray(beta, dtype=np.float64), p[:, :3].shape)
    b2 = np.sum(b * b, axis=-1)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(b * p[:, :3], axis=-1)
    safe = np.where(b2 > 0.0, b2, 1.0)
    coef = np.where(b2 > 0.0, (gamma - 1.0) * bp / safe, 0.0) + gamma * p[:, 3]
    out = np.empty_like(p)
    out[:, :3] = p[:, :3] + coef[:, None] * b
    out[:, 3] = gamma * (p[:, 3] + bp)
    return out


def two_body_decay(
    rng: np.random.Generator, parent: FloatArray, m_parent: FloatArray | float, m1: float, m2: float
) -> tuple[FloatArray, FloatArray]:
    """Isotropic two-body decay in the parent rest frame, boosted to the lab (parent (n, 4))."""
    n = parent.shape[0]
    pstar = momentum_in_rest_frame(m_parent, m1, m2)
    direction = isotropic(rng, n)
    d1 = np.empty((n, 4))
    d1[:, :3] = pstar[..., None] * direction
    d1[:, 3] = np.sqrt(pstar * pstar + m1 * m1)
    d2 = np.empty((n, 4))
    d2[:, :3] = -d1[:, :3]
    d2[:, 3] = np.sqrt(pstar * pstar + m2 * m2)
    return boost_to_lab(d1, parent, m_parent), boost_to_lab(d2, parent, m_parent)


def boost_to_lab(
    p_rest: FloatArray, parent: FloatArray, m_parent: FloatArray | float
) -> FloatArray:
    """Four-vectors given in the rest frame of ``parent`` (mass ``m_parent``) -> lab frame.

    Uses gamma = E/M and gamma beta = p/M directly (no 1 - beta^2), exact to rounding for
    very boosted parents: E = (E_P E* + P.p*)/M, p = p* + P [P.p*/(M (E_P + M)) + E*/M].
    """
    mp = np.asarray(m_parent, dtype=np.float64)
    pp = parent[:, :3]
    ep = parent[:, 3]
    dot = np.sum(pp * p_rest[:, :3], axis=-1)
    out = np.empty_like(p_rest)
    out[:, 3] = (ep * p_rest[:, 3] + dot) / mp
    coef = dot / (mp * (ep + mp)) + p_rest[:, 3] / mp
    out[:, :3] = p_rest[:, :3] + coef[:, None] * pp
    return out
