"""Invisible decays of neutral mesons made by charge exchange: ``charge-exchange-invisible``.

NA64h (handbook bounds_and_new_channels.md section 3; arXiv:2406.01990): a pi- beam on an
active target makes forward neutral mesons M0 (eta, eta', ...) by charge exchange; M0 ->
invisible shows as the disappearance of the beam energy. Per meson
(:mod:`darkreach.production.charge_exchange`)::

    N_sig(M) = N_piOT f_M BR(M -> invisible) eps_M

The observable is the upper limit BR(M -> invisible) < S_up / (N_piOT f_M eps_M), S_up the Poisson
limit of the card's statistics (observed count for data, the median expected limit for a
projection). :meth:`ChargeExchangeInvisible.branching_ratio_limit` gives it per meson.

Models: a model maps onto this type when it gives BR(M -> invisible) as a function of its mass
and coupling (:class:`MesonInvisibleModel`). None of the shipped models does: vector mediators
(dark photon, B-L, L_mu - L_tau, with or without dark matter) cannot take a C-even
pseudoscalar meson to a fermion pair through one mediator (C parity: eta -> V* -> chi chibar is
forbidden); they give eta -> gamma chi chibar (semi-invisible), which this signature does not
select. ``reach`` with such a model is a one-line error naming the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field, model_validator

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.schema import CardHeader, Sourced, StatisticsSection, StrictModel
from darkreach.production import charge_exchange
from darkreach.results import ReachCurve
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = [
    "ChargeExchangeInvisible",
    "ChargeExchangeInvisibleCard",
    "MesonInvisibleModel",
    "MesonSection",
]

#: mesons a charge-exchange card may list (pi- p -> M0 n; handbook section 3)
KNOWN_MESONS = ("pi0", "eta", "eta'", "omega", "K0")


@runtime_checkable
class MesonInvisibleModel(Protocol):
    """A model that predicts BR(M -> invisible) for a neutral meson M (name of the card)."""

    name: str

    def meson_invisible_branching_ratio(
        self, meson: str, mass: ArrayLike, coupling: ArrayLike
    ) -> FloatArray:
        """BR(M -> invisible) at mediator mass [MeV] and model coupling."""
        ...


class ChargeExchangeBeam(StrictModel):
    """The hadron beam: particle, energy and number on target."""

    particle: Literal["pi-", "K-"]
    energy: Sourced
    particles_on_target: Sourced

    @model_validator(mode="after")
    def _positive(self) -> ChargeExchangeBeam:
        if not self.particles_on_target.number("beam.particles_on_target") > 0:
            raise ValueError("beam.particles_on_target must be > 0")
        if not self.energy.quantity("energy", "beam.energy") > 0:
            raise ValueError("beam.energy must be > 0")
        return self


class MesonSection(StrictModel):
    """One neutral meson: forward-production fraction f_M and signal efficiency."""

    name: str
    fraction: Sourced = Field(description="f_M: forward M0 per beam particle")
    efficiency: Sourced = Field(description="eps_M: signal efficiency (0, 1]")

    @model_validator(mode="after")
    def _ranges(self) -> MesonSection:
        if self.name not in KNOWN_MESONS:
            raise ValueError(f"mesons.name = {self.name!r}; allowed: {', '.join(KNOWN_MESONS)}")
        if not 0.0 < self.fraction.number("mesons.fraction") < 1.0:
            raise ValueError(f"mesons.{self.name}.fraction must be in (0, 1)")
        if not 0.0 < self.efficiency.number("mesons.efficiency") <= 1.0:
            raise ValueError(f"mesons.{self.name}.efficiency must be in (0, 1]")
        return self


class ChargeExchangeInvisibleCard(CardHeader):
    """Card of a charge-exchange search for M0 -> invisible (NA64h)."""

    type: Literal["charge-exchange-invisible"]
    beam: ChargeExchangeBeam
    mesons: tuple[MesonSection, ...] = Field(min_length=1)
    statistics: StatisticsSection

    @model_validator(mode="after")
    def _consistent(self) -> ChargeExchangeInvisibleCard:
        names = [m.name for m in self.mesons]
        if len(set(names)) != len(names):
            raise ValueError(f"mesons: names must be distinct, got {', '.join(names)}")
        if self.kind == "data" and self.statistics.observed is None:
            raise ValueError("statistics.observed is required for kind = data")
        return self


class ChargeExchangeInvisible(CardExperiment[ChargeExchangeInvisibleCard]):
    """NA64h-like search for M0 -> invisible, bound to one card (module docstring).

    >>> from darkreach.experiments.registry import get_experiment
    >>> exp = get_experiment("na64h-2022")
    >>> f"{float(exp.branching_ratio_limit('eta')):.2g}"
    '0.00011'
    """

    supported_models: tuple[str, ...] = ()

    @property
    def meson_names(self) -> tuple[str, ...]:
        """The mesons of the card, in card order."""
        return tuple(m.name for m in self.card.mesons)

    def meson(self, name: str) -> MesonSection:
        """The card section of meson ``name``; a one-line error naming ``meson`` otherwise."""
        for section in self.card.mesons:
            if section.name == name:
                return section
        raise InvalidParameterError(
            "meson", name, f"{', '.join(self.meson_names)} (card {self.name})"
        )

    @property
    def particles_on_target(self) -> float:
        """N_piOT (or N_KOT)."""
        return self.card.beam.particles_on_target.number("beam.particles_on_target")

    def signal_limit(self, cl: float | None = None, method: str | None = None) -> float:
        """S_up: the observed-count limit (data) or the median expected limit (projection)."""
        from darkreach.stats import expected_limits, upper_limit

        stats = self.card.statistics
        level = stats.cl if cl is None else check_cl(cl)
        how = stats.method if method is None else method
        if how not in ("classical", "cls", "fc"):
            raise InvalidParameterError("method", how, "classical, cls, fc")
        b = stats.background.number("statistics.background")
        db = stats.background.uncertainty_quantity(
            "dimensionless", "statistics.background.uncertainty"
        )
        if stats.observed is not None:
            n = int(stats.observed.number())
            return float(
                upper_limit(
                    n,
                    b,
                    cl=level,
                    method=how,  # type: ignore[arg-type]
                    background_uncertainty=db,
                    signal_uncertainty=stats.signal_uncertainty,
                )
            )
        bands = expected_limits(b, cl=level, method=how, background_uncertainty=db)  # type: ignore[arg-type]
        return float(bands.median)

    def meson_signal(self, meson: str, branching_ratio: ArrayLike) -> FloatArray:
        """N_sig = N_piOT f_M BR eps_M for BR(M -> invisible) (array)."""
        sec = self.meson(meson)
        return charge_exchange.signal_events(
            self.particles_on_target,
            sec.fraction.number(),
            branching_ratio,
            sec.efficiency.number(),
        )

    def branching_ratio_limit(
        self, meson: str, *, cl: float | None = None, method: str | None = None
    ) -> float:
        """Upper limit (data) or expected sensitivity (projection) on BR(M -> invisible)."""
        sec = self.meson(meson)
        return float(
            charge_exchange.branching_ratio_limit(
                self.signal_limit(cl, method),
                self.particles_on_target,
                sec.fraction.number(),
                sec.efficiency.number(),
            )
        )

    # ------------------------------------------------------------- Experiment protocol
    def _model(self, model: Model) -> MesonInvisibleModel:
        if not isinstance(model, MesonInvisibleModel):
            raise InvalidParameterError(
                "model",
                model.name,
                "a model with BR(meson -> invisible) (MesonInvisibleModel); none of the shipped "
                "models has one (use `darkreach meson-inv` for the BR limits)",
            )
        return model

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events summed over the card's mesons for a MesonInvisibleModel."""
        mod = self._model(model)
        total = np.zeros(np.broadcast(np.asarray(masses), np.asarray(coupling)).shape)
        for name in self.meson_names:
            br = mod.meson_invisible_branching_ratio(name, masses, coupling)
            total = total + self.meson_signal(name, br)
        return np.asarray(total)

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Lower coupling edge for a MesonInvisibleModel (bisection in log coupling)."""
        mod = self._model(model)
        from darkreach.solve import coupling_interval

        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        s_up = self.signal_limit(cl, method)

        def yield_fn(g: FloatArray) -> FloatArray:
            return self.signal_yield(mod, m, g)  # type: ignore[arg-type]

        low, high = coupling_interval(yield_fn, s_up, m.size)
        return ReachCurve(
            card=self.name,
            card_title=self.title,
            model=model.name,
            model_label=model.label,
            coupling_symbol=model.coupling_symbol,
            masses=m,
            coupling=low,
            cl=self.card.statistics.cl if cl is None else cl,
            method=self.card.statistics.method if method is None else method,
            kind=self.card.curve_kind,
            coupling_upper=high if np.any(np.isfinite(high)) else None,
        )
