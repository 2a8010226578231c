"""pydantic's validation errors, translated into darkreach's one-line form.

Every card problem reads ``card FILE: FIELD = VALUE is invalid; allowed: RANGE``, whatever
pydantic's own wording ("Field required", "Value error, ...", "Extra inputs are not
permitted"); the number of further problems is appended.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from darkreach.errors import DarkreachError


def _model_at(root: type[BaseModel], location: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model class of the section at ``location`` (None if not a model)."""
    current: Any = root
    for part in location:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _unwrap(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """The BaseModel inside ``X | None``, ``tuple[X, ...]``, ``list[X]``, or the annotation."""
    for arg in getattr(annotation, "__args__", ()) or ():
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _unwrap(arg)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return inner
    return annotation


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "{...}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed(detail: ErrorDetails, root: type[BaseModel]) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    location = tuple(detail["loc"])
    if kind == "missing":
        model = _model_at(root, location[:-1])
        field = model.model_fields.get(str(location[-1])) if model else None
        what = field.description if field is not None and field.description else "a value"
        return f"{what} (required)"
    if kind == "extra_forbidden":
        model = _model_at(root, location[:-1])
        names = ", ".join(model.model_fields) if model else "the documented fields"
        return f"one of the known fields: {names}"
    if kind in ("literal_error", "enum"):
        return str(ctx.get("expected", "one of the listed values"))
    bounds = {
        "greater_than": "> {gt}",
        "greater_than_equal": ">= {ge}",
        "less_than": "< {lt}",
        "less_than_equal": "<= {le}",
        "string_too_short": "text of at least {min_length} characters",
        "too_short": "at least {min_length} entries",
        "too_long": "at most {max_length} entries",
        "string_pattern_mismatch": "text matching {pattern}",
    }
    if kind in bounds:
        return bounds[kind].format(**ctx)
    if kind == "value_error":
        message = str(ctx.get("error", detail["msg"]))
        return message.removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return detail["msg"].removeprefix("Input should be ").removesuffix(".")
    return detail["msg"].removeprefix("Value error, ")


def describe_validation_error(
    path: Path, error: ValidationError, root: type[BaseModel], what: str = "card"
) -> str:
    """One line for the first problem of ``error`` in ``what`` (card, spec) ``path``."""
    details = error.errors()
    first = details[0]
    location = ".".join(str(part) for part in first["loc"]) or "card"
    more = f" (+{len(details) - 1} more)" if len(details) > 1 else ""
    inner = (first.get("ctx") or {}).get("error")
    if isinstance(inner, DarkreachError):  # our own one-line error raised inside a validator
        return f"{what} {path.name}: {inner}{more}"
    value = "(missing)" if first["type"] == "missing" else _shown(first.get("input"))
    return (
        f"{what} {path.name}: {location} = {value} is invalid; "
        f"allowed: {_allowed(first, root)}{more}"
    )
