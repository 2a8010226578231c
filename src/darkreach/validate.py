"""Input checks shared by the physics functions (one-line errors naming field and range)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.errors import InvalidParameterError

FloatArray = NDArray[np.float64]


def checked_array(
    values: ArrayLike, field: str, allow_zero: bool = False, unit: str = ""
) -> FloatArray:
    """Float array of ``values``; InvalidParameterError unless finite and > 0 (or >= 0).

    >>> checked_array([1.0, 2.0], "mass").tolist()
    [1.0, 2.0]
    >>> checked_array([-1.0], "mass", unit="MeV")
    Traceback (most recent call last):
    ...
    darkreach.errors.InvalidParameterError: mass = -1.0 is invalid; allowed: finite and > 0 MeV
    """
    arr = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(arr) & ((arr >= 0.0) if allow_zero else (arr > 0.0))
    if not np.all(ok):
        allowed = "finite and >= 0" if allow_zero else "finite and > 0"
        raise InvalidParameterError(field, float(arr[~ok].flat[0]), f"{allowed} {unit}".strip())
    return arr
