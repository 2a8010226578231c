"""The darkreach exception hierarchy.

Every error meant for a person names the field, the offending value and the allowed range,
in one line. The CLI prints ``str(error)`` and exits with code 2.

>>> raise InvalidParameterError("mass", -1.0, "> 0 MeV")
Traceback (most recent call last):
...
darkreach.errors.InvalidParameterError: mass = -1.0 is invalid; allowed: > 0 MeV
"""

from __future__ import annotations


class DarkreachError(Exception):
    """Base class of all errors raised on purpose by darkreach."""


class InvalidParameterError(DarkreachError, ValueError):
    """A parameter value is outside its allowed range or of the wrong kind."""

    def __init__(self, field: str, value: object, allowed: str, hint: str = "") -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.hint = hint
        message = f"{field} = {value} is invalid; allowed: {allowed}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)


class KinematicallyForbiddenError(InvalidParameterError):
    """The requested configuration is outside the kinematically allowed region."""


class BadCardError(DarkreachError, ValueError):
    """An experiment card is missing, unreadable or fails schema validation."""


class UnitError(InvalidParameterError):
    """A quantity string carries an unknown unit or a unit of the wrong dimension."""
