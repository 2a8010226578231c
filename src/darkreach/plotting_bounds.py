"""Existing bounds on reach plots: grey shaded regions with their names (issue 8).

``select_bounds(model, "auto")`` picks the computed bounds of :mod:`darkreach.bounds` that
apply to the model (the g-2 band is drawn separately, and the CCFR contact formula is
superseded by the full CCFR calculation); ``"none"`` draws nothing; a comma list names
bounds. User files (:func:`darkreach.bounds.registry.user_bound_curve`) are drawn the same
way, after :meth:`~darkreach.bounds.base.BoundCurve.on_grid`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from darkreach.array_types import BoolArray, FloatArray
from darkreach.bounds.base import BoundCurve
from darkreach.errors import InvalidParameterError

#: bounds that ``auto`` leaves out: the g-2 band has its own layer, the contact formula is
#: the heavy-mass limit of ``ccfr``
_NOT_AUTO = frozenset({"gminus2", "ccfr-contact"})
BOUND_FACE = "0.55"
BOUND_EDGE = "0.35"


def select_bounds(model: str, spec: str) -> list[str]:
    """Names of the bounds to draw for ``model``: ``auto``, ``none`` or ``name,name``."""
    from darkreach.bounds.registry import bounds_for_model, list_bounds

    spec = spec.strip()
    if spec == "none":
        return []
    applicable = [b.name for b in bounds_for_model(model) if b.kind != "user"]
    if spec == "auto":
        return [name for name in applicable if name not in _NOT_AUTO]
    names = [n.strip() for n in spec.split(",") if n.strip()]
    known = [b.name for b in list_bounds() if b.kind != "user"]
    for name in names:
        if name not in known:
            raise InvalidParameterError("--bounds", name, "auto, none or " + ", ".join(known))
        if name not in applicable:
            raise InvalidParameterError(
                "--bounds", name, f"a bound for model {model}: {', '.join(applicable) or 'none'}"
            )
    return names


def evaluate_bounds(names: Sequence[str], model: str, masses: FloatArray) -> list[BoundCurve]:
    """The named bounds evaluated on ``masses`` (MeV)."""
    from darkreach.bounds.registry import bound_curve

    return [bound_curve(name, model, masses) for name in names]


def draw_bounds(ax: Axes, bounds: Sequence[BoundCurve], ceiling: float) -> None:
    """Grey regions (lower edge to upper edge or ``ceiling``) with their names inside.

    Drawn below everything else (z-order 0.5) so that reach curves and the g-2 band stay on
    top; each name is written where its region is widest on the log scale.
    """
    for bound in bounds:
        x = bound.mass_MeV
        low = bound.coupling
        ok = np.isfinite(low)
        if not ok.any():
            continue
        if bound.coupling_upper is None:
            high = np.full_like(low, ceiling)
        else:
            high = np.where(np.isfinite(bound.coupling_upper), bound.coupling_upper, ceiling)
        high = np.minimum(high, ceiling)
        ax.fill_between(
            x,
            np.where(ok, low, np.nan),
            np.where(ok, high, np.nan),
            color=BOUND_FACE,
            alpha=0.25,
            lw=0,
            zorder=0.5,
        )
        ax.plot(x[ok], low[ok], color=BOUND_EDGE, lw=1.0, zorder=0.6)
        _label(ax, bound, x, low, high, ok)


def _label(
    ax: Axes, bound: BoundCurve, x: FloatArray, low: FloatArray, high: FloatArray, ok: BoolArray
) -> None:
    y_lo, y_hi = ax.get_ylim()
    x_lo, x_hi = ax.get_xlim()
    inside = ok & (x > x_lo) & (x < x_hi)
    if not inside.any():
        return
    top = np.minimum(high, y_hi)
    bottom = np.maximum(low, y_lo)
    visible = np.flatnonzero(inside & (top > bottom * 1.5))
    if visible.size == 0:
        return
    i = int(visible[visible.size // 2])  # the middle of the visible stretch
    y = float(min(bottom[i] * 2.5, np.sqrt(bottom[i] * top[i])))
    ax.text(
        float(x[i]),
        y,
        bound.label,
        color="0.2",
        fontsize=13,
        ha="center",
        va="center",
        zorder=0.7,
    )
