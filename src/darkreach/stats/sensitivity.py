"""Sensitivity criteria: cut-and-count with systematics, binned likelihood ratio, bump windows.

References: ../shared/physics/statistics.md sections 3 (cut-and-count), 4 (binned likelihood,
Asimov data set; Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554 for the Asimov idea),
6.1 (from an event limit to a coupling).

>>> round(float(cut_and_count_min_signal(1e6, kappa=1e-3)), 1)
2828.4
>>> round(binned_likelihood_min_signal([1.0], [100.0]), 2)
21.35
>>> round(coupling_from_yield(2.303, 10.0, 1e-3), 7)
0.0004799
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, overload

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre
from darkreach.stats.poisson import _check_nonnegative

__all__ = [
    "OPTIMAL_GAUSSIAN_HALF_WIDTH",
    "BackgroundDensity",
    "BinnedSpectrum",
    "BumpWindow",
    "asimov_lambda",
    "binned_lambda",
    "binned_likelihood_min_signal",
    "coupling_from_yield",
    "cut_and_count_min_signal",
    "sliding_window_bump_hunt",
]

ArrayInput = npt.NDArray[Any] | Sequence[float] | Sequence[Sequence[float]]

OPTIMAL_GAUSSIAN_HALF_WIDTH = 1.40
"""Half-width k (in units of sigma) maximising erf(k / sqrt 2) / sqrt(2 k), i.e. S / sqrt(B) for
a Gaussian peak on a locally flat background (maximum at k = 1.39999, keeping 83.8 % of the
signal; computed here). Background-free searches gain from wider windows."""


def _as_float_array(field: str, value: object) -> FloatArray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(field, value, "numbers") from None
    if not np.all(np.isfinite(arr)):
        raise InvalidParameterError(field, value, "finite numbers")
    return arr


def _nonnegative_array(field: str, value: object) -> FloatArray:
    arr = _as_float_array(field, value)
    if np.any(arr < 0.0):
        raise InvalidParameterError(field, value, "finite numbers >= 0")
    return arr


def _positive(field: str, value: object) -> float:
    x = _check_nonnegative(field, value)
    if x <= 0.0:
        raise InvalidParameterError(field, value, "a finite number > 0")
    return x


def _scalar_or_array(arr: FloatArray) -> float | FloatArray:
    return float(arr) if arr.ndim == 0 else arr


def _is_scalar(value: object) -> bool:
    return isinstance(value, (int, float, np.number))


def _float_if_scalars(arr: FloatArray, *inputs: object) -> float | FloatArray:
    """A Python float when every input was a scalar, else the (possibly 0-d) array."""
    return float(arr) if all(_is_scalar(x) for x in inputs) else arr


# --------------------------------------------------------------------------------------------
# section 3: cut and count
# --------------------------------------------------------------------------------------------


@overload
def cut_and_count_min_signal(background: float, kappa: float, z: float = 2.0) -> float: ...
@overload
def cut_and_count_min_signal(
    background: ArrayInput, kappa: float, z: float = 2.0
) -> FloatArray: ...
def cut_and_count_min_signal(
    background: float | ArrayInput, kappa: float, z: float = 2.0
) -> float | FloatArray:
    """Smallest signal with S / sqrt(B + kappa^2 B^2) = z (statistics.md section 3).

    ``kappa`` is the fractional systematic on the background normalisation; for B -> infinity
    S_min / B -> z kappa (the reach saturates). Vectorised over ``background``.

    >>> cut_and_count_min_signal([0.0, 100.0], kappa=0.0)
    array([ 0., 20.])
    """
    b = _nonnegative_array("background", background)
    k = _check_nonnegative("kappa", kappa)
    zz = _positive("z", z)
    return _float_if_scalars(zz * np.sqrt(b + (k * b) ** 2), background)


# --------------------------------------------------------------------------------------------
# section 4: binned likelihood ratio
# --------------------------------------------------------------------------------------------


def _binned_inputs(
    signal_fractions: object, backgrounds: object, data: object
) -> tuple[FloatArray, FloatArray, FloatArray]:
    eps = _nonnegative_array("signal_fractions", signal_fractions)
    bkg = _nonnegative_array("backgrounds", backgrounds)
    if eps.ndim == 0 or bkg.ndim == 0:
        raise InvalidParameterError(
            "signal_fractions/backgrounds", (eps.shape, bkg.shape), "arrays with a bin axis last"
        )
    try:
        eps, bkg = np.broadcast_arrays(eps, bkg)
    except ValueError:
        raise InvalidParameterError(
            "signal_fractions/backgrounds", (eps.shape, bkg.shape), "broadcastable shapes"
        ) from None
    if data is None:
        d = bkg.copy()  # Asimov data set of the background-only hypothesis
    else:
        d = _nonnegative_array("data", data)
        try:
            d = np.broadcast_to(d, bkg.shape).astype(float)
        except ValueError:
            raise InvalidParameterError(
                "data", d.shape, f"shape broadcastable to {bkg.shape}"
            ) from None
        if np.any((bkg == 0.0) & (d > 0.0)):
            raise InvalidParameterError(
                "data", "> 0 in a bin with zero background", "0 where backgrounds are 0"
            )
    return np.array(eps, dtype=float), np.array(bkg, dtype=float), d


def _profile_theta(
    s: FloatArray,
    eps: FloatArray,
    bkg: FloatArray,
    d: FloatArray,
    kappa: float,
    theta: FloatArray,
) -> FloatArray:
    """theta minimising 2 sum[mu - D ln mu] + theta^2, mu = S eps + B (1 + kappa theta).

    Damped Newton iterations (the objective is convex in theta), vectorised over the batch;
    the background scale 1 + kappa theta is kept positive.
    """
    floor = -1.0 / kappa
    for _ in range(60):
        mu = s[:, None] * eps + bkg * (1.0 + kappa * theta[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(d > 0.0, d / mu, 0.0)
            curvature = np.where(d > 0.0, ratio / mu, 0.0)
        grad = 2.0 * kappa * np.sum(bkg * (1.0 - ratio), axis=-1) + 2.0 * theta
        hess = 2.0 * kappa**2 * np.sum(bkg**2 * curvature, axis=-1) + 2.0
        new = theta - grad / hess
        new = np.where(new <= floor, 0.5 * (theta + floor), new)
        done = np.abs(new - theta) <= 1e-12 * (1.0 + np.abs(theta))
        theta = new
        if np.all(done):
            break
    return theta


def _lambda_and_slope(
    s: FloatArray,
    eps: FloatArray,
    bkg: FloatArray,
    d: FloatArray,
    kappa: float,
    theta: FloatArray,
    theta0: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Profiled Lambda(S) = min_theta f(S, theta) - min_theta f(0, theta), dLambda/dS, theta.

    f = 2 sum[mu - D ln mu] + theta^2; the difference is formed term by term with log1p, so it
    keeps full precision when Lambda << sum B.
    """
    if kappa > 0.0:
        theta = _profile_theta(s, eps, bkg, d, kappa, theta)
    mu0 = bkg * (1.0 + kappa * theta0[:, None])
    delta = s[:, None] * eps + bkg * (kappa * (theta - theta0))[:, None]  # mu - mu0
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(d > 0.0, d * np.log1p(delta / mu0), 0.0)
        ratio = np.where(d > 0.0, d / (mu0 + delta), 0.0)
    lam = 2.0 * np.sum(delta - log_term, axis=-1) + theta**2 - theta0**2
    slope = 2.0 * np.sum(eps * (1.0 - ratio), axis=-1)  # envelope theorem
    return lam, slope, theta


