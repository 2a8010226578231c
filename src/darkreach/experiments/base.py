"""The interface every experiment type implements.

Code implements experiment *types* (missing momentum, kaon decay, ...); data sets are cards.
An experiment type is built from a validated card and answers two questions for a model:
how many signal events at a given mass and coupling (:meth:`Experiment.signal_yield`), and
which couplings are excluded or reachable (:meth:`Experiment.reach`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, runtime_checkable

from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.schema import CardHeader
from darkreach.results import ReachCurve

if TYPE_CHECKING:
    from darkreach.models.base import Model


@runtime_checkable
class Experiment(Protocol):
    """An experiment type bound to one card."""

    #: registry names of the models this type can compute
    supported_models: tuple[str, ...]

    @property
    def name(self) -> str:
        """The card name."""
        ...

    @property
    def title(self) -> str:
        """Human-readable title of the card (legend label)."""
        ...

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Expected signal events after selection for each mass (MeV) and coupling."""
        ...

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Lower edge (and upper edge, if any) of the excluded coupling at each mass.

        ``cl`` and ``method`` default to the card's statistics section.
        """
        ...


CardT = TypeVar("CardT", bound=CardHeader)


class CardExperiment(Generic[CardT]):
    """Base of the experiment types: holds the validated card, names itself after it."""

    def __init__(self, card: CardT) -> None:
        self.card = card

    @property
    def name(self) -> str:
        """The card name."""
        return self.card.name

    @property
    def title(self) -> str:
        """Human-readable title of the card (legend label)."""
        return self.card.title

    supported_models: tuple[str, ...] = ()

    def require_model(self, model: Model) -> None:
        """InvalidParameterError unless this type can compute ``model`` for this card."""
        if model.name not in self.supported_models:
            raise InvalidParameterError(
                "model", model.name, f"{', '.join(self.supported_models)} for card {self.name}"
            )
