"""What the missing-momentum (muon) and missing-energy (electron) types share.

Both search for an X radiated by a lepton beam in an active target that escapes unseen; they
differ only in how the per-coupling yield is computed (muon_brem along the target, or
electron_brem over the shower's track lengths). Shared here: the beam section (e-, e+, mu-,
mu+: each type accepts the particles its physics covers), the efficiency section (constant or
table, incl. ``calibrated`` tables), the statistics (observed or expected limits) and the
reach (coupling edges from the yield and the probability that X is not seen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator

from darkreach.array_types import FloatArray
from darkreach.constants import m_e, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.schema import (
    CardHeader,
    Sourced,
    StatisticsSection,
    Status,
    StrictModel,
)
from darkreach.physics.decay import unseen_probability
from darkreach.results import ReachCurve
from darkreach.solve import coupling_edges
from darkreach.validate import checked_array

if TYPE_CHECKING:
    from darkreach.models.base import BosonSpin, Model

BeamParticle = Literal["e-", "e+", "mu-", "mu+"]
#: lepton mass [MeV] of each beam particle
LEPTON_MASS: dict[str, float] = {"e-": m_e, "e+": m_e, "mu-": m_mu, "mu+": m_mu}


class Beam(StrictModel):
    """A lepton beam: the particle (e-, e+, mu-, mu+), its energy and the particles on target.

    Each experiment type accepts the particles its physics covers (``allowed_particles``).
    """

    particle: BeamParticle
    energy: Sourced
    on_target: Sourced = Field(description="particles on target (EOT, MOT)")

    @model_validator(mode="after")
    def _values(self) -> Beam:
        mass = LEPTON_MASS[self.particle]
        if self.energy.quantity("energy", "beam.energy") <= 2 * mass:
            raise ValueError(
                f"beam.energy = {self.energy.value!r} is invalid; allowed: > 2 x "
                f"{mass:.4g} MeV ({self.particle})"
            )
        if not self.on_target.number("beam.on_target") > 0:
            raise ValueError(f"on_target must be > 0, got {self.on_target.value!r}")
        return self

    @property
    def lepton_mass(self) -> float:
        """Mass of the beam particle [MeV]."""
        return LEPTON_MASS[self.particle]


def check_beam_particle(beam: Beam, allowed: tuple[str, ...], type_name: str, hint: str) -> None:
    """ValueError (card validation) unless the beam particle suits the experiment type."""
    if beam.particle not in allowed:
        raise ValueError(
            f"beam.particle = {beam.particle!r} is invalid for type {type_name}; allowed: "
            f"{', '.join(allowed)} ({hint})"
        )


class EfficiencyTable(StrictModel):
    """Signal efficiency tabulated in mass.

    Interpolated linearly in log(mass) between the nodes and flat (the end value) beyond the
    first and last node. Masses are bare numbers in MeV or strings with a unit, in any order.
    With ``status = "calibrated"`` the values were fitted so that the card reproduces the
    published curve named in ``source`` (``darkreach calibrate``); ``note`` says how.
    """

    masses: tuple[float | str, ...] = Field(min_length=2)
    values: tuple[float, ...] = Field(min_length=2)
    source: str = Field(min_length=3)
    status: Status
    note: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> EfficiencyTable:
        if len(self.masses) != len(self.values):
            raise ValueError("efficiency table: masses and values differ in length")
        if any(not 0.0 <= v <= 1.0 for v in self.values):
            raise ValueError("efficiency table: values must be in [0, 1]")
        grid = self.grid()
        if not np.all(np.isfinite(grid) & (grid > 0.0)):
            raise ValueError("efficiency.table.masses: allowed: masses > 0 (MeV or with a unit)")
        if np.unique(grid).size != grid.size:
            raise ValueError("efficiency.table.masses: allowed: distinct masses")
        return self

    def grid(self) -> FloatArray:
        """The node masses in MeV (in the order written)."""
        from darkreach.units import parse_quantity

        return np.array(
            [parse_quantity(m, "energy", "efficiency.table.masses") for m in self.masses]
        )

    def __call__(self, masses: FloatArray) -> FloatArray:
        """Efficiency at ``masses`` [MeV]: linear in log(mass), flat beyond the end nodes."""
        grid = self.grid()
        order = np.argsort(grid)
        values: FloatArray = np.interp(
            np.log(masses), np.log(grid[order]), np.array(self.values)[order]
        )
        return values


class Efficiency(StrictModel):
    """Signal efficiency: a constant or a table in mass, optionally times a ``scale``.

    ``scale`` (a dimensionless Sourced number, default 1) multiplies the constant or table:
    a yield factor assumed for a projection relative to the data set the table was
    calibrated on (NA64mu's own projections assume 4 x the 2022 yield per muon). The scaled
    efficiency must stay <= 1.
    """

    constant: Sourced | None = None
    table: EfficiencyTable | None = None
    scale: Sourced | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Efficiency:
        if (self.constant is None) == (self.table is None):
            raise ValueError("give exactly one of efficiency.constant or efficiency.table")
        if self.constant is not None and not 0.0 < self.constant.number() <= 1.0:
            raise ValueError(f"efficiency must be in (0, 1], got {self.constant.value!r}")
        factor = self.factor
        if not (np.isfinite(factor) and factor > 0.0):
            raise ValueError(f"efficiency.scale = {factor!r} is invalid; allowed: > 0")
        if self.constant is not None:
            largest = self.constant.number()
        else:
            assert self.table is not None
            largest = max(self.table.values)
        if largest * factor > 1.0:
            raise ValueError(
                f"efficiency.scale = {factor:g} is invalid; allowed: <= {1.0 / largest:.4g} "
                f"(scale x largest efficiency {largest:g} must stay <= 1)"
            )
        return self

    @property
    def factor(self) -> float:
        """The scale (1 when absent)."""
        return 1.0 if self.scale is None else self.scale.number("efficiency.scale")

    def __call__(self, masses: FloatArray) -> FloatArray:
        if self.constant is not None:
            base = np.full_like(masses, self.constant.number())
        else:
            assert self.table is not None
            base = self.table(masses)
        result: FloatArray = base * self.factor
        return result


class InvisibleCard(CardHeader):
    """Sections every invisible-search beam card has (the type adds target and selection)."""

    beam: Beam
    efficiency: Efficiency
    statistics: StatisticsSection

    @model_validator(mode="after")
    def _observed_for_data(self) -> InvisibleCard:
        if self.kind == "data" and self.statistics.observed is None:
            raise ValueError("a data card needs statistics.observed")
        return self


InvisibleCardT = TypeVar("InvisibleCardT", bound=InvisibleCard)


class InvisibleSearch(CardExperiment[InvisibleCardT]):
    """Signal, statistics and reach shared by the beam types with an unseen X.

    Subclasses provide :meth:`coupling_yield` (events per unit model coupling squared before
    the probability that X is not seen), :meth:`max_mass`, :meth:`check_masses`,
    :meth:`reach_notes` and the attributes ``_decay_energy`` (X energy [MeV] for the decay
    length) and ``_downstream_length`` [mm]. The card has ``kind``, ``statistics``.
    """

    @property
    def _decay_energy(self) -> float:
        """X energy [MeV] at which the decay length is evaluated."""
        raise NotImplementedError

    @property
    def _downstream_length(self) -> float:
        """Target to the end of the last veto [mm]."""
        raise NotImplementedError

    def coupling_yield(self, model: Model, spin: BosonSpin, masses: FloatArray) -> FloatArray:
        """Events per unit model coupling squared at ``masses`` (before decays)."""
        raise NotImplementedError

    def max_mass(self) -> float:
        """Largest X mass [MeV] kinematically allowed."""
        raise NotImplementedError

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Validate a mass array [MeV]."""
        raise NotImplementedError

    def reach_notes(self) -> tuple[str, ...]:
        """Card-specific notes of the reach curve (beam, production)."""
        raise NotImplementedError

    def signal_probability(
        self, model: Model, masses: FloatArray, coupling: FloatArray
    ) -> FloatArray:
        """Probability that an emitted X is not seen: BR_inv + (1 - BR_inv) exp(-L/lambda)."""
        br_inv = np.asarray(model.invisible_fraction(masses, coupling), dtype=float)
        energy = np.maximum(self._decay_energy, masses * (1 + 1e-9))
        momentum = np.sqrt(energy**2 - masses**2)
        length = np.asarray(model.decay_length(masses, coupling, momentum), dtype=float)
        return unseen_probability(br_inv, self._downstream_length, length)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Expected signal events for each mass [MeV] at coupling ``coupling``."""
        spin = self._check_model(model)
        m = self.check_masses(masses)
        g = np.broadcast_to(np.asarray(coupling, dtype=float), m.shape)
        if np.any(~np.isfinite(g) | (g < 0)):
            raise InvalidParameterError("coupling", float(np.min(g)), ">= 0")
        unit = self.coupling_yield(model, spin, m)
        result: FloatArray = g**2 * unit * self.signal_probability(model, m, g)
        return result

    def _check_model(self, model: Model) -> BosonSpin:
        """The model's boson spin; InvalidParameterError for models this type cannot produce."""
        self.require_model(model)
        spin = model.spin
        if spin == "fermion":
            raise InvalidParameterError("model", model.name, "a boson model")
        return spin

    def calibration_inputs(
        self, masses: FloatArray, cl: float, method: str
    ) -> tuple[FloatArray, FloatArray]:
        """(event limit s_up, efficiency) at ``masses`` [MeV]: what :mod:`darkreach.calibrate`
        rescales (eps_new = eps_old s_up / S_old)."""
        _, limits = self.signal_limits(cl, method)
        s_up = np.full(masses.shape, float(limits["central"]))
        return s_up, np.asarray(self.card.efficiency(masses), dtype=float)

    def signal_limits(self, cl: float, method: str) -> tuple[str, dict[str, float]]:
        """The event limit(s): observed for data, expected median and bands for projections."""
        from darkreach.stats import expected_limits, upper_limit

        stats = self.card.statistics
        b = stats.background.number("statistics.background")
        db = stats.background.uncertainty_quantity(
            "dimensionless", "statistics.background.uncertainty"
        )
        if self.card.kind == "data":
            assert stats.observed is not None
            n = int(stats.observed.number())
            s_up = upper_limit(
                n,
                b,
                cl=cl,
                method=method,  # type: ignore[arg-type]
                background_uncertainty=db,
                signal_uncertainty=stats.signal_uncertainty,
            )
            return "observed", {"central": s_up}
        bands = expected_limits(
            b,
            cl=cl,
            method=method,  # type: ignore[arg-type]
            background_uncertainty=db,
        )
        return "expected", {
            "central": bands.median,
            "minus2": bands.minus2,
            "minus1": bands.minus1,
            "plus1": bands.plus1,
            "plus2": bands.plus2,
        }

    def reach(
        self,
        model: Model,
        masses: ArrayLike,
        *,
        cl: float | None = None,
        method: str | None = None,
    ) -> ReachCurve:
        """Excluded (data) or expected (projection) coupling at each mass [MeV].

        Masses at or beyond the kinematic edge E0 - m_lepton get NaN (no limit) rather than an
        error, so that cards of different beam energies can share one mass grid.
        """
        spin = self._check_model(model)
        m = checked_array(masses, "mass", unit="MeV").reshape(-1)
        cl = self.card.statistics.cl if cl is None else cl
        method = self.card.statistics.method if method is None else method
        if not 0.0 < cl < 1.0:
            raise InvalidParameterError("cl", cl, "0 < CL < 1")
        kind, limits = self.signal_limits(cl, method)
        allowed = np.flatnonzero(m < self.max_mass())
        m_ok = m[allowed]
        unit = self.coupling_yield(model, spin, m_ok)

        def probability(g: FloatArray, index: NDArray[np.intp]) -> FloatArray:
            return self.signal_probability(model, m_ok[index], g)

        def spread(values: FloatArray) -> FloatArray:
            full = np.full(m.shape, np.nan)
            full[allowed] = values
            return full

        edges = {
            label: tuple(spread(e) for e in coupling_edges(unit, probability, s_up))
            for label, s_up in limits.items()
        }
        low, high = edges.pop("central")
        bands = {label: pair[0] for label, pair in edges.items()}
        notes = (
            *self.reach_notes(),
            f"signal limit {limits['central']:.4g} events ({kind}, {method}, CL {cl:g})",
            "X decays visible only if before the last veto (decay length at mid-x)",
        )
        return ReachCurve(
            card=self.name,
            card_title=self.title,
            model=model.name,
            model_label=model.label,
            coupling_symbol=model.coupling_symbol,
            masses=m,
            coupling=low,
            coupling_upper=high if np.isfinite(high).any() else None,
            cl=cl,
            method=method,
            kind=kind,
            bands=bands,
            notes=notes,
        )
