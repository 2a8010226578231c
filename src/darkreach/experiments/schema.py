"""Card schema shared by all experiment types (pydantic v2).

A card is a TOML file describing one data set or projection. Every number is a
:class:`Sourced` table carrying its value, optional uncertainty, its source (paper, table,
figure) and a status mark, e.g.::

    on_target = { value = 1.98e10, uncertainty = 0.02e10,
                  source = "NA64, PRL 132 (2024) 211803, arXiv:2401.01708, abstract",
                  status = "verified" }

Quantities with units are written as strings (``value = "160 GeV"``) and converted to hepunits
when read (:meth:`Sourced.quantity`). Status marks follow the handbook (physics/README.md):
``verified``, ``cross-check``, ``unverified`` (confirm before relying), ``assumption``
(a modelling choice of the card author, e.g. a placeholder for a projection) and
``calibrated``: a number that is not public but was fitted so that the card reproduces a named
published curve (handbook published_limits.md section 3). A calibrated number is sourced (its
``source`` names the curve it was fitted to) but not verified: it is only as good as the
modelling it was fitted through, and it makes the card reproduce that one curve by
construction.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from darkreach.errors import DarkreachError
from darkreach.units import Dimension, parse_quantity

SCHEMA_VERSION = 1

Status = Literal["verified", "cross-check", "unverified", "assumption", "calibrated"]
#: every status mark, in the order of the module docstring
STATUSES: tuple[str, ...] = get_args(Status)

#: Largest background (events) a card may state: the limit of darkreach.stats (MAX_EVENTS).
MAX_BACKGROUND_EVENTS = 1e6
#: Largest relative uncertainty (uncertainty / value) of a background.
MAX_RELATIVE_UNCERTAINTY = 10.0

_DIMENSIONS: tuple[Dimension, ...] = ("dimensionless", "energy", "energy2", "length")


def _dimension_of(text: float | str) -> Dimension | None:
    """The dimension a card value is written in (None if it parses in none)."""
    for dimension in _DIMENSIONS:
        try:
            parse_quantity(text, dimension)
        except ValueError:
            continue
        return dimension
    return None


class StrictModel(BaseModel):
    """Base for card sections: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(StrictModel):
    """A number (or quantity string) with its source and verification status."""

    value: float | str
    uncertainty: float | str | None = None
    source: str = Field(min_length=3)
    status: Status
    note: str = ""

    def number(self, field: str = "value") -> float:
        """The value as a dimensionless float (raises if it carries a unit)."""
        return parse_quantity(self.value, "dimensionless", field)

    def quantity(self, dimension: Dimension, field: str = "value") -> float:
        """The value converted to hepunits (bare numbers are read in MeV / MeV^2 / mm)."""
        return parse_quantity(self.value, dimension, field)

    def uncertainty_quantity(self, dimension: Dimension, field: str = "uncertainty") -> float:
        """The uncertainty in hepunits (0 when absent)."""
        if self.uncertainty is None:
            return 0.0
        return parse_quantity(self.uncertainty, dimension, field)

    @model_validator(mode="after")
    def _uncertainty_like_value(self) -> Sourced:
        """The uncertainty has the value's dimension (a unit iff the value has one), >= 0."""
        if self.uncertainty is None:
            return self
        value_dim = _dimension_of(self.value)
        if value_dim is None:  # a malformed value is reported where it is read
            return self
        unit = {
            "dimensionless": "a plain number (no unit)",
            "energy": "an energy with its unit",
            "energy2": "an energy^2 with its unit",
            "length": "a length with its unit",
        }[value_dim]
        try:
            u = parse_quantity(self.uncertainty, value_dim, "uncertainty")
        except ValueError:
            raise ValueError(
                f"uncertainty = {self.uncertainty!r} is invalid; allowed: {unit} like "
                f"value = {self.value!r}"
            ) from None
        if not (math.isfinite(u) and u >= 0.0):
            raise ValueError(f"uncertainty = {self.uncertainty!r} is invalid; allowed: >= 0")
        return self

    @property
    def is_verified(self) -> bool:
        """True for numbers read in a public reference or derived from such numbers.

        ``calibrated`` numbers are not verified: they were fitted to a published curve.
        """
        return self.status in ("verified", "cross-check")


class Reference(StrictModel):
    """A publication the card relies on."""

    key: str = Field(min_length=2, description="short label, e.g. 'NA64mu2024'")
    citation: str = Field(min_length=5)
    arxiv: str = ""
    doi: str = ""
    bibtex: str = ""


class CardHeader(StrictModel):
    """Fields common to every card, whatever its experiment type."""

    schema_version: Literal[1] = 1
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-_]*$")
    title: str = Field(min_length=3)
    experiment: str = Field(min_length=2)
    kind: Literal["data", "projection", "emulated"] = Field(
        description="data: a published data set; projection: a planned run; emulated: a "
        "published search whose inputs (counts, acceptance, background) are not public and were "
        "tuned to its published limits"
    )
    description: str = ""
    references: tuple[Reference, ...] = ()

    @property
    def curve_kind(self) -> Literal["observed", "expected", "emulated"]:
        """What a reach curve of this card is: observed (data), expected or emulated."""
        return {"data": "observed", "projection": "expected", "emulated": "emulated"}[self.kind]  # type: ignore[return-value]


class StatisticsSection(StrictModel):
    """Counting statistics of a data set (or the assumptions of a projection)."""

    observed: Sourced | None = Field(
        default=None, description="observed events in the signal region; absent for projections"
    )
    background: Sourced
    cl: float = Field(default=0.9, gt=0.0, lt=1.0)
    method: Literal["classical", "cls", "fc"] = "cls"
    signal_uncertainty: float = Field(default=0.0, ge=0.0, lt=1.0)

    @field_validator("observed")
    @classmethod
    def _observed_is_count(cls, v: Sourced | None) -> Sourced | None:
        if v is not None:
            n = float(v.value) if not isinstance(v.value, str) else float("nan")
            if not (0 <= n <= MAX_BACKGROUND_EVENTS and n == int(n)):
                raise ValueError(
                    f"observed.value = {v.value!r} is invalid; allowed: an integer in "
                    f"[0, {MAX_BACKGROUND_EVENTS:g}]"
                )
        return v

    @field_validator("background")
    @classmethod
    def _background_range(cls, v: Sourced) -> Sourced:
        b = v.number("statistics.background")
        if not 0.0 <= b <= MAX_BACKGROUND_EVENTS:
            raise ValueError(
                f"background = {v.value!r} is invalid; allowed: [0, {MAX_BACKGROUND_EVENTS:g}] "
                "events"
            )
        db = v.uncertainty_quantity("dimensionless", "statistics.background.uncertainty")
        if db > 0.0 and not db <= MAX_RELATIVE_UNCERTAINTY * b:
            raise ValueError(
                f"background.uncertainty = {v.uncertainty!r} is invalid; allowed: [0, "
                f"{MAX_RELATIVE_UNCERTAINTY:g} x background = {MAX_RELATIVE_UNCERTAINTY * b:g}]"
            )
        return v


class CardError(DarkreachError):
    """Raised by experiment types when a valid card cannot describe the requested case."""
