"""Array type aliases shared by every module (one definition, imported everywhere)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: float64 array (masses in MeV, couplings, yields, ...)
FloatArray = NDArray[np.float64]
#: boolean mask
BoolArray = NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray"]
