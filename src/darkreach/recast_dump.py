"""Recast a published two-edged beam-dump limit without spectra (DarkCast's method).

Handbook electron_and_dump.md B.9 (DarkCast efficiency.py; Ilten, Soreq, Williams, Xue,
arXiv:1801.04847 Eqs. 2.22-2.24). A dump limit at mass m with lower and upper couplings
g0 < g1 of a reference model is summarised by a proper-time window [t0, t1],
``t1 = t0 (1 + L_det/L_sh)``: the decay length of the shield L_sh and of the decay volume
L_det in proper time. t0 is fixed by requiring equal yields at both edges::

    g1^2 BR(g1) D(t0, tau1) = g0^2 BR(g0) D(t0, tau0),   D(t0, tau) = e^{-t0/tau} - e^{-t1/tau}

with tau the reference model's proper lifetime (``c tau`` in mm here). A new model X is then
excluded where its yield reaches the reference one::

    P_X(m) g^2 BR_X(m, g) D(t0, tau_X(m, g)) >= P_ref(m) g0^2 BR_ref(m, g0) D(t0, tau0)

with P the production per unit coupling^2 of the mechanism the search is dominated by
(NA62: eta -> gamma X, handbook B.9; its quark-charge dependence from
:mod:`darkreach.production.meson_decays`) and BR the visible channel of the search. Only the
mass, the two couplings and the lifetime enter: no spectrum, no acceptance; everything that
depends on the boost is assumed equal for both models at the same mass (true for vector
bosons of the same mass and production mechanism).

>>> import numpy as np
>>> from darkreach.models.registry import get_model
>>> photon = get_model("dark-photon")
>>> res = darkcast_recast(np.array([300.0]), np.array([4e-7]), np.array([2.5e-6]),
...                       photon, photon, channel="mu mu")
>>> np.allclose(res.coupling, 4e-7, rtol=1e-6), np.allclose(res.coupling_upper, 2.5e-6, rtol=1e-6)
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import brentq

from darkreach.array_types import FloatArray
from darkreach.constants import hbarc
from darkreach.errors import InvalidParameterError
from darkreach.physics.decay import decay_in_volume_probability
from darkreach.solve import coupling_interval

if TYPE_CHECKING:
    from darkreach.curves import CurveFile
    from darkreach.experiments.base import Experiment
    from darkreach.models.base import Model
    from darkreach.recast import RecastCurve

__all__ = [
    "NA62_LENGTH_RATIO",
    "DumpRecast",
    "darkcast_recast",
    "darkcast_recast_curve",
    "proper_time_window",
]

#: L_det / L_sh that DarkCast uses to recast NA62 (Tsai et al.: 75 m / 142 m; handbook B.2/B.9)
NA62_LENGTH_RATIO = 75.0 / 142.0
#: production channels a recast can use (names of darkreach.production.meson_decays)
PRODUCTIONS = ("pi0", "eta", "eta'", "omega", "phi", "proton-brem")


@dataclass(frozen=True)
class DumpRecast:
    """Edges of the recast limit [model coupling] and the proper-time window per mass.

    ``t0`` and ``t1`` are in mm (c t); NaN where the source has no closed interval.
    """

    masses: FloatArray
    coupling: FloatArray
    coupling_upper: FloatArray
    t0: FloatArray
    t1: FloatArray


def _decay_fraction(t0: float | FloatArray, ratio: float, ctau: FloatArray) -> FloatArray:
    """D = exp(-t0/ctau) - exp(-t0 (1 + ratio)/ctau): the decay probability in the proper-time
    window [t0, t0 (1 + ratio)] (c t in mm)."""
    t = np.asarray(t0, dtype=float)
    return decay_in_volume_probability(t, t * (1.0 + ratio), ctau)


def _ctau(model: Model, masses: FloatArray, g: FloatArray) -> FloatArray:
    width = np.asarray(model.total_width(masses, g), dtype=float)
    return np.where(width > 0.0, hbarc / np.where(width > 0.0, width, 1.0), np.inf)


def _visible(model: Model, masses: FloatArray, g: FloatArray, channel: str) -> FloatArray:
    ratios = model.branching_ratios(masses, g)
    if channel not in ratios:
        raise InvalidParameterError(
            "channel", channel, f"a decay channel of {model.name}: {', '.join(ratios)}"
        )
    visible: FloatArray = np.nan_to_num(np.asarray(ratios[channel], dtype=float), nan=0.0)
    return visible


def _production(model: Model, masses: FloatArray, production: str) -> FloatArray:
    from darkreach.experiments.dump.simulation import MECHANISMS
    from darkreach.production.meson_decays import channel_branching_ratio
    from darkreach.production.proton_brem import proton_coupling

    if production not in PRODUCTIONS:
        raise InvalidParameterError("production", production, ", ".join(PRODUCTIONS))
    spec = MECHANISMS[production]
    if spec is None:
        return np.asarray(proton_coupling(model, masses), dtype=float) ** 2
    return np.asarray(channel_branching_ratio(spec[2], masses, model), dtype=float)


def proper_time_window(
    masses: FloatArray,
    g_low: FloatArray,
    g_high: FloatArray,
    model: Model,
    *,
    channel: str,
    length_ratio: float = NA62_LENGTH_RATIO,
) -> tuple[FloatArray, FloatArray]:
    """(t0, t1) [mm] per mass from the reference edges g_low < g_high (NaN elsewhere)."""
    if not 0.0 < length_ratio < 1e3:
        raise InvalidParameterError("length_ratio", length_ratio, "0 < L_det/L_sh < 1000")
    t0 = np.full(masses.size, np.nan)
    ok = np.isfinite(g_low) & np.isfinite(g_high) & (g_high > g_low) & (g_low > 0)
    if not np.any(ok):
        return t0, t0.copy()
    m = masses[ok]
    ctau0 = _ctau(model, m, g_low[ok])
    ctau1 = _ctau(model, m, g_high[ok])
    w0 = g_low[ok] ** 2 * _visible(model, m, g_low[ok], channel)
    w1 = g_high[ok] ** 2 * _visible(model, m, g_high[ok], channel)
    found = np.full(m.size, np.nan)
    for i in range(m.size):

        def excess(log_t: float, i: int = i) -> float:
            t = np.exp(log_t)
            high = w1[i] * _decay_fraction(t, length_ratio, ctau1[i])
            low = w0[i] * _decay_fraction(t, length_ratio, ctau0[i])
            return float(np.log(max(high, 1e-300)) - np.log(max(low, 1e-300)))

        lo = np.log(ctau1[i]) - 30.0
        hi = np.log(ctau0[i]) + 5.0
        if excess(lo) > 0.0 > excess(hi):
            found[i] = np.exp(brentq(excess, lo, hi, xtol=1e-12, rtol=1e-12))
    t0[ok] = found
    return t0, t0 * (1.0 + length_ratio)


def darkcast_recast(
    masses: FloatArray,
    g_low: FloatArray,
    g_high: FloatArray,
    model_from: Model,
    model_to: Model,
    *,
    channel: str,
    production: str = "eta",
    length_ratio: float = NA62_LENGTH_RATIO,
    g_max: float = 1.0,
) -> DumpRecast:
    """Recast the two-edged limit (g_low, g_high) of ``model_from`` onto ``model_to``.

    ``channel`` is the visible decay of the search (``"mu mu"``, ``"e e"``); ``production``
    the mechanism whose model dependence is used (NA62: ``"eta"``). Masses where the source
    is not a closed interval, or where ``model_to`` is produced not at all, get NaN.
    """
    m = np.asarray(masses, dtype=float)
    t0, t1 = proper_time_window(
        m, np.asarray(g_low, float), np.asarray(g_high, float), model_from,
        channel=channel, length_ratio=length_ratio,
    )  # fmt: skip
    lower = np.full(m.size, np.nan)
    upper = np.full(m.size, np.nan)
    ok = np.flatnonzero(np.isfinite(t0))
    if ok.size:
        mo = m[ok]
        g0 = np.asarray(g_low, float)[ok]
        reference = (
            _production(model_from, mo, production)
            * g0**2
            * _visible(model_from, mo, g0, channel)
            * _decay_fraction(t0[ok], length_ratio, _ctau(model_from, mo, g0))
        )
        made = _production(model_to, mo, production)

        def yields(g: FloatArray) -> FloatArray:
            value = (
                made
                * g**2
                * _visible(model_to, mo, g, channel)
                * _decay_fraction(t0[ok], length_ratio, _ctau(model_to, mo, g))
            )
            return np.asarray(value / np.where(reference > 0, reference, np.inf), dtype=float)

        low, high = coupling_interval(yields, 1.0, mo.size, g_min=1e-12, g_max=g_max)
        lower[ok] = low
        upper[ok] = high
    return DumpRecast(masses=m, coupling=lower, coupling_upper=upper, t0=t0, t1=t1)


def darkcast_recast_curve(
    curve: CurveFile,
    experiment: Experiment,
    model_from: Model,
    model_to: Model,
    *,
    production: str = "eta",
    length_ratio: float = NA62_LENGTH_RATIO,
) -> RecastCurve:
    """:func:`darkcast_recast` of a two-edged curve file at a one-channel beam-dump card."""
    from darkreach.experiments.dump import BeamDump
    from darkreach.recast import RecastCurve
    from darkreach.results import ReachCurve

    if not isinstance(experiment, BeamDump):
        raise InvalidParameterError(
            "--method", "darkcast", f"a beam-dump card (card {experiment.name} is not one)"
        )
    if len(experiment.final_states) != 1:
        names = ", ".join(state.channel for state in experiment.final_states)
        raise InvalidParameterError(
            "--method",
            "darkcast",
            f"a card with one visible channel (card {experiment.name} combines {names})",
        )
    if curve.coupling_upper is None:
        raise InvalidParameterError(
            f"{curve.source.name} coupling_upper",
            "missing",
            "a two-edged limit (lower and upper coupling per mass) for --method darkcast",
        )
    channel = experiment.final_states[0].channel
    masses = np.asarray(curve.mass_MeV, dtype=float)
    result = darkcast_recast(
        masses, np.asarray(curve.coupling, float), np.asarray(curve.coupling_upper, float),
        model_from, model_to, channel=channel, production=production,
        length_ratio=length_ratio,
    )  # fmt: skip
    notes = (
        f"recast of {curve.source.name} ({model_from.name}) by DarkCast's proper-time window "
        f"(arXiv:1801.04847; handbook electron_and_dump.md B.9): L_det/L_sh = "
        f"{length_ratio:.4g}, production {production}, channel {channel}; no spectra or "
        "acceptance of the card are used",
    )
    reach = ReachCurve(
        card=experiment.name,
        card_title=experiment.title,
        model=model_to.name,
        model_label=model_to.label,
        coupling_symbol=model_to.coupling_symbol,
        masses=masses,
        coupling=result.coupling,
        cl=curve.cl if curve.cl is not None else experiment.card.statistics.cl,
        method=curve.method or experiment.card.statistics.method,
        kind=curve.kind or experiment.card.curve_kind,
        coupling_upper=result.coupling_upper,
        notes=notes,
    )
    nothing = np.full(masses.size, np.nan)
    return RecastCurve(
        curve=reach,
        from_model=model_from.name,
        from_label=model_from.label,
        source=str(curve.source),
        coupling_from=np.asarray(curve.coupling, float),
        coupling_upper_from=np.asarray(curve.coupling_upper, float),
        signal_events=nothing,
        analytic=nothing,
        analytic_deviation=float("nan"),
    )
