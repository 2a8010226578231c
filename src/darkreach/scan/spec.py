"""The scan specification: a TOML file naming the axes of a grid of reach curves.

```toml
[scan]
cards = ["na64mu-2022", "m3-phase1"]     # names or .toml paths
models = ["lmu-ltau", "lmu-ltau-dm"]
masses = "1MeV:1GeV:40"                  # A:B:N (log-spaced) or a list ["1MeV", "10MeV"]
cl = 0.9                                 # optional: a number or a list (default: each card's)
method = "cls"                           # optional: a name or a list (default: each card's)
[scan.options]                           # each a non-empty list
alpha_d = [0.1, 0.5]
ratio = [2.5, 3.0]
```

**Expansion rule.** The tasks are the product cards x models x cl x method x (the option axes
*that the model takes*). An axis a model does not take is not multiplied for that model: with
``models = ["lmu-ltau", "lmu-ltau-dm"]`` and ``alpha_d = [0.1, 0.5]`` there is one
``lmu-ltau`` task per card and two ``lmu-ltau-dm`` tasks per card. An axis that no model of the
spec takes is an error (it would silently do nothing). Which model takes which axis is
:data:`AXES`.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from darkreach.errors import DarkreachError, InvalidParameterError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DM_MODELS = ("lmu-ltau-dm", "dark-photon-dm")


@dataclass(frozen=True)
class Axis:
    """One option axis: the model option it sets and the models that take it."""

    option: str
    models: tuple[str, ...]
    help: str


#: option axis of a spec -> the model option (registry name) and the models that take it
AXES: dict[str, Axis] = {
    "alpha_d": Axis("alpha_d", DM_MODELS, "dark coupling alpha_D, 0 < alpha_D < 4 pi"),
    "ratio": Axis("mass_ratio", DM_MODELS, "m_Z'/m_chi > 0"),
    "dm": Axis("kind", DM_MODELS, "complex-scalar, majorana, pseudo-dirac, dirac"),
    "delta": Axis("delta", DM_MODELS, "pseudo-Dirac splitting >= 0"),
    "neutrinos": Axis("neutrinos", ("lmu-ltau", "lmu-ltau-dm", "b-l"), "left, dirac"),
    "dark_coupling": Axis("dark_coupling", ("scalar", "pseudoscalar"), "Yukawa to chi >= 0"),
}


class SpecError(DarkreachError, ValueError):
    """A scan spec that cannot be read or fails validation (one line)."""


class ScanOptions(BaseModel):
    """``[scan.options]``: each axis a non-empty list of values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    alpha_d: list[float] | None = Field(default=None, min_length=1)
    ratio: list[float] | None = Field(default=None, min_length=1)
    dm: list[str] | None = Field(default=None, min_length=1)
    delta: list[float] | None = Field(default=None, min_length=1)
    neutrinos: list[str] | None = Field(default=None, min_length=1)
    dark_coupling: list[float] | None = Field(default=None, min_length=1)


class ScanSection(BaseModel):
    """``[scan]``: cards, models, masses, optional cl and method, and the option axes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cards: list[str] = Field(min_length=1, description="a list of card names or .toml paths")
    models: list[str] = Field(min_length=1, description="a list of model names")
    masses: str | list[str] = Field(description='"A:B:N" with units or a list of masses')
    cl: float | list[float] | None = None
    method: str | list[str] | None = None
    options: ScanOptions = Field(default_factory=ScanOptions)

    @field_validator("models")
    @classmethod
    def _known_models(cls, value: list[str]) -> list[str]:
        from darkreach.models.registry import MODEL_NAMES

        for name in value:
            if name not in MODEL_NAMES:
                raise ValueError(f"one of {', '.join(MODEL_NAMES)} (not {name!r})")
        return value

    @field_validator("method")
    @classmethod
    def _known_methods(cls, value: str | list[str] | None) -> str | list[str] | None:
        from darkreach.reach import METHODS

        for name in [value] if isinstance(value, str) else value or []:
            if name not in METHODS:
                raise ValueError(f"one of {', '.join(METHODS)} (not {name!r})")
        return value

    @field_validator("cl")
    @classmethod
    def _valid_cl(cls, value: float | list[float] | None) -> float | list[float] | None:
        for level in [value] if isinstance(value, float) else value or []:
            if not 0.0 < level < 1.0:
                raise ValueError(f"0 < cl < 1 (not {level})")
        if isinstance(value, list) and not value:
            raise ValueError("a number or a non-empty list")
        return value


class ScanFile(BaseModel):
    """The whole file: one ``[scan]`` table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scan: ScanSection = Field(description="a [scan] table")


