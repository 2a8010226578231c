"""Card sections of the K+ -> pi+ X, X -> f (visible) search, ``kaon-pion-visible``.

Handbook kaon_decays.md 8 and bounds_and_new_channels.md 2.1, 2.5. A card holds one published
mass region, the final state f of X (``"gamma gamma"`` or ``"mu mu"``), the 90 % CL upper limit
on BR(K+ -> pi+ X) x BR(X -> f) for an X that decays at once (prompt, c tau = 0), tabulated in
m_X (:class:`~darkreach.experiments.kaon.pion_schema.BranchingRatioTable`), and the effective
decay region [decay_start, decay_end] (distance of the X decay from the kaon decay, in the lab)
in which a decay counts: decay_start = 0 for a prompt search, > 0 for a displaced one;
optionally decay_end as a table in m_X (``decay_end_table``, replaces decay_end). The kaon
beam momentum and the pi+ momentum window give the X lab momenta (shared with
``kaon-pion-invisible``).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from darkreach.array_types import FloatArray
from darkreach.experiments.kaon.pion_schema import (
    BranchingRatioTable,
    PionKinematics,
    PionStatistics,
)
from darkreach.experiments.schema import CardHeader, Sourced, Status, StrictModel
from darkreach.production import kaon_to_pion
from darkreach.units import m

__all__ = ["KaonPionVisibleCard", "LengthTable", "VisibleRegion"]

#: final states of X a card may name (the model channel keys)
FinalState = Literal["gamma gamma", "mu mu", "e e"]


class LengthTable(StrictModel):
    """decay_end [m] as a function of m_X [MeV] (linear interpolation, flat beyond the ends)."""

    masses: tuple[float, ...] = Field(min_length=2, description="m_X [MeV], increasing")
    values: tuple[float, ...] = Field(min_length=2, description="decay_end [m] (> 0)")
    source: str = Field(min_length=3)
    status: Status
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> LengthTable:
        if len(self.masses) != len(self.values):
            raise ValueError("decay_end_table: masses and values differ in length")
        if not all(b > a for a, b in zip(self.masses, self.masses[1:], strict=False)):
            raise ValueError("decay_end_table.masses: allowed: increasing")
        if not all(math.isfinite(v) and v > 0.0 for v in self.values):
            raise ValueError("decay_end_table.values: allowed: finite and > 0 m")
        return self

    def __call__(self, masses: FloatArray) -> FloatArray:
        """decay_end [mm] at ``masses`` [MeV]."""
        return np.asarray(np.interp(masses, self.masses, self.values) * m, dtype=np.float64)


class VisibleRegion(StrictModel):
    """The published m_X range, the X final state, the prompt BR limits and the decay region."""

    name: str = Field(min_length=1)
    final_state: FinalState
    mass_min: Sourced
    mass_max: Sourced
    decay_start: Sourced = Field(description="X decays closer than this are not counted")
    decay_end: Sourced = Field(description="X decays farther than this are not counted")
    br_limit: BranchingRatioTable
    decay_end_table: LengthTable | None = Field(
        default=None, description="when given, replaces decay_end mass by mass"
    )

    def bounds(self) -> tuple[float, float]:
        """(m_min, m_max) [MeV]."""
        return (
            self.mass_min.quantity("energy", "region.mass_min"),
            self.mass_max.quantity("energy", "region.mass_max"),
        )

    def lengths(self) -> tuple[float, float]:
        """(decay_start, decay_end) [mm]."""
        return (
            self.decay_start.quantity("length", "region.decay_start"),
            self.decay_end.quantity("length", "region.decay_end"),
        )

    @model_validator(mode="after")
    def _ordered(self) -> VisibleRegion:
        lo, hi = self.bounds()
        top = kaon_to_pion.mass_max()
        if not (0.0 < lo < hi < top):
            raise ValueError(
                f"region: need 0 < mass_min < mass_max < m_K - m_pi = {top:.2f} MeV, "
                f"got {lo:g} and {hi:g} MeV"
            )
        start, end = self.lengths()
        if self.decay_end_table is not None:
            end = min(end, min(self.decay_end_table.values) * m)
        if not (0.0 <= start < end):
            raise ValueError(
                f"region: need 0 <= decay_start < decay_end, got {start:g}, {end:g} mm"
            )
        return self


class KaonPionVisibleCard(CardHeader):
    """Card of a K+ -> pi+ X, X -> f search (prompt or displaced X decay)."""

    type: Literal["kaon-pion-visible"]
    kinematics: PionKinematics
    region: VisibleRegion
    statistics: PionStatistics = PionStatistics()

    @model_validator(mode="after")
    def _kinematics(self) -> KaonPionVisibleCard:
        self.kinematics.lab()  # raises on an inconsistent momentum window
        return self
