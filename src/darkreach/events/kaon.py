"""Event samplers for K+ -> mu+ nu X and the IB background K+ -> mu+ nu gamma (kaon_decays.md).

Signal (sections 2-3): m_miss^2 = s is drawn by inverse CDF from dBR/dm_miss^2
(:func:`darkreach.production.kaon.dbr_dm2miss`, the function the BR integrates) on a fine grid
(log-spaced near m_X^2 plus linear); t = (p_mu + p_X)^2 at that s from d2BR/(ds dt) by
inverting its closed-form t integral (the shape is a cubic in u = t - m_mu^2 over u^2, the same
polynomial :mod:`darkreach.production.kaon` integrates) with vectorised bisection.

Background (section 4): m_miss^2 from dBR_IB/dm_miss^2
(:func:`darkreach.production.kaon_backgrounds.ib_dbr_dm2miss`) above ``m2miss_min`` (the
spectrum diverges at 0), then the photon energy x = 2 E_gamma/m_K at fixed y from f_IB(x, y)
by inverse CDF on 128 nodes per event in ln(x - m_miss^2/m_K^2).

Kinematics: in the kaon rest frame the energies follow from (s, t) (or (x, y)); the muon
direction is isotropic (spin-0 kaon) and X (gamma) is placed at the angle fixed by t with a
uniform azimuth about the muon; the neutrino balances momentum. The event is boosted along +z
to the card's beam momentum (NA62: 75 GeV/c); **no beam divergence or momentum spread**. The
kaon decay vertex is the origin (x = y = z = t = 0): the decay position along the NA62 decay
volume is not sampled. X decays as in :mod:`darkreach.events.decay` when a coupling is given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.events.decay import decay_x
from darkreach.events.inverse_cdf import cumulative, sample_1d
from darkreach.events.kinematics import boost_to_lab, isotropic
from darkreach.events.mu_brem import X_PDG
from darkreach.events.sample import EventSample, from_slots
from darkreach.units import GeV

__all__ = ["DEFAULT_BEAM_MOMENTUM", "f_ib", "sample_kaon_ib", "sample_kaon_signal"]

#: NA62 nominal K+ beam momentum [MeV] when a card has no ``resolution.beam_momentum``.
DEFAULT_BEAM_MOMENTUM = 75.0 * GeV
#: default lower end of the IB m_miss^2 range [MeV^2] when the card has no cut (0.001 GeV^2).
DEFAULT_IB_M2MIN = 1.0e-3 * GeV**2
S_NODES = 4000
IB_X_NODES = 128
_M = m_K_charged
_m2 = m_mu * m_mu
_r = _m2 / (_M * _M)


def beam_momentum(experiment: Any) -> float:
    """The card's kaon beam momentum [MeV] (``resolution.beam_momentum``), else 75 GeV."""
    spectrometer = getattr(experiment, "spectrometer", None)
    value = getattr(spectrometer, "beam_momentum", None)
    return float(value) if value is not None else DEFAULT_BEAM_MOMENTUM


def _s_grid(s_lo: float, s_hi: float) -> FloatArray:
    grid = np.concatenate([np.geomspace(s_lo, s_hi, S_NODES), np.linspace(s_lo, s_hi, S_NODES)])
    return np.unique(grid)


def _t_cdf(p: tuple[Any, ...], um: FloatArray, u: FloatArray) -> FloatArray:
    p0, p1, p2, p3 = p
    return np.asarray(
        p0 * (1.0 / um - 1.0 / u)
        + p1 * np.log(u / um)
        + p2 * (u - um)
        + 0.5 * p3 * (u * u - um * um)
    )


def _sample_t(shape: str, s: FloatArray, mx: float, rng: np.random.Generator) -> FloatArray:
    """t at fixed s from d2BR/(ds dt) by bisection on the closed-form cumulative."""
    from darkreach.production import kaon

    mx2 = np.full_like(s, mx * mx)
    um, up, _ = kaon._u_limits(s, mx2)
    p0, p1, p2, p3, _ = kaon._coefficients(shape, s, mx2)  # type: ignore[arg-type]
    coeffs = (p0, p1, p2, p3)
    total = _t_cdf(coeffs, um, up)
    target = rng.uniform(0.0, 1.0, s.size) * total
    lo, hi = um.copy(), up.copy()
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        below = _t_cdf(coeffs, um, mid) < target
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
    return np.asarray(0.5 * (lo + hi) + _m2)