@dataclass(frozen=True)
class Spec:
    """A validated scan spec: its file, the parsed section and the mass grid in MeV."""

    path: Path
    section: ScanSection
    masses: tuple[float, ...]

    @property
    def hash(self) -> str:
        """SHA-256 of the validated spec (not of its text: comments and order do not count)."""
        text = json.dumps(self.section.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()

    def axes_for(self, model: str) -> dict[str, list[Any]]:
        """The option axes (spec names -> values) multiplied for ``model``."""
        values = self.section.options.model_dump(exclude_none=True)
        return {name: vals for name, vals in values.items() if model in AXES[name].models}

    def combinations(self, model: str) -> list[dict[str, Any]]:
        """Every option combination of ``model`` (spec axis names), in spec order."""
        axes = self.axes_for(model)
        names = list(axes)
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*axes.values())]

    def levels(self) -> list[float | None]:
        """The confidence levels (None: each card's own)."""
        value = self.section.cl
        return [None] if value is None else [value] if isinstance(value, float) else list(value)

    def methods(self) -> list[str | None]:
        """The limit methods (None: each card's own)."""
        value = self.section.method
        return [None] if value is None else [value] if isinstance(value, str) else list(value)


def model_options(model: str, options: dict[str, Any]) -> dict[str, Any]:
    """Spec axis values -> :func:`darkreach.models.registry.get_model` options."""
    return {AXES[name].option: value for name, value in options.items()}


def _masses(value: str | list[str], path: Path) -> tuple[float, ...]:
    from darkreach.cli._common import parse_mass_grid

    text = value if isinstance(value, str) else ",".join(value)
    if not text.strip():
        raise SpecError(f"spec {path.name}: scan.masses = {value!r} is invalid; allowed: masses")
    try:
        grid = parse_mass_grid(text, field="scan.masses")
    except InvalidParameterError as exc:
        raise SpecError(f"spec {path.name}: {exc}") from None
    return tuple(float(m) for m in grid)


def _check_axes(spec: Spec) -> None:
    """Unused axes and values a model refuses: one line each, before anything runs."""
    from darkreach.models.registry import get_model

    given = spec.section.options.model_dump(exclude_none=True)
    for name in given:
        if not set(AXES[name].models) & set(spec.section.models):
            raise SpecError(
                f"spec {spec.path.name}: scan.options.{name} is invalid for the models "
                f"{', '.join(spec.section.models)}; allowed: models {', '.join(AXES[name].models)}"
            )
    for model in spec.section.models:
        for name, values in spec.axes_for(model).items():
            for value in values:
                try:
                    get_model(model, **model_options(model, {name: value}))
                except InvalidParameterError as exc:
                    raise SpecError(
                        f"spec {spec.path.name}: scan.options.{name} = {value!r} is invalid for "
                        f"model {model}; allowed: {exc.allowed}"
                    ) from None
        for combo in spec.combinations(model):  # values that are fine alone but not together
            try:
                get_model(model, **model_options(model, combo))
            except InvalidParameterError as exc:
                raise SpecError(
                    f"spec {spec.path.name}: scan.options {combo} is invalid for model {model}; "
                    f"allowed: {exc}"
                ) from None


def _check_cards(spec: Spec) -> None:
    """Every card loads, and every card can compute every model of the spec."""
    from darkreach.errors import BadCardError
    from darkreach.experiments.registry import get_experiment
    from darkreach.models.registry import get_model

    models = [get_model(name) for name in spec.section.models]
    for card in spec.section.cards:
        try:
            experiment = get_experiment(_card_ref(card, spec.path))
        except BadCardError as exc:
            raise SpecError(f"spec {spec.path.name}: scan.cards: {exc}") from None
        require: Any = getattr(experiment, "require_model", None)
        for model in models if require is not None else []:
            try:
                require(model)
            except InvalidParameterError as exc:
                raise SpecError(
                    f"spec {spec.path.name}: scan.models = {model.name!r} is invalid with card "
                    f"{card}; allowed: {exc.allowed} (write one spec per kind of card)"
                ) from None


def _card_ref(card: str, spec_path: Path) -> str:
    """A card path relative to the spec file's directory, else the name as given."""
    if card.endswith(".toml") and not Path(card).is_absolute():
        beside = spec_path.parent / card
        if beside.is_file():
            return str(beside)
    return card


def card_ref(spec: Spec, card: str) -> str:
    """How to load ``card`` of ``spec`` (a relative path is taken beside the spec)."""
    return _card_ref(card, spec.path)


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec; raise :class:`SpecError` (one line) on any problem."""
    path = Path(path)
    if not path.is_file():
        raise SpecError(f"spec = {str(path)!r} is invalid; allowed: an existing .toml file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError(f"spec {path.name}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"spec {path.name}: is not valid TOML ({exc})") from None
    try:
        parsed = ScanFile.model_validate(raw)
    except ValidationError as exc:
        from darkreach.experiments.card_errors import describe_validation_error

        raise SpecError(describe_validation_error(path, exc, ScanFile, what="spec")) from None
    spec = Spec(path=path, section=parsed.scan, masses=_masses(parsed.scan.masses, path))
    _check_cards(spec)
    _check_axes(spec)
    return spec


def spec_axes(spec: Spec) -> Sequence[str]:
    """The option axes the spec names, in the order of :data:`AXES`."""
    given = spec.section.options.model_dump(exclude_none=True)
    return [name for name in AXES if name in given]