def _null_theta(eps: FloatArray, bkg: FloatArray, d: FloatArray, kappa: float) -> FloatArray:
    zero = np.zeros(bkg.shape[0])
    return zero if kappa == 0.0 else _profile_theta(zero, eps, bkg, d, kappa, zero)


@overload
def binned_lambda(
    signal: float,
    signal_fractions: Sequence[float],
    backgrounds: Sequence[float],
    data: Sequence[float] | None = None,
    kappa: float = 0.0,
) -> float: ...
@overload
def binned_lambda(
    signal: Sequence[float],
    signal_fractions: ArrayInput,
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    kappa: float = 0.0,
) -> FloatArray: ...
@overload
def binned_lambda(
    signal: float | ArrayInput,
    signal_fractions: ArrayInput,
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    kappa: float = 0.0,
) -> float | FloatArray: ...
def binned_lambda(
    signal: float | ArrayInput,
    signal_fractions: ArrayInput,
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    kappa: float = 0.0,
) -> float | FloatArray:
    """Lambda(S) = sum_i -2 ln[L_i(S) / L_i(0)] with Poisson bins (statistics.md section 4).

    ``signal_fractions`` eps_i and ``backgrounds`` B_i have the bins on the last axis (leading
    axes are a batch, e.g. one row per mass); ``data`` D_i defaults to the Asimov data set
    D_i = B_i. With ``kappa > 0`` the backgrounds carry a fully correlated normalisation
    nuisance B_i -> B_i (1 + kappa theta) with penalty theta^2, profiled separately at S and at
    S = 0. ``signal`` (scalar or array) broadcasts against the batch shape.

    >>> round(float(binned_lambda(20.0, [1.0], [100.0])), 3)  # 2 [20 - 100 ln 1.2]
    3.536
    """
    eps, bkg, d = _binned_inputs(signal_fractions, backgrounds, data)
    k = _check_nonnegative("kappa", kappa)
    sig = _nonnegative_array("signal", signal)
    batch = eps.shape[:-1]
    shape = np.broadcast_shapes(sig.shape, batch)
    nb = eps.shape[-1]
    eps_b = np.broadcast_to(eps, (*shape, nb)).reshape(-1, nb)
    bkg_b = np.broadcast_to(bkg, (*shape, nb)).reshape(-1, nb)
    d_b = np.broadcast_to(d, (*shape, nb)).reshape(-1, nb)
    s_b = np.broadcast_to(sig, shape).reshape(-1)
    theta0 = _null_theta(eps_b, bkg_b, d_b, k)
    lam = _lambda_and_slope(s_b, eps_b, bkg_b, d_b, k, theta0, theta0)[0]
    return _scalar_or_array(lam.reshape(shape))


