"""Card sections of the K+ -> pi+ X (X invisible or escaping) search, ``kaon-pion-invisible``.

Handbook kaon_decays.md section 8 and bounds_and_new_channels.md 2.1-2.6. A card holds, per
published mass region (R1, the pi0 window, R2), the 90 % CL upper limit on BR(K+ -> pi+ X) for
an X that escapes with certainty (stable or invisible), tabulated in m_X, and the effective
escape length L of the region; the kaon beam momentum and the pi+ momentum window give the X
lab momenta (:mod:`~darkreach.experiments.kaon.pion_escape`).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from darkreach.array_types import FloatArray
from darkreach.experiments.kaon.pion_escape import LabKinematics
from darkreach.experiments.schema import CardHeader, Sourced, Status, StrictModel
from darkreach.production import kaon_to_pion

__all__ = ["BranchingRatioTable", "KaonPionInvisibleCard", "PionKinematics", "PionRegion"]


class BranchingRatioTable(StrictModel):
    """Upper limits on BR(K+ -> pi+ X) for an escaping X at masses m_X [MeV].

    Interpolated linearly in m_X and in log(BR) between the nodes; the end value beyond the
    first and last node (inside the region). ``status = "calibrated"`` when the values were
    derived from a published table (``source`` and ``note`` say which and how).
    """

    masses: tuple[float, ...] = Field(min_length=2, description="m_X [MeV], increasing")
    values: tuple[float, ...] = Field(min_length=2, description="BR upper limits (> 0)")
    source: str = Field(min_length=3)
    status: Status
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> BranchingRatioTable:
        if len(self.masses) != len(self.values):
            raise ValueError("br_limit: masses and values differ in length")
        m = np.asarray(self.masses)
        if not (np.all(np.isfinite(m)) and np.all(m >= 0.0) and np.all(np.diff(m) > 0.0)):
            raise ValueError("br_limit.masses: allowed: increasing masses >= 0 MeV")
        if not all(math.isfinite(v) and 0.0 < v < 1.0 for v in self.values):
            raise ValueError("br_limit.values: allowed: 0 < BR < 1")
        return self

    def __call__(self, masses: FloatArray) -> FloatArray:
        """BR upper limit at ``masses`` [MeV] (log-linear interpolation, flat beyond the ends)."""
        logs = np.interp(masses, np.asarray(self.masses), np.log(np.asarray(self.values)))
        return np.asarray(np.exp(logs), dtype=np.float64)


class PionRegion(StrictModel):
    """One published m_X region: its range, BR limit table and escape length."""

    name: str = Field(min_length=1, description="e.g. R1, pi0, R2")
    mass_min: Sourced = Field(description="lower end of the region (MeV or with a unit)")
    mass_max: Sourced = Field(description="upper end of the region")
    escape_length: Sourced = Field(
        description="X must not decay within this distance of the kaon decay (effective)"
    )
    br_limit: BranchingRatioTable

    def bounds(self) -> tuple[float, float]:
        """(m_min, m_max) [MeV]."""
        return (
            self.mass_min.quantity("energy", f"regions.{self.name}.mass_min"),
            self.mass_max.quantity("energy", f"regions.{self.name}.mass_max"),
        )

    @model_validator(mode="after")
    def _ordered(self) -> PionRegion:
        lo, hi = self.bounds()
        top = kaon_to_pion.mass_max()
        if not (0.0 <= lo < hi < top):
            raise ValueError(
                f"regions.{self.name}: need 0 <= mass_min < mass_max < m_K - m_pi = "
                f"{top:.2f} MeV, got {lo:g} and {hi:g} MeV"
            )
        if not self.escape_length.quantity("length") > 0.0:
            raise ValueError(f"regions.{self.name}.escape_length must be > 0")
        return self


class PionKinematics(StrictModel):
    """Kaon beam momentum and the selected pi+ momentum window."""

    beam_momentum: Sourced
    pion_momentum_min: Sourced
    pion_momentum_max: Sourced

    def lab(self) -> LabKinematics:
        """The kinematics in hepunits."""
        return LabKinematics(
            beam_momentum=self.beam_momentum.quantity("energy", "kinematics.beam_momentum"),
            pion_momentum_min=self.pion_momentum_min.quantity(
                "energy", "kinematics.pion_momentum_min"
            ),
            pion_momentum_max=self.pion_momentum_max.quantity(
                "energy", "kinematics.pion_momentum_max"
            ),
        )


class PionStatistics(StrictModel):
    """Confidence level of the published limits and the signal count they correspond to."""

    cl: float = Field(default=0.9, gt=0.0, lt=1.0)
    signal_limit: float = Field(
        default=2.303,
        gt=0.0,
        description="events at the limit, used only to express yields in events: "
        "N_sig = signal_limit x BR P_unseen / BR_limit(m)",
    )
    note: str = ""


class KaonPionInvisibleCard(CardHeader):
    """Card of a K+ -> pi+ X search with X escaping (stable, long-lived or invisible)."""

    type: Literal["kaon-pion-invisible"]
    kinematics: PionKinematics
    regions: tuple[PionRegion, ...] = Field(min_length=1)
    statistics: PionStatistics = PionStatistics()

    @model_validator(mode="after")
    def _names_unique(self) -> KaonPionInvisibleCard:
        names = [r.name for r in self.regions]
        if len(set(names)) != len(names):
            raise ValueError(f"regions: names must be distinct, got {', '.join(names)}")
        self.kinematics.lab()  # raises on an inconsistent momentum window
        return self
