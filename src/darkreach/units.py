"""Units: hepunits re-exported, and parsing of quantities written by people.

darkreach uses the hepunits system (MeV = mm = ns = 1). Strings such as ``"10MeV"``,
``"0.16 TeV"``, ``"160 GeV"``, ``"0.01GeV2"`` or ``"1.5mm"`` are converted once, at the edge
(CLI, cards), with :func:`parse_quantity`.

>>> parse_quantity("0.16TeV", "energy") / GeV
160.0
>>> parse_quantity("0.01GeV2", "energy2") / MeV**2
10000.0
"""

from __future__ import annotations

import math
import re
from typing import Literal

from hepunits import (
    GeV,
    MeV,
    TeV,
    barn,
    cm,
    eV,
    fm,
    keV,
    km,
    m,
    mm,
    ns,
    picobarn,
    s,
)
from hepunits import (
    micrometer as um,
)
from hepunits.constants import hbarc

from darkreach.errors import UnitError

__all__ = [
    "GeV",
    "MeV",
    "TeV",
    "barn",
    "cm",
    "eV",
    "fm",
    "format_quantity",
    "hbarc",
    "keV",
    "km",
    "m",
    "mm",
    "ns",
    "parse_quantity",
    "picobarn",
    "s",
    "um",
]

Dimension = Literal["energy", "energy2", "length", "dimensionless"]

_ENERGY = {"eV": eV, "keV": keV, "MeV": MeV, "GeV": GeV, "TeV": TeV}
_LENGTH = {"um": um, "mm": mm, "cm": cm, "m": m, "km": km}
_UNITS: dict[Dimension, dict[str, float]] = {
    "energy": _ENERGY,
    "energy2": {f"{k}2": v * v for k, v in _ENERGY.items()}
    | {f"{k}^2": v * v for k, v in _ENERGY.items()},
    "length": _LENGTH,
    "dimensionless": {"": 1.0},
}
_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z^0-9]*)\s*$")


def parse_quantity(
    text: str | float | int, dimension: Dimension = "energy", field: str = "quantity"
) -> float:
    """Convert ``text`` (e.g. ``"10MeV"``) to a float in hepunits.

    One rule everywhere (CLI and cards): a quantity with a dimension needs its unit, written
    with the case shown (``MeV``, ``GeV2``, ``cm``); only a ``"dimensionless"`` quantity is a
    bare number. Raises :class:`~darkreach.errors.UnitError` naming ``field`` on a malformed
    string, a missing or unknown unit, or a value that is not finite.

    >>> parse_quantity("1.5 cm", "length") / mm
    15.0
    >>> parse_quantity(10, "energy", "--mass")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    darkreach.errors.UnitError: --mass = 10 is invalid; allowed: a number with a unit (eV, ...)
    """
    table = _UNITS[dimension]
    allowed_units = ", ".join(u for u in table if "^" not in u) or "no unit"
    expected = (
        f"a number with a unit ({allowed_units})"
        if dimension != "dimensionless"
        else ("a plain number (no unit)")
    )
    if isinstance(text, bool):
        raise UnitError(field, text, expected)
    if isinstance(text, (int, float)):
        if dimension != "dimensionless":
            raise UnitError(field, text, expected)
        value = float(text)
        if not math.isfinite(value):
            raise UnitError(field, text, "a finite number")
        return value
    match = _QUANTITY.match(text)
    if match is None:
        raise UnitError(field, repr(text), expected)
    number, unit = match.groups()
    if unit not in table:
        lowered = {u.lower(): u for u in table}
        hint = f" (did you mean {lowered[unit.lower()]}?)" if unit.lower() in lowered else ""
        raise UnitError(field, repr(text), expected + hint)
    value = float(number) * table[unit]
    if not math.isfinite(value):
        raise UnitError(field, repr(text), "a finite number")
    return value


def format_quantity(value: float, unit: str = "MeV") -> str:
    """Format a hepunits energy ``value`` in ``unit`` with 4 significant digits."""
    scale = _ENERGY.get(unit) or _LENGTH.get(unit)
    if scale is None:
        raise UnitError("unit", unit, ", ".join([*_ENERGY, *_LENGTH]))
    return f"{value / scale:.4g} {unit}"