@overload
def asimov_lambda(
    signal: float, signal_fractions: Sequence[float], backgrounds: Sequence[float]
) -> float: ...
@overload
def asimov_lambda(
    signal: Sequence[float], signal_fractions: ArrayInput, backgrounds: ArrayInput
) -> FloatArray: ...
@overload
def asimov_lambda(
    signal: float | ArrayInput, signal_fractions: ArrayInput, backgrounds: ArrayInput
) -> float | FloatArray: ...
def asimov_lambda(
    signal: float | ArrayInput, signal_fractions: ArrayInput, backgrounds: ArrayInput
) -> float | FloatArray:
    """Asimov Lambda_A(S) = 2 sum_i [S eps_i - B_i ln(1 + S eps_i / B_i)] (statistics.md 4).

    Closed form of :func:`binned_lambda` with D_i = B_i and no nuisance; ~ sum (S eps_i)^2 / B_i
    for S eps_i << B_i. Bins with B_i = 0 contribute 2 S eps_i. Bins on the last axis.

    >>> round(float(asimov_lambda(2.0, [0.5, 0.5], [100.0, 100.0])), 5)  # vs S^2/B: 0.02
    0.01987
    """
    eps = _nonnegative_array("signal_fractions", signal_fractions)
    bkg = _nonnegative_array("backgrounds", backgrounds)
    sig = _nonnegative_array("signal", signal)
    if eps.ndim == 0 or bkg.ndim == 0:
        raise InvalidParameterError(
            "signal_fractions/backgrounds", (eps.shape, bkg.shape), "arrays with a bin axis last"
        )
    x = sig[..., None] * eps  # S eps_i
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(bkg > 0.0, bkg * np.log1p(x / bkg), 0.0)
    return _scalar_or_array(2.0 * np.sum(x - log_term, axis=-1))


@overload
def binned_likelihood_min_signal(
    signal_fractions: Sequence[float],
    backgrounds: Sequence[float],
    data: Sequence[float] | None = None,
    threshold: float = 4.0,
    kappa: float = 0.0,
) -> float: ...
@overload
def binned_likelihood_min_signal(
    signal_fractions: Sequence[Sequence[float]],
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    threshold: float = 4.0,
    kappa: float = 0.0,
) -> FloatArray: ...
@overload
def binned_likelihood_min_signal(
    signal_fractions: ArrayInput,
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    threshold: float = 4.0,
    kappa: float = 0.0,
) -> float | FloatArray: ...
def binned_likelihood_min_signal(
    signal_fractions: ArrayInput,
    backgrounds: ArrayInput,
    data: ArrayInput | None = None,
    threshold: float = 4.0,
    kappa: float = 0.0,
) -> float | FloatArray:
    """Signal S (S >= the best fit) at which Lambda(S) reaches ``threshold`` (statistics.md 4).

    Lambda is :func:`binned_lambda` (Asimov data by default, optional correlated background
    nuisance ``kappa``); the default threshold 4 is "about 2 sigma". Lambda is convex in S
    (profile of a jointly convex negative log-likelihood), so Newton's method from the right
    converges monotonically; all batch rows (leading axes, e.g. one per mass) are solved
    together. Returns inf where the signal fractions are all zero.

    With kappa = 0 and one bin this is the Asimov solution of section 4 (B = 100: 21.35, not the
    leading-order 20); for large B and kappa > 0 it saturates at S_min / B -> 2 kappa.

    >>> s_min = binned_likelihood_min_signal([[0.5, 0.5], [1.0, 0.0]], [50.0, 50.0])
    >>> [round(float(x), 2) for x in s_min]  # same shape as one bin with B = 100; B = 50
    [21.35, 15.51]
    """
    eps, bkg, d = _binned_inputs(signal_fractions, backgrounds, data)
    k = _check_nonnegative("kappa", kappa)
    thr = _positive("threshold", threshold)
    shape = eps.shape[:-1]
    nb = eps.shape[-1]
    eps2 = eps.reshape(-1, nb)
    bkg2 = bkg.reshape(-1, nb)
    d2 = d.reshape(-1, nb)
    result = _solve_min_signal(eps2, bkg2, d2, k, thr)
    return _scalar_or_array(result.reshape(shape))


