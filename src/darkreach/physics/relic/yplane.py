"""Reach curves in the thermal-relic plane (m_chi, y).

Handbook relic.md section 2. A reach curve in (M, g) (L_mu-L_tau Z') or (M, eps) (dark
photon) becomes a curve in (m_chi, y) with ``m_chi = M / ratio`` and y from
:func:`~darkreach.physics.relic.yconventions.y_from_coupling`, i.e. with exactly the convention
(a, b or c; default b) used for the thermal targets, so reach and targets can share one axis.

Consistency is the caller's responsibility in one respect: the reach curve must have been
computed for the model *with* dark matter (``lmu-ltau-dm`` with the same kind, mass ratio and
alpha_D, or a dark photon decaying invisibly), because the invisible branching ratio differs
from the vanilla model above 2 m_mu. A curve of the vanilla ``lmu-ltau`` model is converted
with a :class:`~darkreach.physics.relic.targets.RelicWarning` and a note (below 2 m_mu both
models are fully invisible and the curves agree).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from darkreach.array_types import FloatArray
from darkreach.constants import m_mu
from darkreach.errors import InvalidParameterError
from darkreach.physics.relic.targets import RelicWarning
from darkreach.physics.relic.yconventions import (
    DEFAULT_Y_CONVENTION,
    y_axis_label,
    y_from_coupling,
)
from darkreach.results import ReachCurve

__all__ = ["MEDIATOR_OF_MODEL", "YPlaneCurve", "reach_to_yplane"]


#: ReachCurve.model names that can be drawn in the y plane, and their mediator.
MEDIATOR_OF_MODEL: dict[str, str] = {
    "lmu-ltau": "lmu-ltau",
    "lmu-ltau-dm": "lmu-ltau",
    "dark-photon": "dark-photon",
    "dark-photon-dm": "dark-photon",
}


@dataclass(frozen=True)
class YPlaneCurve:
    """A reach curve in (m_chi [MeV], y); ``y_upper`` for interval exclusions, else None."""

    card: str
    label: str
    kind: str
    mediator: str
    ratio: float
    alpha_d: float
    y_convention: str
    m_chi: FloatArray
    y: FloatArray
    y_upper: FloatArray | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def axis_label(self) -> str:
        """The y-axis label stating the convention."""
        return y_axis_label(self.mediator, self.y_convention)


def reach_to_yplane(
    curve: ReachCurve,
    *,
    ratio: float = 3.0,
    alpha_d: float = 0.5,
    convention: str = DEFAULT_Y_CONVENTION,
) -> YPlaneCurve:
    """Convert a :class:`~darkreach.results.ReachCurve` in (M, g or eps) to (m_chi, y).

    ``ratio`` = M/m_chi, ``alpha_d`` = g_chi^2/(4 pi), ``convention`` a/b/c (relic.md 2,
    default b, the same as :func:`~darkreach.physics.relic.targets.relic_targets`). Masses
    where the curve has no sensitivity stay NaN.
    """
    mediator = MEDIATOR_OF_MODEL.get(curve.model)
    if mediator is None:
        raise InvalidParameterError(
            "model", repr(curve.model), ", ".join(MEDIATOR_OF_MODEL) + " (y-plane mediators)"
        )
    notes = list(curve.notes)
    if curve.model == "lmu-ltau" and np.any(curve.masses > 2.0 * m_mu):
        note = (
            f"{curve.card}: reach computed without dark matter (model 'lmu-ltau'); above "
            "2 m_mu its invisible branching ratio is below the one with Z' -> chi chi, so the "
            "y-plane curve is conservative there; use model 'lmu-ltau-dm'"
        )
        warnings.warn(note, RelicWarning, stacklevel=2)
        notes.append(note)
    notes.append(f"y convention ({convention}), M/m_chi = {ratio:g}, alpha_D = {alpha_d:g}")

    def convert(values: FloatArray) -> FloatArray:
        out = np.full_like(values, np.nan)
        ok = np.isfinite(values) & (values > 0)
        out[ok] = y_from_coupling(
            values[ok], mediator=mediator, alpha_d=alpha_d, ratio=ratio, convention=convention
        )
        return out

    upper = convert(curve.coupling_upper) if curve.coupling_upper is not None else None
    return YPlaneCurve(
        card=curve.card,
        label=curve.card_title,
        kind=curve.kind,
        mediator=mediator,
        ratio=ratio,
        alpha_d=alpha_d,
        y_convention=convention,
        m_chi=np.asarray(curve.masses / ratio, dtype=np.float64),
        y=convert(curve.coupling),
        y_upper=upper,
        notes=tuple(notes),
    )