def _rest_frame(
    rng: np.random.Generator, e_mu: FloatArray, e_x: FloatArray, cos_mux: FloatArray, m_x: float
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Muon, X and neutrino four-vectors in the kaon rest frame (isotropic orientation)."""
    n = e_mu.size
    p_mu = np.sqrt(np.clip(e_mu * e_mu - _m2, 0.0, None))
    p_x = np.sqrt(np.clip(e_x * e_x - m_x * m_x, 0.0, None))
    cos = np.clip(cos_mux, -1.0, 1.0)
    sin = np.sqrt(1.0 - cos * cos)
    n1 = isotropic(rng, n)
    # a unit vector perpendicular to n1, then rotated by a uniform azimuth about n1
    helper = np.where(np.abs(n1[:, 2:3]) < 0.9, [[0.0, 0.0, 1.0]], [[1.0, 0.0, 0.0]])
    a = np.cross(n1, helper)
    a /= np.linalg.norm(a, axis=-1, keepdims=True)
    b = np.cross(n1, a)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    perp = np.cos(phi)[:, None] * a + np.sin(phi)[:, None] * b
    dir_x = cos[:, None] * n1 + sin[:, None] * perp
    mu = np.empty((n, 4))
    mu[:, :3] = p_mu[:, None] * n1
    mu[:, 3] = e_mu
    x = np.empty((n, 4))
    x[:, :3] = p_x[:, None] * dir_x
    x[:, 3] = e_x
    nu = np.empty((n, 4))
    nu[:, :3] = -(mu[:, :3] + x[:, :3])
    nu[:, 3] = _M - e_mu - e_x
    return mu, x, nu


def _assemble(
    rng: np.random.Generator,
    kaon_p: float,
    mu: FloatArray,
    x: FloatArray,
    nu: FloatArray,
    x_pdg: int,
    decay: Any,
    weights: FloatArray,
    metadata: dict[str, Any],
) -> EventSample:
    n = mu.shape[0]
    parent = np.zeros((n, 4))
    parent[:, 2] = kaon_p
    parent[:, 3] = math.sqrt(kaon_p * kaon_p + _M * _M)
    lab = [boost_to_lab(v, parent, _M) for v in (mu, x, nu)]
    origin = np.zeros((n, 4))
    if decay is None:
        dec = np.zeros(n, dtype=bool)
        p1 = p2 = np.zeros((n, 4))
        pdg1 = pdg2 = np.zeros(n, dtype=np.int64)
        dvertex = origin
    else:
        result = decay(lab[1], origin)
        dec, p1, p2, pdg1, pdg2, dvertex = (
            result.decayed,
            result.p1,
            result.p2,
            result.pdg1,
            result.pdg2,
            result.vertex,
        )
        metadata["branching_ratios"] = result.branching
    four = [parent, lab[0], lab[2], lab[1], p1, p2]
    slots: dict[str, list[Any]] = {
        name: [p[:, i] for p in four] for i, name in enumerate(("px", "py", "pz", "E"))
    }
    for i, name in enumerate(("x", "y", "z", "t")):
        slots[name] = [origin[:, i]] * 4 + [dvertex[:, i]] * 2
    slots["pdg"] = [321, -13, 14, x_pdg, pdg1, pdg2]
    slots["status"] = [4, 1, 1, np.where(dec, 2, 1), 1, 1]
    slots["production_vertex"] = [-1, 0, 0, 0, 1, 1]
    slots["end_vertex"] = [0, -1, -1, np.where(dec, 1, -1), -1, -1]
    present = np.ones((n, 6), dtype=bool)
    present[:, 4] = dec
    present[:, 5] = dec
    return from_slots(slots, present, weights, metadata)


def _check_n(n: int) -> None:
    if not (isinstance(n, (int, np.integer)) and n > 0):
        raise InvalidParameterError("n", n, "an integer number of events > 0")


def sample_kaon_signal(
    experiment: Any,
    model: Any,
    mass: float,
    n: int,
    rng: np.random.Generator,
    coupling: float | None = None,
    weighted: bool = False,
) -> EventSample:
    """``n`` events K+ -> mu+ nu X boosted to the card's kaon beam (see the module doc).

    Weights have mean BR(K+ -> mu+ nu X) (per unit coupling squared without a coupling).
    """
    from darkreach.production import kaon

    _check_n(n)
    shape = experiment._check_model(model)
    m = float(experiment.check_masses(np.array([mass]))[0])
    g = 1.0 if coupling is None else coupling
    br = float(np.asarray(kaon.branching_ratio(shape, m, g)))
    s_lo, s_hi = m * m, kaon.m2miss_max()
    grid = _s_grid(s_lo, s_hi)
    density = np.asarray(kaon.dbr_dm2miss(shape, grid, m, g))
    weights = np.full(n, br)
    if weighted:
        s = rng.uniform(s_lo, s_hi, n)
        total = cumulative(grid, density)[-1]
        weights = br * np.interp(s, grid, density) / total * (s_hi - s_lo)
    else:
        s = sample_1d(grid, density, rng.uniform(0.0, 1.0, n))
    s = np.clip(s, s_lo * (1.0 + 1e-12), s_hi * (1.0 - 1e-12))
    t = _sample_t(shape, s, m, rng)
    e_mu = (_M * _M + _m2 - s) / (2.0 * _M)
    m_munu2 = _M * _M + _m2 + m * m - s - t
    e_x = (_M * _M + m * m - m_munu2) / (2.0 * _M)
    p_mu = np.sqrt(np.clip(e_mu * e_mu - _m2, 0.0, None))
    p_x = np.sqrt(np.clip(e_x * e_x - m * m, 0.0, None))
    cos = (2.0 * e_mu * e_x - (t - _m2 - m * m)) / np.maximum(2.0 * p_mu * p_x, 1e-300)
    mu, x, nu = _rest_frame(rng, e_mu, e_x, cos, m)
    kaon_p = beam_momentum(experiment)
    spin = model.spin

    def decay(p_x_lab: FloatArray, origin: FloatArray) -> Any:
        return decay_x(rng, model, m, coupling, p_x_lab, origin)

    metadata: dict[str, Any] = {
        "generator": "darkreach",
        "darkreach_version": __version__,
        "process": "K+ -> mu+ nu X",
        "channel": "signal",
        "model": model.name,
        "spin": spin,
        "shape": shape,
        "x_pdg": X_PDG.get(spin, 32),
        "card": experiment.name,
        "mass_MeV": m,
        "coupling": coupling,
        "branching_ratio": br,
        "cross_section_pb": None,
        "weight_unit": "branching ratio (mean weight = branching_ratio"
        + (")" if coupling is not None else ", per unit coupling squared)"),
        "weighted": weighted,
        "n_events": n,
        "beam_momentum_MeV": kaon_p,
        "approximations": [
            "Dalitz distribution of kaon_decays.md section 3 (NA62 MC shapes, normalised to "
            "the measured K_mu2 width)",
            "kaon rest frame isotropic, boosted along +z; no beam divergence or momentum spread",
            "kaon decay vertex at the origin (position in the decay volume not sampled)",
            "X decays: isotropic two-body in its rest frame, exponential decay length"
            if coupling is not None
            else "X not decayed (no --coupling: lifetime unknown)",
        ],
    }
    return _assemble(rng, kaon_p, mu, x, nu, X_PDG.get(spin, 32), decay, weights, metadata)


def f_ib(x: FloatArray, y: FloatArray) -> FloatArray:
    """f_IB(x, y) of kaon_decays.md section 4 (x = 2 E_gamma/m_K, y = 2 E_mu/m_K)."""
    r = _r
    z = x + y - 1.0 - r
    return np.asarray(
        (1.0 - y + r)
        / (x * x * z)
        * (x * x + 2.0 * (1.0 - x) * (1.0 - r) - 2.0 * x * r * (1.0 - r) / z)
    )


def sample_kaon_ib(
    experiment: Any,
    n: int,
    rng: np.random.Generator,
    m2miss_min: float | None = None,
    weighted: bool = False,
) -> EventSample:
    """``n`` IB background events K+ -> mu+ nu gamma with m_miss^2 > ``m2miss_min`` [MeV^2].

    ``m2miss_min`` defaults to the card's smallest m_miss^2 cut (``selection.cut_min``), or
    0.001 GeV^2. Weights have mean BR_IB(m_miss^2 > m2miss_min).
    """
    from darkreach.production import kaon
    from darkreach.production.kaon_backgrounds import ib_branching_ratio, ib_dbr_dm2miss

    _check_n(n)
    if m2miss_min is None:
        cuts = getattr(experiment, "cuts", None)
        m2miss_min = float(cuts[0]) if cuts is not None and len(cuts) else DEFAULT_IB_M2MIN
    s_hi = kaon.m2miss_max()
    if not (0.0 < m2miss_min < s_hi):
        raise InvalidParameterError(
            "m2miss_min",
            f"{m2miss_min / GeV**2:g} GeV2",
            f"0 < m2miss_min < {s_hi / GeV**2:.5f} GeV2",
        )
    br = float(np.asarray(ib_branching_ratio(m2miss_min)))
    grid = _s_grid(m2miss_min, s_hi)
    density = np.asarray(ib_dbr_dm2miss(grid))
    weights = np.full(n, br)
    if weighted:
        s = rng.uniform(m2miss_min, s_hi, n)
        total = cumulative(grid, density)[-1]
        weights = br * np.interp(s, grid, density) / total * (s_hi - m2miss_min)
    else:
        s = sample_1d(grid, density, rng.uniform(0.0, 1.0, n))
    s = np.clip(s, m2miss_min, s_hi * (1.0 - 1e-12))
    sigma = s / (_M * _M)
    y = 1.0 + _r - sigma
    h = np.sqrt(np.clip(0.25 * y * y - _r, 0.0, None))
    x_plus = 1.0 - 0.5 * y + h
    x_minus = sigma / x_plus
    # per-event grid in ln z, z = x - sigma in [x_- - sigma, x_+ - sigma]
    z_lo = np.maximum(x_minus - sigma, 1e-300)
    z_hi = x_plus - sigma
    v = np.linspace(0.0, 1.0, IB_X_NODES)
    x_out = np.empty(n)
    chunk = 100_000
    for start in range(0, n, chunk):  # bounds memory (n x 128 table per chunk)
        sl = slice(start, start + chunk)
        lz = np.log(z_lo[sl])[:, None] + v[None, :] * np.log(z_hi[sl] / z_lo[sl])[:, None]
        zz = np.exp(lz)
        xx = zz + sigma[sl, None]
        dens = np.clip(f_ib(xx, y[sl, None]), 0.0, None) * zz  # dx = z d ln z
        cdf: FloatArray = np.asarray(cumulative(lz, dens))
        cdf /= cdf[:, -1:]
        u = np.asarray(rng.uniform(0.0, 1.0, xx.shape[0]))
        idx = np.clip(np.sum(cdf < u[:, None], axis=1) - 1, 0, IB_X_NODES - 2)
        rows = np.arange(xx.shape[0])
        c0, c1 = cdf[rows, idx], cdf[rows, idx + 1]
        frac = np.where(c1 > c0, (u - c0) / np.where(c1 > c0, c1 - c0, 1.0), 0.0)
        lz_s = lz[rows, idx] + frac * (lz[rows, idx + 1] - lz[rows, idx])
        x_out[sl] = np.exp(lz_s) + sigma[sl]
    e_g = 0.5 * _M * x_out
    e_mu = 0.5 * _M * y
    e_nu = _M - e_g - e_mu
    p_mu = np.sqrt(np.clip(e_mu * e_mu - _m2, 0.0, None))
    cos = (e_nu * e_nu - p_mu * p_mu - e_g * e_g) / np.maximum(2.0 * p_mu * e_g, 1e-300)
    mu, gamma, nu = _rest_frame(rng, e_mu, e_g, cos, 0.0)
    kaon_p = beam_momentum(experiment)
    metadata: dict[str, Any] = {
        "generator": "darkreach",
        "darkreach_version": __version__,
        "process": "K+ -> mu+ nu gamma (inner bremsstrahlung)",
        "channel": "ib-background",
        "model": None,
        "card": experiment.name,
        "mass_MeV": None,
        "coupling": None,
        "m2miss_min_GeV2": m2miss_min / GeV**2,
        "branching_ratio": br,
        "cross_section_pb": None,
        "weight_unit": "branching ratio (mean weight = branching_ratio)",
        "weighted": weighted,
        "n_events": n,
        "beam_momentum_MeV": kaon_p,
        "approximations": [
            "IB only (structure-dependent terms not included), kaon_decays.md section 4",
            "kaon rest frame isotropic, boosted along +z; no beam divergence or momentum spread",
            "kaon decay vertex at the origin (position in the decay volume not sampled)",
        ],
    }
    return _assemble(rng, kaon_p, mu, gamma, nu, 22, None, weights, metadata)
