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
_DEFAULT_UNIT: dict[Dimension, str] = {
    "energy": "MeV",
    "energy2": "MeV2",
    "length": "mm",
    "dimensionless": "",
}
_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z^0-9]*)\s*$")


def parse_quantity(
    text: str | float | int, dimension: Dimension = "energy", field: str = "quantity"
) -> float:
    """Convert ``text`` (e.g. ``"10MeV"``) to a float in hepunits.

    A bare number is read in the default unit of the dimension (MeV, MeV^2, mm).
    Raises :class:`~darkreach.errors.UnitError` naming ``field`` on a malformed string or an
    unknown unit.
    """
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise UnitError(field, text, "a finite number")
        return value * _UNITS[dimension][_DEFAULT_UNIT[dimension]]
    match = _QUANTITY.match(text)
    allowed_units = ", ".join(u for u in _UNITS[dimension] if "^" not in u) or "no unit"
    if match is None:
        raise UnitError(field, repr(text), f"a number with a unit ({allowed_units})")
    number, unit = match.groups()
    unit = unit or _DEFAULT_UNIT[dimension]
    table = _UNITS[dimension]
    if unit not in table:
        raise UnitError(field, repr(text), f"units {allowed_units}")
    return float(number) * table[unit]


def format_quantity(value: float, unit: str = "MeV") -> str:
    """Format a hepunits energy ``value`` in ``unit`` with 4 significant digits."""
    scale = _ENERGY.get(unit) or _LENGTH.get(unit)
    if scale is None:
        raise UnitError("unit", unit, ", ".join([*_ENERGY, *_LENGTH]))
    return f"{value / scale:.4g} {unit}"