def _solve_min_signal(
    eps: FloatArray, bkg: FloatArray, d: FloatArray, kappa: float, thr: float
) -> FloatArray:
    m = eps.shape[0]
    out = np.full(m, np.inf)
    live = np.sum(eps, axis=-1) > 0.0
    if not np.any(live):
        return out
    eps, bkg, d = eps[live], bkg[live], d[live]
    theta0 = _null_theta(eps, bkg, d, kappa)
    theta = theta0
    # start: the Gaussian approximation Lambda ~ S^2 e^T C^-1 e, C = diag(B) + kappa^2 B B^T
    # (Sherman-Morrison), or a linear estimate where some signal bins have no background
    has_b = bkg > 0.0
    a = np.sum(np.where(has_b, eps**2 / np.where(has_b, bkg, 1.0), 0.0), axis=-1)
    a -= kappa**2 * np.sum(eps * has_b, -1) ** 2 / (1.0 + kappa**2 * np.sum(bkg, -1))
    lin = np.sum(np.where(has_b, 0.0, 2.0 * eps), axis=-1)
    s = np.where(lin > 0.0, thr / np.maximum(lin, 1e-300), np.sqrt(thr / np.maximum(a, 1e-300)))
    s = np.minimum(s, np.sqrt(thr / np.maximum(a, 1e-300)))
    # move right until Lambda rises (S beyond the best fit)
    for _ in range(2000):
        lam, slope, theta = _lambda_and_slope(s, eps, bkg, d, kappa, theta, theta0)
        bad = slope <= 0.0
        if not np.any(bad):
            break
        s = np.where(bad, 2.0 * s, s)
    for _ in range(100):
        new = s - (lam - thr) / slope
        # a step from the left lands right of the root (convexity); never go below 0
        new = np.where(new > 0.0, new, 0.5 * s)
        done = (np.abs(new - s) <= 1e-11 * s) | (np.abs(lam - thr) <= 1e-12 * thr)
        s = new
        if np.all(done):
            break
        lam, slope, theta = _lambda_and_slope(s, eps, bkg, d, kappa, theta, theta0)
    out[live] = s
    return out


# --------------------------------------------------------------------------------------------
# bump hunt windows
# --------------------------------------------------------------------------------------------


class BackgroundDensity(Protocol):
    """Background density in events per unit mass, vectorised: ``density(x) -> array``."""

    def __call__(self, x: FloatArray, /) -> npt.ArrayLike: ...


@dataclass(frozen=True)
class BinnedSpectrum:
    """A binned background spectrum: ``counts[i]`` events in [edges[i], edges[i + 1])."""

    edges: FloatArray
    counts: FloatArray

    def __post_init__(self) -> None:
        edges = _as_float_array("edges", self.edges)
        counts = _nonnegative_array("counts", self.counts)
        if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0.0):
            raise InvalidParameterError("edges", edges, "a strictly increasing 1-D array")
        if counts.shape != (edges.size - 1,):
            raise InvalidParameterError("counts", counts.shape, f"shape ({edges.size - 1},)")
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "counts", counts)

    def integral(self, low: FloatArray, high: FloatArray) -> FloatArray:
        """Counts in [low, high], uniform within each bin, zero outside the edges."""
        cumulative = np.concatenate(([0.0], np.cumsum(self.counts)))
        out: FloatArray = np.interp(high, self.edges, cumulative) - np.interp(
            low, self.edges, cumulative
        )
        return out


