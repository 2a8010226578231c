"""Existing bounds on the dark-sector plane: computed (CCFR, N_eff, g-2) and user-supplied.

See :mod:`darkreach.bounds.base` for the shape of a result, :mod:`darkreach.bounds.registry`
for the names.
"""

from __future__ import annotations

from darkreach.bounds.base import Bound, BoundCurve, BoundKind
from darkreach.bounds.registry import bound_curve, bounds_for_model, get_bound, list_bounds
from darkreach.bounds.user import load_user_bound

__all__ = [
    "Bound",
    "BoundCurve",
    "BoundKind",
    "bound_curve",
    "bounds_for_model",
    "get_bound",
    "list_bounds",
    "load_user_bound",
]
