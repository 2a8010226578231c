"""Missing-momentum experiments with a muon beam on a thick active target (NA64mu, M^3).

Signal: mu N -> mu N X in the target, X invisible (or decaying beyond the last veto), and a
recoil muon below the momentum cut. The yield (muon_bremsstrahlung.md section 8) is

    N_sig(m, g) = N_MOT eps_sig(m) sum_layers n_i int dz sigma_i(E(z), x > x_cut(E(z)); m) c^2 g^2
                  * P_signal(m, g)

with c the model's muon coupling per unit g (1 for the L_mu-L_tau Z' and the muon-philic
scalar), E(z) the mean muon energy after the layers upstream of z (energy loss switchable),
x_cut(E) = 1 - E_cut/E for a recoil-energy cut E_cut, and
P_signal = BR_inv + (1 - BR_inv) exp(-L_down / lambda): X decays invisibly, or decays
visibly only after the last veto at distance L_down (lab decay length lambda for the X energy
at the middle of the selected x range; an approximation stated in the output notes).

The expensive part, N_1(m) per unit c^2 g^2 P, is computed once per card and production
setting (vectorised over masses); the model enters by cheap rescaling.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import Field, field_validator, model_validator

from darkreach.array_types import FloatArray
from darkreach.cache import cache_key, cached_array
from darkreach.constants import m_mu
from darkreach.experiments.invisible import (
    InvisibleCard,
    InvisibleSearch,
    check_beam_particle,
)
from darkreach.experiments.materials import get_material
from darkreach.experiments.schema import (
    Sourced,
    StrictModel,
)
from darkreach.results import ReachCurve
from darkreach.validate import masses_in_window

if TYPE_CHECKING:
    from darkreach.models.base import BosonSpin, Model

#: number of beam-energy nodes at which cross sections are evaluated and interpolated
ENERGY_NODES = 5
#: thick layers are cut into slices of at most this length [mm] for the energy loss
MAX_SLICE = 5.0
#: at most this many slices in all (longer targets get longer slices): bounds the work
MAX_SLICES = 4000
#: largest total target thickness [mm]: 10 m, beyond any active target (NA64mu ECAL ~0.45 m,
#: M^3 0.175 m) and ~1800 X0 of lead; a 160 GeV muon loses ~50 GeV in 10 m of lead
MAX_TARGET_LENGTH = 10_000.0
#: largest repeat count of the layer sequence (NA64mu: 150)
MAX_REPEAT = 100_000
#: largest distance to the end of the last veto [mm]: 1 km
MAX_DOWNSTREAM_LENGTH = 1_000_000.0
#: beam particles of this type (muon bremsstrahlung)
MUON_BEAMS = ("mu-", "mu+")
#: lower end of :meth:`MissingMomentum.mass_range` [MeV]
MIN_GRID_MASS = 1.0


class Layer(StrictModel):
    """One slab of the target."""

    material: str
    thickness: Sourced

    @field_validator("material")
    @classmethod
    def _known_material(cls, v: str) -> str:
        get_material(v)
        return v

    @field_validator("thickness")
    @classmethod
    def _thickness_positive(cls, v: Sourced) -> Sourced:
        if not 0 < v.quantity("length", "thickness") <= MAX_TARGET_LENGTH:
            raise ValueError(
                f"thickness = {v.value!r} is invalid; allowed: 0 < thickness <= "
                f"{MAX_TARGET_LENGTH / 1000:g} m"
            )
        return v


class Target(StrictModel):
    """The active target: a sequence of layers, optionally repeated (a sampling calorimeter)."""

    layers: tuple[Layer, ...] = Field(min_length=1)
    repeat: Sourced | None = None
    energy_loss: bool = True
    downstream_length: Sourced = Field(
        description="distance from the target to the end of the last veto (decays of a "
        "long-lived X before it are seen)"
    )

    @field_validator("repeat")
    @classmethod
    def _repeat_count(cls, v: Sourced | None) -> Sourced | None:
        if v is not None:
            n = v.number("target.repeat")
            if not (1 <= n <= MAX_REPEAT and n == int(n)):
                raise ValueError(
                    f"repeat = {v.value!r} is invalid; allowed: an integer in [1, {MAX_REPEAT}]"
                )
        return v

    @field_validator("downstream_length")
    @classmethod
    def _downstream_range(cls, v: Sourced) -> Sourced:
        length = v.quantity("length", "target.downstream_length")
        if not 0 <= length <= MAX_DOWNSTREAM_LENGTH:
            raise ValueError(
                f"downstream_length = {v.value!r} is invalid; allowed: 0 <= L <= "
                f"{MAX_DOWNSTREAM_LENGTH / 1e6:g} km"
            )
        return v

    @model_validator(mode="after")
    def _total_length(self) -> Target:
        total = self.count * sum(layer.thickness.quantity("length") for layer in self.layers)
        if total > MAX_TARGET_LENGTH:
            raise ValueError(
                f"total thickness = {total / 1000:g} m (layers x repeat) is invalid; allowed: "
                f"<= {MAX_TARGET_LENGTH / 1000:g} m"
            )
        return self

    @property
    def count(self) -> int:
        """How often the layer sequence is repeated."""
        return int(self.repeat.number()) if self.repeat is not None else 1

    def expanded(self) -> list[tuple[str, float]]:
        """(material, thickness in mm) for every layer in beam order."""
        one = [(layer.material, layer.thickness.quantity("length")) for layer in self.layers]
        return one * self.count

    def total_length(self) -> float:
        """Total thickness [mm]."""
        return self.count * sum(layer.thickness.quantity("length") for layer in self.layers)


class Selection(StrictModel):
    """The recoil selection: either an absolute recoil-energy cut or a fixed x cut."""

    recoil_energy_max: Sourced | None = None
    x_min: Sourced | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Selection:
        if (self.recoil_energy_max is None) == (self.x_min is None):
            raise ValueError("give exactly one of recoil_energy_max or x_min")
        if self.x_min is not None and not 0.0 <= self.x_min.number("selection.x_min") < 1.0:
            raise ValueError(f"x_min = {self.x_min.value!r} is invalid; allowed: [0, 1)")
        if self.recoil_energy_max is not None:
            e_cut = self.recoil_energy_max.quantity("energy", "selection.recoil_energy_max")
            if not e_cut > 0.0:
                raise ValueError(
                    f"recoil_energy_max = {self.recoil_energy_max.value!r} is invalid; "
                    "allowed: > 0 and below the beam energy"
                )
        return self


class Production(StrictModel):
    """Cross-section settings (muon_bremsstrahlung.md; defaults as the handbook)."""

    #: "etl": WW times the tabulated ETL/WW ratio (muon_brem_etl_table; vector, scalar).
    approximation: Literal["ww", "iww", "etl"] = "ww"
    inelastic: bool = False
    t_max: Literal["E0^2", "m^2+m_mu^2"] = "E0^2"
    theta_max: float = Field(default=0.3, gt=0.0, le=3.1416)


class MissingMomentumCard(InvisibleCard):
    """Card of a muon missing-momentum data set or projection (beam mu- or mu+)."""

    type: Literal["missing-momentum"]
    target: Target
    selection: Selection
    production: Production = Production()

    @model_validator(mode="after")
    def _muon_beam(self) -> MissingMomentumCard:
        check_beam_particle(
            self.beam, MUON_BEAMS, "missing-momentum", "electron beams: type missing-energy"
        )
        return self

    @model_validator(mode="after")
    def _cut_below_beam(self) -> MissingMomentumCard:
        cut = self.selection.recoil_energy_max
        if cut is None:
            return self
        e0 = self.beam.energy.quantity("energy", "beam.energy")
        e_cut = cut.quantity("energy", "selection.recoil_energy_max")
        if not e_cut < e0:
            raise ValueError(
                f"selection.recoil_energy_max = {cut.value!r} is invalid; allowed: 0 < E_cut < "
                f"beam.energy = {self.beam.energy.value!r}"
            )
        return self


class MissingMomentum(InvisibleSearch[MissingMomentumCard]):
    """The missing-momentum experiment type bound to one card.

    >>> from darkreach.experiments.registry import get_experiment
    >>> exp = get_experiment("na64mu-2022")
    >>> exp.beam_energy / 1000.0
    160.0
    """

    supported_models = (
        "lmu-ltau",
        "lmu-ltau-dm",
        "scalar",
        "pseudoscalar",
        "dark-photon",
        "dark-photon-dm",
        "millicharge",
        "alp-mu",
    )

    def __init__(self, card: MissingMomentumCard) -> None:
        super().__init__(card)
        self._unit_yields: dict[tuple[str, bytes], FloatArray] = {}

    @cached_property
    def beam_energy(self) -> float:
        """Beam energy E0 [MeV]."""
        return self.card.beam.energy.quantity("energy", "beam.energy")

    @cached_property
    def muons_on_target(self) -> float:
        return self.card.beam.on_target.number("beam.on_target")

    @cached_property
    def layer_energies(self) -> list[tuple[str, float, float]]:
        """(material, thickness [mm], mean muon energy at the layer centre [MeV])."""
        energy = self.beam_energy
        out = []
        # slices of at most MAX_SLICE, but never more than ~MAX_SLICES in all
        slice_length = max(MAX_SLICE, self.card.target.total_length() / MAX_SLICES)
        for material_name, thickness in self.card.target.expanded():
            material = get_material(material_name)
            slices = max(1, int(np.ceil(thickness / slice_length)))
            step = thickness / slices
            for _ in range(slices):
                if self.card.target.energy_loss:
                    mid = material.energy_after(energy, 0.5 * step, steps=1)
                    energy = material.energy_after(energy, step, steps=2)
                else:
                    mid = energy
                out.append((material_name, step, mid))
        return out

    @cached_property
    def _decay_energy(self) -> float:
        """X energy [MeV] used for the decay length: middle of the selected x range."""
        x_mid = 0.5 * (1.0 + self.x_cut(np.array([self.beam_energy]))[0])
        return float(x_mid * self.beam_energy)

    @cached_property
    def _downstream_length(self) -> float:
        """Target to the end of the last veto [mm]."""
        return self.card.target.downstream_length.quantity("length")

    def x_cut(self, energy: FloatArray) -> FloatArray:
        """Lower x cut of the selection for a muon of energy ``energy`` at emission."""
        sel = self.card.selection
        if sel.x_min is not None:
            return np.full_like(energy, sel.x_min.number())
        assert sel.recoil_energy_max is not None
        e_cut = sel.recoil_energy_max.quantity("energy", "selection.recoil_energy_max")
        return np.clip(1.0 - e_cut / energy, 0.0, 1.0)

    def max_mass(self) -> float:
        """Largest X mass kinematically allowed at the beam energy: E0 - m_mu [MeV]."""
        return self.beam_energy - m_mu

    def mass_range(self) -> tuple[float, float]:
        """Masses [MeV] this card can probe: (MIN_GRID_MASS, E0 - m_mu).

        Kinematically every 0 < m < E0 - m_mu is allowed; the upper end is open (the yield
        vanishes there). The lower end is :data:`MIN_GRID_MASS` = 1 MeV, where the
        cross section has long become independent of m (m << m_mu), so a log grid for a
        plot starts there. Default mass grids of the reach CLI use this range.

        >>> from darkreach.experiments.registry import get_experiment
        >>> [round(v) for v in get_experiment("m3-phase1").mass_range()]
        [1, 14894]
        """
        return MIN_GRID_MASS, self.max_mass()

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Validate a mass array (MeV): finite, > 0 and below E0 - m_mu."""
        top = self.max_mass()
        allowed = f"0 < m < E0 - m_mu = {top:.6g} MeV for card {self.name}"
        return masses_in_window(masses, 0.0, top, allowed)

    def energy_nodes(self) -> tuple[FloatArray, FloatArray]:
        """Energy nodes [MeV] of the cross-section tables and each slice's weights on them.

        Returns (nodes, weights) with weights of shape (slices, nodes): the cross section at a
        slice's mid energy is interpolated linearly between the two nearest nodes. Shared by
        the yield and the event sampler (:mod:`darkreach.events.mu_brem`).
        """
        layers = self.layer_energies
        mid_energies = np.array([e for _, _, e in layers])
        e_low, e_high = float(mid_energies.min()), float(mid_energies.max())
        if e_high - e_low < 1e-6 * e_high:
            nodes = np.array([e_high])
        else:
            nodes = np.linspace(e_low, e_high, ENERGY_NODES)
        weights = np.zeros((len(layers), nodes.size))
        if nodes.size == 1:
            weights[:, 0] = 1.0
        else:
            pos = np.clip((mid_energies - nodes[0]) / (nodes[1] - nodes[0]), 0, nodes.size - 1)
            left = np.minimum(pos.astype(int), nodes.size - 2)
            frac = pos - left
            weights[np.arange(len(layers)), left] = 1.0 - frac
            weights[np.arange(len(layers)), left + 1] = frac
        return nodes, weights

    def unit_yield(self, spin: BosonSpin | Literal["millicharge"], masses: ArrayLike) -> FloatArray:
        """Signal events per unit (muon coupling)^2 before decay: N_MOT eps sum n L sigma.

        Computed once per (spin, mass grid) and kept on the instance. ``spin="millicharge"``:
        chi chi-bar pairs per unit (Q/e)^2 at m_chi = ``masses``
        (:func:`darkreach.production.millicharge.sigma_above`, x = pair energy fraction).
        """
        m = self.check_masses(masses)
        key = (spin, m.tobytes())
        cached = self._unit_yields.get(key)
        if cached is not None:
            return cached
        from darkreach.physics.form_factors import Nucleus
        from darkreach.production.muon_brem import BremSettings, sigma_above

        settings = BremSettings(
            approximation=self.card.production.approximation,
            theta_max=self.card.production.theta_max,
            t_max=self.card.production.t_max,
            inelastic=self.card.production.inelastic,
        )
        layers = self.layer_energies
        nodes, weights = self.energy_nodes()
        # column density per nucleus species, spread over the energy nodes
        column: dict[tuple[int, float], FloatArray] = {}
        for (material_name, thickness, _), w in zip(layers, weights, strict=True):
            for element, density in get_material(material_name).number_densities():
                key_el = (element.Z, element.A)
                column[key_el] = column.get(key_el, np.zeros(nodes.size)) + density * thickness * w
        # a muon stopped in the target has energy 0: no emission (sigma = 0 below threshold)
        nodes = np.maximum(nodes, 1e-3)
        x_cut = self.x_cut(nodes)
        total = np.zeros_like(m)
        for (Z, A), col in column.items():
            nucleus = Nucleus(Z, A)

            def table(nucleus: Nucleus = nucleus) -> FloatArray:
                if spin == "millicharge":
                    from darkreach.production import millicharge

                    pairs = millicharge.sigma_above(
                        m[:, None],
                        nodes[None, :],
                        x_cut[None, :],
                        nucleus,
                        settings,
                        below_threshold="zero",
                    )
                    return np.asarray(pairs, dtype=float)
                sigma = sigma_above(
                    m[:, None],
                    nodes[None, :],
                    x_cut[None, :],
                    nucleus,
                    spin,
                    settings,
                    below_threshold="zero",
                )
                return np.asarray(sigma, dtype=float)

            table_key = cache_key(
                what="sigma_above",
                masses=m,
                energies=nodes,
                x_cut=x_cut,
                Z=Z,
                A=A,
                spin=spin,
                settings=repr(settings),
            )
            total += cached_array(table_key, table, shape=(m.size, nodes.size)) @ col
        # the card's efficiency is tabulated in the mass of the emitted system; a chi pair
        # has M >= 2 m_chi and is made mostly near threshold at high mass: evaluate at 2 m_chi
        eff_mass = 2.0 * m if spin == "millicharge" else m
        result: FloatArray = self.muons_on_target * self.card.efficiency(eff_mass) * total
        self._unit_yields[key] = result
        return result

    @staticmethod
    def _muon_coupling_squared(model: Model, spin: BosonSpin) -> float:
        c = model.fermion_couplings()["mu"]
        value = {
            "vector": c.vector,
            "axial": c.axial,
            "scalar": c.scalar,
            "pseudoscalar": c.pseudoscalar,
        }[spin]
        return float(value) ** 2

    def _check_model(self, model: Model) -> BosonSpin:
        """As the base class; a milli-charged chi is made through a (virtual) vector."""
        from darkreach.models.millicharge import MilliChargedParticle

        if isinstance(model, MilliChargedParticle):
            self.require_model(model)
            return "vector"
        return super()._check_model(model)

    def signal_probability(
        self, model: Model, masses: FloatArray, coupling: FloatArray
    ) -> FloatArray:
        """As the base class; 1 for a milli-charged pair (stable chi, escapes: Q <= 0.1)."""
        from darkreach.models.millicharge import MilliChargedParticle

        if isinstance(model, MilliChargedParticle):
            return np.ones(np.broadcast(masses, coupling).shape)
        return super().signal_probability(model, masses, coupling)

    def reach(
        self,
        model: Model,
        masses: ArrayLike,
        *,
        cl: float | None = None,
        method: str | None = None,
    ) -> ReachCurve:
        """As the base class; a milli-charge reach also states its invisibility assumption."""
        from darkreach.models.millicharge import INVISIBLE_MAX_CHARGE, MilliChargedParticle

        curve = super().reach(model, masses, cl=cl, method=method)
        if not isinstance(model, MilliChargedParticle):
            return curve
        note = (
            f"chi pair invisible (dE/dx ~ Q^2 MIP): valid for Q/e <= {INVISIBLE_MAX_CHARGE:g}; "
            "mass axis is m_chi, x the pair energy fraction, card efficiency taken at 2 m_chi; "
            "Q/e >= 1 shown as no limit"
        )

        def below_one(values: FloatArray) -> FloatArray:
            return np.where(values < 1.0, values, np.nan)

        return dataclasses.replace(
            curve,
            coupling=below_one(curve.coupling),
            coupling_upper=None,
            bands={k: below_one(v) for k, v in curve.bands.items()},
            notes=(*curve.notes, note),
        )

    def coupling_yield(self, model: Model, spin: BosonSpin, masses: FloatArray) -> FloatArray:
        """Events per unit model coupling squared: unit yield x (muon coupling)^2.

        Milli-charge: pairs per unit (Q/e)^2 (the muon couples with e to the virtual photon).
        """
        from darkreach.models.millicharge import MilliChargedParticle

        if isinstance(model, MilliChargedParticle):
            return self.unit_yield("millicharge", masses)
        result: FloatArray = self.unit_yield(spin, masses) * self._muon_coupling_squared(
            model, spin
        )
        return result

    def reach_notes(self) -> tuple[str, ...]:
        """Beam, production and energy-loss notes of the reach curve."""
        production = self.card.production
        return (
            f"beam {self.beam_energy / 1000:g} GeV, {self.muons_on_target:.3g} MOT",
            f"cross section: {production.approximation.upper()}, t_max = {production.t_max}, "
            f"{'elastic+inelastic' if production.inelastic else 'elastic'} form factor",
            f"energy loss in target: {'on' if self.card.target.energy_loss else 'off'}",
        )
