"""Experiment types and the cards shipped with darkreach.

A card is found by name (``na64mu-2022``: a file ``cards/na64mu-2022.toml`` in the package)
or by path (any ``.toml`` file). Its ``type`` key selects the experiment type, whose pydantic
model validates it and whose class computes yields and reach.

>>> [c.name for c in available_cards()][:1]
['m3-phase1']
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from darkreach.errors import BadCardError
from darkreach.experiments.schema import CardHeader

if TYPE_CHECKING:
    from darkreach.experiments.base import Experiment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class CardModel(Protocol):
    """What the registry needs from a validated card."""

    name: str
    title: str
    kind: str


#: experiment type -> "module:card_class:experiment_class" (imported lazily)
EXPERIMENT_TYPES: dict[str, str] = {
    "missing-momentum": (
        "darkreach.experiments.missing_momentum:MissingMomentumCard:MissingMomentum"
    ),
    "missing-energy": "darkreach.experiments.missing_energy:MissingEnergyCard:MissingEnergy",
    "kaon-invisible": "darkreach.experiments.kaon:KaonInvisibleCard:KaonInvisible",
    "kaon-dimuon": "darkreach.experiments.kaon:KaonDimuonCard:KaonDimuon",
    "kaon-hnl": "darkreach.experiments.kaon:KaonHNLCard:KaonHNL",
    "beam-dump": "darkreach.experiments.dump:BeamDumpCard:BeamDump",
    "kaon-pion-invisible": (
        "darkreach.experiments.kaon.pion_invisible:KaonPionInvisibleCard:KaonPionInvisible"
    ),
    "kaon-pion-visible": (
        "darkreach.experiments.kaon.pion_visible:KaonPionVisibleCard:KaonPionVisible"
    ),
    "charge-exchange-invisible": (
        "darkreach.experiments.meson_invisible:ChargeExchangeInvisibleCard:ChargeExchangeInvisible"
    ),
}


@dataclass(frozen=True)
class CardInfo:
    """One line of ``darkreach cards``."""

    name: str
    title: str
    type: str
    kind: str
    references: tuple[str, ...]
    path: Path


def _type_classes(type_name: str) -> tuple[type[BaseModel], Any]:
    spec = EXPERIMENT_TYPES[type_name]
    module_name, card_cls, exp_cls = spec.split(":")
    module = importlib.import_module(module_name)
    return getattr(module, card_cls), getattr(module, exp_cls)


def _card_dir() -> Path:
    return Path(str(resources.files("darkreach.experiments") / "cards"))


def card_path(name_or_path: str | Path) -> Path:
    """Resolve a card name or a path to an existing file, or raise BadCardError."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise BadCardError(f"card = {str(name_or_path)!r} is invalid; no such file")
        return candidate
    shipped = _card_dir() / f"{name_or_path}.toml"
    if shipped.is_file():
        return shipped
    names = ", ".join(sorted(p.stem for p in _card_dir().glob("*.toml")))
    raise BadCardError(f"card = {str(name_or_path)!r} is unknown; allowed: {names} or a .toml path")


def _format_validation_error(path: Path, error: ValidationError, root: type[BaseModel]) -> str:
    from darkreach.experiments.card_errors import describe_validation_error

    return describe_validation_error(path, error, root)


def load_card(name_or_path: str | Path) -> Any:
    """Read and validate a card; raise BadCardError with one readable line on failure."""
    path = card_path(name_or_path)
    raw = _read_toml(path)
    type_name = raw.get("type")
    if type_name not in EXPERIMENT_TYPES:
        allowed = ", ".join(sorted(EXPERIMENT_TYPES))
        raise BadCardError(
            f"card {path.name}: field type = {type_name!r} is invalid; allowed: {allowed}"
        )
    card_cls, _ = _type_classes(type_name)
    try:
        return card_cls.model_validate(raw)
    except ValidationError as exc:
        raise BadCardError(_format_validation_error(path, exc, card_cls)) from None


def get_experiment(name_or_path: str | Path) -> Experiment:
    """The experiment type bound to a card (by name or path)."""
    card = load_card(name_or_path)
    _, exp_cls = _type_classes(card.type)
    experiment: Experiment = exp_cls(card)
    return experiment


class _CardSummary(CardHeader):
    """The header of a card of any type (the type's own sections are not validated here)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    type: str


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadCardError(f"card {path.name}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadCardError(f"card {path.name}: is not valid TOML ({exc})") from None
    return raw


def available_cards() -> list[CardInfo]:
    """All cards shipped with the package, sorted by name (headers only: no physics imported).

    Every shipped card is validated in full by the test suite; this listing reads the common
    header (name, title, type, kind, references).
    """
    infos = []
    for path in sorted(_card_dir().glob("*.toml")):
        try:
            card = _CardSummary.model_validate(_read_toml(path))
        except ValidationError as exc:
            raise BadCardError(_format_validation_error(path, exc, _CardSummary)) from None
        infos.append(
            CardInfo(
                name=card.name,
                title=card.title,
                type=card.type,
                kind=card.kind,
                references=tuple(
                    f"{ref.key} (arXiv:{ref.arxiv})" if ref.arxiv else ref.key
                    for ref in card.references
                ),
                path=path,
            )
        )
    return infos