@dataclass(frozen=True)
class BumpWindow:
    """Mass window [low, high] with the Gaussian signal fraction and the background inside."""

    low: FloatArray
    high: FloatArray
    signal_fraction: FloatArray
    background: FloatArray


_GL_X, _GL_W = gauss_legendre(64)


def sliding_window_bump_hunt(
    mass: float | ArrayInput,
    resolution: float | ArrayInput,
    background: BackgroundDensity | BinnedSpectrum,
    half_width: float = OPTIMAL_GAUSSIAN_HALF_WIDTH,
) -> BumpWindow:
    """Window [m - k sigma_m, m + k sigma_m] for a Gaussian peak at ``mass`` (any unit).

    ``resolution`` is the Gaussian sigma_m (same unit); ``half_width`` is k, by default 1.40,
    the value maximising S / sqrt(B) on a flat background (83.8 % of the signal inside).
    ``background`` is either a vectorised density (events per unit mass, integrated with a
    64-point Gauss-Legendre rule per window, so it should be smooth on the window scale) or a
    :class:`BinnedSpectrum` (uniform within bins). Vectorised over mass and resolution.

    >>> w = sliding_window_bump_hunt(250.0, 2.0, lambda x: 10.0 + 0.0 * x)
    >>> float(w.low), float(w.high), round(float(w.signal_fraction), 4)
    (247.2, 252.8, 0.8385)
    >>> round(float(w.background), 9)  # 10 per unit mass over a width of 5.6
    56.0
    """
    m = _as_float_array("mass", mass)
    sigma = _as_float_array("resolution", resolution)
    if np.any(sigma <= 0.0):
        raise InvalidParameterError("resolution", resolution, "> 0")
    k = _positive("half_width", half_width)
    m, sigma = np.broadcast_arrays(m, sigma)
    low = m - k * sigma
    high = m + k * sigma
    fraction = np.full(m.shape, 2.0 * float(ndtr(k)) - 1.0)
    if isinstance(background, BinnedSpectrum):
        bkg = background.integral(low, high)
    elif callable(background):
        density: Callable[[FloatArray], npt.ArrayLike] = background
        half = 0.5 * (high - low)
        x = (0.5 * (high + low))[..., None] + half[..., None] * _GL_X
        values = np.asarray(density(x), dtype=float)
        if values.shape != x.shape:
            values = np.broadcast_to(values, x.shape)
        bkg = half * np.sum(values * _GL_W, axis=-1)
    else:
        raise InvalidParameterError(
            "background", type(background).__name__, "a density callable or a BinnedSpectrum"
        )
    return BumpWindow(low=low, high=high, signal_fraction=fraction, background=np.asarray(bkg))


# --------------------------------------------------------------------------------------------
# section 6.1: from the event limit to the coupling
# --------------------------------------------------------------------------------------------


@overload
def coupling_from_yield(signal_limit: float, yield_at_ref: float, coupling_ref: float) -> float: ...
@overload
def coupling_from_yield(
    signal_limit: ArrayInput, yield_at_ref: float | ArrayInput, coupling_ref: float
) -> FloatArray: ...
@overload
def coupling_from_yield(
    signal_limit: float | ArrayInput, yield_at_ref: ArrayInput, coupling_ref: float
) -> FloatArray: ...
def coupling_from_yield(
    signal_limit: float | ArrayInput, yield_at_ref: float | ArrayInput, coupling_ref: float
) -> float | FloatArray:
    """g_limit = g_ref sqrt(s_up / N(g_ref)) for a yield proportional to g^2 (statistics.md 6.1).

    Vectorised over ``signal_limit`` and ``yield_at_ref`` (e.g. arrays over mass). A zero yield
    gives inf (no sensitivity). Only valid when the whole yield scales as g^2 (ST-10).

    >>> coupling_from_yield([2.303, 2.303], [10.0, 0.0], 1e-3)
    array([0.0004799,       inf])
    """
    s_up = _nonnegative_array("signal_limit", signal_limit)
    n_ref = _nonnegative_array("yield_at_ref", yield_at_ref)
    g_ref = _positive("coupling_ref", coupling_ref)
    with np.errstate(divide="ignore"):
        ratio = np.where(n_ref > 0.0, s_up / np.where(n_ref > 0.0, n_ref, 1.0), np.inf)
    return _float_if_scalars(g_ref * np.sqrt(ratio), signal_limit, yield_at_ref)
