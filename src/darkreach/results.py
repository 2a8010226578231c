"""Result containers shared by experiment types, the CLI, writers and plots."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray


@dataclass(frozen=True)
class ReachCurve:
    """The excluded (data) or reachable (projection) coupling versus mass for one card.

    ``coupling`` is the lower edge of the excluded region at each mass (NaN where the
    experiment has no sensitivity); ``coupling_upper`` is the upper edge where the exclusion is
    an interval (long-lived particles), else None. ``bands`` holds expected-limit bands
    (keys ``minus2``, ``minus1``, ``plus1``, ``plus2``) for projections. Masses in MeV
    (hepunits), couplings dimensionless.
    """

    card: str
    card_title: str
    model: str
    model_label: str
    coupling_symbol: str
    masses: FloatArray
    coupling: FloatArray
    cl: float
    method: str
    kind: str  # "observed" (data), "expected" (projection) or "emulated" (CardHeader.curve_kind)
    coupling_upper: FloatArray | None = None
    bands: dict[str, FloatArray] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.masses.shape != self.coupling.shape:
            raise ValueError("masses and coupling must have the same shape")

    @property
    def excluded_mask(self) -> NDArray[np.bool_]:
        """Masses at which the card has sensitivity."""
        return np.isfinite(self.coupling)
