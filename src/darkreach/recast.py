"""A published limit of one model mapped onto another model at the same experiment.

Method (equal signal count). A limit at mass m and coupling g_A of model A means that the
search saw (or expects to see) the threshold number of signal events S_A(m, g_A). The same
selection, with the same background, excludes model B wherever it gives as many events, so the
recast edge g_B solves

    S_B(m, g_B) = S_A(m, g_A)

with both yields from the card's :meth:`~darkreach.experiments.base.Experiment.signal_yield`
(production, branching ratios, decays in flight: any coupling dependence). It is solved on a
logarithmic grid in g refined by bisection (:func:`darkreach.solve.coupling_interval`), for all
masses at once; a lower and an upper edge of the source map edge by edge. Where both yields
are pure powers of the coupling, S = S(m, 1) g^p, the closed form

    g_B = [ S_A(m, 1) g_A^p_A / S_B(m, 1) ]^(1/p_B)   (g_A sqrt(S_A(m,1)/S_B(m,1)) for p = 2)

is evaluated too: it fills masses the numerical solution cannot reach (couplings above the
scanned range) and is checked against it (the largest relative difference is in the notes).

What cancels and what does not. The card's luminosity, and its efficiency where the two
models have the same kinematics, cancel in the ratio of yields: then the recast does not
depend on the card's absolute normalisation. Where the kinematics differ (another spin: other
x and angular distributions, another m_miss^2 spectrum), the card's efficiency, which does not
depend on the model, is an assumption that the recast inherits; where a search optimises its
selection per model (the per-mass m_miss^2 cut of ``kaon-invisible``), the signal threshold of
model B would differ from that of A. The result says so in its ``notes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray
from darkreach.curves import CurveFile
from darkreach.errors import InvalidParameterError
from darkreach.results import ReachCurve
from darkreach.text import plain_text

if TYPE_CHECKING:
    from darkreach.experiments.base import Experiment
    from darkreach.models.base import Model

__all__ = ["RecastCurve", "analytic_recast", "equal_signal_edges", "recast", "recast_record"]

#: relative difference above which the closed form and the numerical solution disagree
ANALYTIC_TOLERANCE = 1e-4
#: largest coupling searched for the target model
G_MAX = 10.0
#: relative residual |S_B(g_B)/S_A - 1| accepted from the fixed-point iteration
RESIDUAL = 1e-9

IndexedYield = Callable[[NDArray[np.intp], FloatArray], FloatArray]
"""Maps (indices of masses, couplings at those masses) to signal yields."""


def equal_signal_edges(
    yield_at: IndexedYield,
    target: FloatArray,
    target_upper: FloatArray | None = None,
    *,
    g_min: float = 1e-12,
    g_max: float = G_MAX,
    max_iterations: int = 60,
) -> tuple[FloatArray, FloatArray]:
    """Edges of {g : S(m, g) >= target(m)} for every mass: (lower, upper), NaN where none.

    The yield is S = g^p U P(g), with p (1 or 2) read off at ``g_min`` and a signal
    probability P (branching ratios, decays in flight) that does not grow with g. The lower
    edge is then the smallest fixed point of g -> (target / (U P(g)))^(1/p), reached from
    below, starting at P = P(g_min), in a few steps (one when P is constant). Masses where
    that does not converge to |S/target - 1| < RESIDUAL, where the yield falls below the
    target again before ``g_max`` (an upper edge) or where ``target_upper`` (the signal at the
    source's upper edge) differs from ``target`` are solved on a logarithmic grid refined by
    bisection (:func:`darkreach.solve.coupling_interval`); the upper edge there is the one
    for ``target_upper``.

    >>> import numpy as np
    >>> low, high = equal_signal_edges(lambda i, g: 4e8 * g**2, np.array([4.0]))
    >>> round(float(low[0]), 12), bool(np.isnan(high[0]))
    (0.0001, True)
    """
    from darkreach.solve import coupling_interval

    target = np.asarray(target, dtype=np.float64)
    upper_target = target if target_upper is None else np.asarray(target_upper, np.float64)
    n = target.size
    everything = np.arange(n)
    low = np.full(n, np.nan)
    high = np.full(n, np.nan)
    tiny = np.full(n, g_min)
    s_tiny = yield_at(everything, tiny)
    s_tiny2 = yield_at(everything, 2.0 * tiny)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        power = np.clip(np.round(np.log2(s_tiny2 / s_tiny)), 1.0, 2.0)
        power = np.where(np.isfinite(power), power, 2.0)
        g = (target / (s_tiny / tiny**power)) ** (1.0 / power)
    converged = np.zeros(n, dtype=bool)
    for _ in range(max_iterations):
        active = np.flatnonzero(~converged & np.isfinite(g) & (g > 0) & (g <= g_max))
        if active.size == 0:
            break
        s = yield_at(active, g[active])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            new = g[active] * (target[active] / s) ** (1.0 / power[active])
        converged[active] = np.abs(new - g[active]) <= 1e-13 * g[active]
        g[active] = new
    ok = np.flatnonzero(converged & np.isfinite(g) & (g > 0) & (g <= g_max))
    if ok.size:
        residual = np.abs(yield_at(ok, g[ok]) / target[ok] - 1.0)
        stays = yield_at(ok, np.full(ok.size, g_max)) >= upper_target[ok]
        same_target = upper_target[ok] == target[ok]
        good = ok[(residual < RESIDUAL) & stays & same_target]
        low[good] = g[good]
    reachable = np.isfinite(target) & (target > 0)
    hard = np.flatnonzero(~np.isfinite(low) & reachable)
    if hard.size:

        def subset(gs: FloatArray) -> FloatArray:
            return yield_at(hard, gs)

        points = max(121, int(12 * np.log10(g_max / g_min)) + 1)  # >= 12 per decade
        sub_low, sub_high = coupling_interval(
            subset, target[hard], hard.size, g_min, g_max, grid_points=points
        )
        low[hard] = sub_low
        if not np.array_equal(upper_target[hard], target[hard], equal_nan=True):
            _, sub_high = coupling_interval(
                subset, upper_target[hard], hard.size, g_min, g_max, grid_points=points
            )
        high[hard] = sub_high
    return low, high


@dataclass(frozen=True)
class RecastCurve:
    """A recast limit: ``curve`` in the target model, with where it came from.

    ``coupling_from`` / ``coupling_upper_from``: the source's edges (model A);
    ``signal_events``: the equal signal count S_A(m, g_A) used at each mass (NaN where the
    card has no yield); ``analytic``: the closed-form edge where both yields are pure powers
    of the coupling (NaN elsewhere); ``analytic_deviation``: the largest relative difference
    between the two (NaN if nowhere both exist).
    """

    curve: ReachCurve
    from_model: str
    from_label: str
    source: str
    coupling_from: FloatArray
    coupling_upper_from: FloatArray | None
    signal_events: FloatArray
    analytic: FloatArray
    analytic_deviation: float


def _yield(experiment: Experiment, model: Model, masses: FloatArray, g: FloatArray) -> FloatArray:
    return np.asarray(experiment.signal_yield(model, masses, g), dtype=np.float64)


def _usable_masses(
    experiment: Experiment, models: list[Model], masses: FloatArray
) -> NDArray[np.bool_]:
    """Mask of the masses at which the card computes a yield for every model."""
    ok = np.ones(masses.shape, dtype=bool)
    probe = np.full(masses.shape, 1e-6)
    for model in models:
        try:
            _yield(experiment, model, masses, probe)
            continue
        except InvalidParameterError:
            pass
        for i, m in enumerate(masses):  # only when some mass is outside the card's range
            if not ok[i]:
                continue
            try:
                _yield(experiment, model, np.array([m]), probe[:1])
            except InvalidParameterError:
                ok[i] = False
    return ok


def _power_law(
    experiment: Experiment, model: Model, masses: FloatArray, g: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(p, S(m, 1)) where S(m, g') = S(m, 1) g'^p near g (p = 1 or 2), else (NaN, S(m, 1))."""
    s_unit = _yield(experiment, model, masses, np.ones_like(masses))
    s_g = _yield(experiment, model, masses, g)
    s_2g = _yield(experiment, model, masses, 2.0 * g)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.log2(s_2g / s_g)
        p_int = np.round(p)
        pure = (
            np.isfinite(p)
            & np.isin(p_int, (1.0, 2.0))
            & (np.abs(p - p_int) < 1e-9)
            & np.isclose(s_g, s_unit * g**p_int, rtol=1e-9, atol=0.0)
            & (s_unit > 0)
        )
    return np.where(pure, p_int, np.nan), s_unit


def analytic_recast(
    g_from: FloatArray,
    unit_from: FloatArray,
    unit_to: FloatArray,
    power_from: FloatArray | float = 2.0,
    power_to: FloatArray | float = 2.0,
) -> FloatArray:
    """Closed-form recast for yields S = S(m, 1) g^p: g_B = (S_A(1) g_A^p_A / S_B(1))^(1/p_B).

    >>> float(analytic_recast(np.array(1e-3), np.array(4.0), np.array(1.0))[()])
    0.002
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        result = (unit_from * g_from**power_from / unit_to) ** (1.0 / np.asarray(power_to))
    return np.asarray(result, dtype=np.float64)


def _check_models(experiment: Experiment, model_from: Model, model_to: Model) -> None:
    supported = tuple(getattr(experiment, "supported_models", ()))
    if model_from.name not in supported:
        raise InvalidParameterError(
            "--from",
            model_from.name,
            f"a model that card {experiment.name} produces: {', '.join(supported)}",
        )
    if model_to.name not in supported:
        raise InvalidParameterError(
            "--to",
            model_to.name,
            f"a model with a production in common with {model_from.name} at card "
            f"{experiment.name}: {', '.join(supported)}",
            hint="no common production",
        )


def _notes(
    experiment: Experiment,
    curve: CurveFile,
    model_from: Model,
    model_to: Model,
    counts: dict[str, int],
    deviation: float,
) -> list[str]:
    a, b = model_from, model_to
    notes = [
        f"recast of {curve.source.name} ({plain_text(a.label)}) at card {experiment.name}: "
        f"equal signal count, S_{b.name}(m, g') = S_{a.name}(m, g), yields from the card",
    ]
    if curve.model is not None and curve.model != a.name:
        notes.append(
            f"WARNING: the file says its model is {curve.model}; it was read as --from {a.name}"
        )
    if curve.card is not None and curve.card != experiment.name:
        notes.append(
            f"the curve was made for card {curve.card} and is recast with the yields of card "
            f"{experiment.name}: only the ratio of yields matters where both scale as g^p"
        )
    if a.spin != b.spin:
        notes.append(
            f"WARNING: spins differ ({a.spin} vs {b.spin}): the energy (x) and angular "
            "distributions, or the m_miss^2 spectra, differ, so efficiencies do not cancel; the "
            "card's efficiency does not depend on the model (an assumption the recast inherits), "
            "and a selection optimised per model (kaon-invisible m_miss^2 cut) would set another "
            "signal threshold for the target model"
        )
    elif a.name != b.name or a != b:
        notes.append(
            f"same spin ({a.spin}) and production: efficiencies cancel; couplings, branching "
            "ratios and decays in flight of each model enter through the yields"
        )
    if counts["outside"]:
        notes.append(
            f"{counts['outside']} masses outside the card's kinematic range for these models: "
            "no limit (null)"
        )
    if counts["unreached"]:
        notes.append(
            f"{counts['unreached']} masses where no coupling of {b.name} gives the signal count "
            f"(g' <= {G_MAX:g}): no limit (null)"
        )
    if counts["analytic_fill"]:
        notes.append(
            f"{counts['analytic_fill']} masses beyond the scanned couplings filled from the "
            "closed form g' = (S_A(m,1) g^p / S_B(m,1))^(1/p)"
        )
    if np.isfinite(deviation):
        verdict = "agrees" if deviation <= ANALYTIC_TOLERANCE else "WARNING: disagrees"
        notes.append(
            f"closed-form g^p scaling {verdict} with the equal-signal solution: largest "
            f"relative difference {deviation:.1e} ({counts['analytic']} masses)"
        )
    else:
        notes.append("yields are not pure powers of the coupling here: numerical solution only")
    return notes


def recast(
    curve: CurveFile, experiment: Experiment, model_from: Model, model_to: Model
) -> RecastCurve:
    """Map ``curve`` (a limit on ``model_from``) onto ``model_to`` with the card's yields.

    See the module docstring for the method and its caveats. Masses outside the card's range,
    or where ``model_to`` cannot give the signal count, get NaN (with a note).
    """
    _check_models(experiment, model_from, model_to)
    m_all = np.asarray(curve.mass_MeV, dtype=np.float64)
    n_all = m_all.size
    g_from_all = np.asarray(curve.coupling, dtype=np.float64)
    upper_from_all = curve.coupling_upper
    usable = _usable_masses(experiment, [model_from, model_to], m_all)
    if not usable.any():
        raise InvalidParameterError(
            f"{curve.source.name} masses",
            f"{m_all.min():g}-{m_all.max():g} MeV",
            f"masses inside the kinematic range of card {experiment.name}",
        )
    todo = usable & np.isfinite(g_from_all)
    if not todo.any():
        raise InvalidParameterError(
            f"{curve.source.name} coupling",
            "empty at every mass inside the card's range",
            f"a limit at some mass inside the kinematic range of card {experiment.name}",
        )
    m = m_all[todo]
    g_from = g_from_all[todo]

    signal = _yield(experiment, model_from, m, g_from)
    p_from, unit_from = _power_law(experiment, model_from, m, g_from)
    # the target's power law near the closed-form guess (g_A for the first look)
    guess_p, guess_unit = _power_law(experiment, model_to, m, g_from)
    guess = analytic_recast(g_from, unit_from, guess_unit, p_from, guess_p)
    probe = np.where(np.isfinite(guess) & (guess > 0), guess, g_from)
    p_to, unit_to = _power_law(experiment, model_to, m, probe)
    analytic = analytic_recast(g_from, unit_from, unit_to, p_from, p_to)
    analytic = np.where(np.isfinite(analytic) & (analytic > 0), analytic, np.nan)

    scale = np.concatenate([g_from, analytic[np.isfinite(analytic)]])
    g_min = max(1e-15, 1e-3 * float(np.nanmin(scale))) if scale.size else 1e-12
    limit = np.where(np.isfinite(signal) & (signal > 0), signal, np.inf)
    upper_from = (
        np.asarray(upper_from_all, dtype=np.float64)[todo]
        if upper_from_all is not None
        else np.full(m.shape, np.nan)
    )
    has_upper = np.isfinite(upper_from)
    limit_upper = limit
    if has_upper.any():
        signal_upper = np.where(
            has_upper, _yield(experiment, model_from, m, np.where(has_upper, upper_from, 1.0)), 0
        )
        limit_upper = np.where(has_upper & (signal_upper > 0), signal_upper, limit)
    low, high = equal_signal_edges(
        lambda index, g: _yield(experiment, model_to, m[index], g),
        limit,
        limit_upper,
        g_min=g_min,
        g_max=G_MAX,
    )

    both = np.isfinite(low) & np.isfinite(analytic)
    deviation = float(np.max(np.abs(low[both] / analytic[both] - 1.0))) if both.any() else np.nan
    fill = ~np.isfinite(low) & np.isfinite(analytic) & np.isfinite(signal) & (signal > 0)
    low = np.where(fill, analytic, low)

    def spread(values: FloatArray) -> FloatArray:
        full = np.full(n_all, np.nan)
        full[todo] = values
        return full

    counts = {
        "outside": int(np.count_nonzero(~usable & np.isfinite(g_from_all))),
        "unreached": int(np.count_nonzero(~np.isfinite(low))),
        "analytic_fill": int(np.count_nonzero(fill)),
        "analytic": int(np.count_nonzero(both)),
    }
    notes = _notes(experiment, curve, model_from, model_to, counts, deviation)
    upper = spread(high)
    reach_curve = ReachCurve(
        card=experiment.name,
        card_title=f"{curve.label} (recast from {model_from.name})",
        model=model_to.name,
        model_label=model_to.label,
        coupling_symbol=model_to.coupling_symbol,
        masses=m_all,
        coupling=spread(low),
        coupling_upper=upper if np.isfinite(upper).any() else None,
        cl=float(curve.cl) if curve.cl is not None else float("nan"),
        method=curve.method or "recast",
        kind=curve.kind or "recast",
        notes=tuple(notes),
    )
    return RecastCurve(
        curve=reach_curve,
        from_model=model_from.name,
        from_label=model_from.label,
        source=str(curve.source),
        coupling_from=g_from_all,
        coupling_upper_from=None if upper_from_all is None else np.asarray(upper_from_all),
        signal_events=spread(signal),
        analytic=spread(analytic),
        analytic_deviation=deviation,
    )


def recast_record(result: RecastCurve) -> dict[str, Any]:
    """The JSON record of one recast curve: that of ``darkreach reach`` plus its origin.

    Added keys: ``from_model``, ``from_model_label``, ``source``, ``coupling_from``,
    ``coupling_upper_from``, ``signal_events``, ``coupling_analytic`` and
    ``analytic_deviation``.
    """
    from darkreach.io import curve_record

    record = curve_record(result.curve)
    nothing = np.full_like(result.coupling_from, np.nan)
    notes = record.pop("notes")
    record.update(
        from_model=result.from_model,
        from_model_label=plain_text(result.from_label),
        source=result.source,
        coupling_from=result.coupling_from,
        coupling_upper_from=(
            result.coupling_upper_from if result.coupling_upper_from is not None else nothing
        ),
        signal_events=result.signal_events,
        coupling_analytic=result.analytic,
        analytic_deviation=result.analytic_deviation,
        notes=notes,
    )
    return record
