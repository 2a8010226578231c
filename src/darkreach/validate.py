"""Input checks shared by the physics functions (one-line errors naming field and range)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError


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


def check_cl(cl: object, field: str = "cl") -> float:
    """The confidence level as a float in (0, 1); InvalidParameterError naming ``field``.

    >>> check_cl(0.9)
    0.9
    >>> check_cl(1.5, "--cl")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    darkreach.errors.InvalidParameterError: --cl = 1.5 is invalid; allowed: a number in (0, 1)...
    """
    try:
        x = float(cl)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidParameterError(field, cl, "a number in (0, 1), e.g. 0.9") from None
    if not 0.0 < x < 1.0:
        raise InvalidParameterError(field, cl, "a number in (0, 1), e.g. 0.9")
    return x


def masses_in_window(
    values: ArrayLike, low: float, high: float, allowed: str, field: str = "mass"
) -> FloatArray:
    """1-d masses [MeV] with low < m < high: the one kinematic check of every production.

    Non-finite or non-positive masses raise InvalidParameterError; masses outside the open
    window (low, high) raise KinematicallyForbiddenError. ``allowed`` states the window in
    words for the message (e.g. ``"0 < m < m_K - m_mu = 388.02 MeV"``).

    >>> masses_in_window([10.0], 0.0, 100.0, "0 < m < 100 MeV").tolist()
    [10.0]
    >>> masses_in_window([150.0], 0.0, 100.0, "0 < m < 100 MeV")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    darkreach.errors.KinematicallyForbiddenError: mass = 150 MeV is invalid; allowed: 0 < m ...
    """
    from darkreach.errors import KinematicallyForbiddenError

    m = np.atleast_1d(np.asarray(values, dtype=np.float64))
    bad = ~np.isfinite(m) | (m <= 0.0)
    if np.any(bad):
        raise InvalidParameterError(field, f"{float(m[bad].flat[0]):g} MeV", allowed)
    outside = (m <= low) | (m >= high)
    if np.any(outside):
        raise KinematicallyForbiddenError(field, f"{float(m[outside].flat[0]):g} MeV", allowed)
    return m
