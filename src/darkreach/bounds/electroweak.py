"""Electroweak inputs of the computed bounds (not in :mod:`darkreach.constants`).

- ``SIN2_THETA_W_MSBAR = 0.2312``: sin^2 theta_W in the MS-bar scheme at M_Z
  (PDG electroweak review; 0.23121 in PDG 2020-2022). Status: unverified: confirm before
  relying (standard value, from memory).
- ``SIN2_THETA_W_LOW = 0.2386``: the running MS-bar value at low momentum transfer
  (Q^2 -> 0; Erler and Ramsey-Musolf, PRD 72 (2005) 073003). Status: unverified: confirm
  before relying. Handbook bounds_and_new_channels.md 1.4(a) quotes both (545 vs 543 GeV).
- ``HIGGS_VEV = (sqrt(2) G_F)^{-1/2} = 246.22 GeV`` from :data:`darkreach.constants.G_F`.
"""

from __future__ import annotations

import math

from darkreach.constants import G_F

__all__ = ["HIGGS_VEV", "SIN2_THETA_W_LOW", "SIN2_THETA_W_MSBAR"]

SIN2_THETA_W_MSBAR: float = 0.2312
SIN2_THETA_W_LOW: float = 0.2386
#: v = (sqrt(2) G_F)^(-1/2) in MeV (246.22 GeV).
HIGGS_VEV: float = 1.0 / math.sqrt(math.sqrt(2.0) * G_F)
