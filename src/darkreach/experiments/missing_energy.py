"""Missing-energy experiments with an electron or positron beam on an active thick target (NA64e).

Handbook: ``electron_and_dump.md`` A.1-A.5. Signal: X radiated in the ECAL (or produced by
resonant e+ e- -> X on atomic electrons) escapes unseen, so that E_ECAL < E_cut. The X energy
must exceed E0 - E_cut; a shower particle of energy E radiating it needs x > (E0 - E_cut)/E.

    N_sig(m, g) = N_EOT eps_sig(m) c_e(m)^2 g^2 P_signal(m, g) *
                  [ n sum_bins T_e(E) sigma(E, x > (E0 - E_cut)/E; m)          (bremsstrahlung)
                    + Z n (dT_+/dE)(E_res) (pi/2)/m_e, E_res = (m^2 - 2 m_e^2)/(2 m_e) in
                      (E0 - E_cut, E0)                                        (annihilation) ]

- T_e = primary + e- and e+ secondaries (both radiate alike), T_+ the positron track length
  (:mod:`darkreach.production.shower`: Tsai primary + first-generation pairs).
- sigma: :mod:`darkreach.production.electron_brem` (IWW x K by default), per unit g^2.
- c_e(m): the model's electron coupling per unit model coupling (dark photon: e; B-L: 1;
  L_mu - L_tau: e abs(eps(m^2))/g through the loop mixing, handbook A.5).
- P_signal = BR_inv + (1 - BR_inv) exp(-L_down/lambda) at the X energy E0 - E_cut/2.
- The target is one effective material (the absorber of the ECAL) of ``radiation_lengths``
  X0; its atoms' number density and X0 come from the material table.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike
from pydantic import field_validator, model_validator

from darkreach.array_types import FloatArray
from darkreach.constants import m_e
from darkreach.experiments.invisible import InvisibleCard, InvisibleSearch, check_beam_particle
from darkreach.experiments.materials import get_material
from darkreach.experiments.schema import Sourced, StrictModel
from darkreach.validate import masses_in_window

if TYPE_CHECKING:
    from darkreach.models.base import BosonSpin, Model
    from darkreach.production.shower import TrackLengths

#: beam particles of this type (electron bremsstrahlung and annihilation)
ELECTRON_BEAMS = ("e-", "e+")
#: largest target thickness in radiation lengths
MAX_RADIATION_LENGTHS = 200.0
#: largest distance to the end of the last veto [mm]: 1 km
MAX_DOWNSTREAM_LENGTH = 1_000_000.0
#: lower end of :meth:`MissingEnergy.mass_range` [MeV]
MIN_GRID_MASS = 1.0


class EnergyTarget(StrictModel):
    """The active target as one effective absorber material, ``radiation_lengths`` thick."""

    material: str
    radiation_lengths: Sourced
    downstream_length: Sourced

    @field_validator("material")
    @classmethod
    def _known_material(cls, v: str) -> str:
        material = get_material(v)
        if not (math.isfinite(material.radiation_length) and material.radiation_length > 0):
            raise ValueError(f"target.material = {v!r} is invalid; allowed: a known X0")
        return v

    @field_validator("radiation_lengths")
    @classmethod
    def _thickness(cls, v: Sourced) -> Sourced:
        t = v.number("target.radiation_lengths")
        if not 0 < t <= MAX_RADIATION_LENGTHS:
            raise ValueError(
                f"target.radiation_lengths = {v.value!r} is invalid; allowed: 0 < t <= "
                f"{MAX_RADIATION_LENGTHS:g}"
            )
        return v

    @field_validator("downstream_length")
    @classmethod
    def _downstream(cls, v: Sourced) -> Sourced:
        length = v.quantity("length", "target.downstream_length")
        if not 0 <= length <= MAX_DOWNSTREAM_LENGTH:
            raise ValueError(
                f"target.downstream_length = {v.value!r} is invalid; allowed: 0 <= L <= 1 km"
            )
        return v


class EnergySelection(StrictModel):
    """The missing-energy cut: E_ECAL < ``ecal_energy_max``."""

    ecal_energy_max: Sourced

    @field_validator("ecal_energy_max")
    @classmethod
    def _positive(cls, v: Sourced) -> Sourced:
        if not v.quantity("energy", "selection.ecal_energy_max") > 0:
            raise ValueError(
                f"selection.ecal_energy_max = {v.value!r} is invalid; allowed: > 0 and below "
                "the beam energy"
            )
        return v


class EnergyProduction(StrictModel):
    """Production settings (electron_and_dump.md A.2-A.3; defaults as the field)."""

    approximation: Literal["iww-k", "iww", "ww"] = "iww-k"
    inelastic: bool = False
    secondaries: bool = True
    #: resonant e+ e- -> X of every positron ("all"), of the beam positrons only ("beam-only",
    #: a positron-beam process), or none
    annihilation: Literal["all", "beam-only", "none"] = "all"


class MissingEnergyCard(InvisibleCard):
    """Card of an electron or positron missing-energy data set or projection."""

    type: Literal["missing-energy"]
    target: EnergyTarget
    selection: EnergySelection
    production: EnergyProduction = EnergyProduction()

    @model_validator(mode="after")
    def _electron_beam_and_cut(self) -> MissingEnergyCard:
        check_beam_particle(
            self.beam, ELECTRON_BEAMS, "missing-energy", "muon beams: type missing-momentum"
        )
        e0 = self.beam.energy.quantity("energy", "beam.energy")
        cut = self.selection.ecal_energy_max
        if not cut.quantity("energy", "selection.ecal_energy_max") < e0:
            raise ValueError(
                f"selection.ecal_energy_max = {cut.value!r} is invalid; allowed: 0 < E_cut < "
                f"beam.energy = {self.beam.energy.value!r}"
            )
        if self.production.annihilation == "beam-only" and self.beam.particle != "e+":
            raise ValueError(
                f"production.annihilation = 'beam-only' is invalid for beam.particle = "
                f"{self.beam.particle!r}; allowed: all, none (beam-only needs an e+ beam)"
            )
        return self


class MissingEnergy(InvisibleSearch[MissingEnergyCard]):
    """The missing-energy experiment type bound to one card."""

    supported_models = (
        "dark-photon",
        "dark-photon-dm",
        "b-l",
        "b-l-dm",
        "lmu-ltau",
        "lmu-ltau-dm",
    )

    def __init__(self, card: MissingEnergyCard) -> None:
        super().__init__(card)
        self._unit_yields: dict[bytes, FloatArray] = {}

    @cached_property
    def beam_energy(self) -> float:
        """Beam energy E0 [MeV]."""
        return self.card.beam.energy.quantity("energy", "beam.energy")

    @cached_property
    def particles_on_target(self) -> float:
        """Electrons (positrons) on target."""
        return self.card.beam.on_target.number("beam.on_target")

    @cached_property
    def energy_cut(self) -> float:
        """E_cut [MeV]: the signal needs E_ECAL < E_cut."""
        return self.card.selection.ecal_energy_max.quantity("energy")

    @cached_property
    def track_lengths(self) -> TrackLengths:
        """Binned shower track lengths above E0 - E_cut."""
        from darkreach.production.shower import track_lengths

        material = get_material(self.card.target.material)
        return track_lengths(
            self.beam_energy,
            self.card.target.radiation_lengths.number(),
            material.radiation_length,
            self.beam_energy - self.energy_cut,
            secondaries=self.card.production.secondaries,
        )

    @property
    def _decay_energy(self) -> float:
        return self.beam_energy - 0.5 * self.energy_cut

    @property
    def _downstream_length(self) -> float:
        return self.card.target.downstream_length.quantity("length")

    def max_mass(self) -> float:
        """Largest X mass [MeV]: E0 - m_e."""
        return self.beam_energy - m_e

    def mass_range(self) -> tuple[float, float]:
        """Masses [MeV] this card can probe: (1 MeV, E0 - m_e)."""
        return MIN_GRID_MASS, self.max_mass()

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Validate a mass array (MeV): finite, > 0 and below E0 - m_e."""
        top = self.max_mass()
        return masses_in_window(
            masses, 0.0, top, f"0 < m < E0 - m_e = {top:.6g} MeV for card {self.name}"
        )

    @property
    def brem_track_length(self) -> FloatArray:
        """Track length [mm] per energy bin of every radiating particle (e- and e+ alike)."""
        tl = self.track_lengths
        # the beam particle and both secondary species
        return np.asarray(tl.primary + 2.0 * tl.secondary)

    def brem_sigmas(self, masses: FloatArray) -> list[tuple[int, float, float, FloatArray]]:
        """Per target element: (Z, A, number density [1/mm^3], sigma [mm^2] per unit g_e^2).

        sigma (masses, bins) = sigma(E, x > (E0 - E_cut)/E; m) at the track-length bin
        energies E (the pieces :meth:`brem_yield` and the event sampler share).
        """
        from darkreach.physics.form_factors import Nucleus
        from darkreach.production.electron_brem import sigma_above

        energies = self.track_lengths.energy
        x_cut = (self.beam_energy - self.energy_cut) / energies
        out = []
        for element, density in get_material(self.card.target.material).number_densities():
            sigma = sigma_above(
                masses[:, None],
                energies[None, :],
                x_cut[None, :],
                Nucleus(element.Z, element.A),
                "vector",
                self.card.production.approximation,
                inelastic=self.card.production.inelastic,
                below_threshold="zero",
            )
            out.append((int(element.Z), float(element.A), float(density), np.asarray(sigma)))
        return out

    def brem_yield(self, masses: FloatArray) -> FloatArray:
        """Bremsstrahlung X per particle on target per unit g_e^2 (no efficiency)."""
        length = self.brem_track_length
        total = np.zeros(masses.shape)
        for _z, _a, density, sigma in self.brem_sigmas(masses):
            total += density * (sigma @ length)
        return np.asarray(total)

    def annihilation_yield(self, masses: FloatArray) -> FloatArray:
        """Resonant e+ e- -> X per particle on target per unit g_e^2 (no efficiency)."""
        from darkreach.production.shower import annihilation_integral

        tl = self.track_lengths
        e_res = (masses * masses - 2.0 * m_e * m_e) / (2.0 * m_e)
        edges = tl.edges  # descending
        if self.card.production.annihilation == "beam-only":
            density = np.asarray(tl.primary / -np.diff(edges))
        else:
            density = tl.density("e+", self.card.beam.particle)  # type: ignore[arg-type]
        # dT+/dE linear in v = ln(E0/E) between bin centres; 0 outside (E0 - E_cut, E0)
        inside = (e_res < edges[0]) & (e_res > edges[-1])
        v_res = np.log(self.beam_energy / np.where(inside, e_res, edges[0]))
        v_rep = np.log(self.beam_energy / tl.energy)
        dtde = np.where(inside, np.interp(v_res, v_rep, density), 0.0)
        electrons = sum(
            element.Z * n
            for element, n in get_material(self.card.target.material).number_densities()
        )
        return np.asarray(electrons * dtde * annihilation_integral())

    def unit_yield(self, masses: ArrayLike) -> FloatArray:
        """Signal events per unit (electron coupling)^2 before decay.

        N_EOT eps(m) (bremsstrahlung + resonant annihilation), cached per mass grid.
        """
        m = self.check_masses(masses)
        key = m.tobytes()
        cached = self._unit_yields.get(key)
        if cached is not None:
            return cached
        per_particle = self.brem_yield(m)
        if self.card.production.annihilation != "none":
            per_particle = per_particle + self.annihilation_yield(m)
        result: FloatArray = self.particles_on_target * self.card.efficiency(m) * per_particle
        self._unit_yields[key] = result
        return result

    def coupling_yield(self, model: Model, spin: BosonSpin, masses: FloatArray) -> FloatArray:
        """Events per unit model coupling squared: unit yield x (electron coupling)^2."""
        from darkreach.production.electron_brem import electron_coupling_squared

        if spin != "vector":
            from darkreach.errors import InvalidParameterError

            raise InvalidParameterError("model", model.name, "a vector boson (missing-energy)")
        return np.asarray(self.unit_yield(masses) * electron_coupling_squared(model, masses))

    def reach_notes(self) -> tuple[str, ...]:
        """Beam, shower and production notes of the reach curve."""
        p = self.card.production
        eot = "EOT" if self.card.beam.particle == "e-" else "positrons on target"
        return (
            f"beam {self.beam_energy / 1000:g} GeV {self.card.beam.particle}, "
            f"{self.particles_on_target:.3g} {eot}; E_ECAL < {self.energy_cut / 1000:g} GeV",
            f"cross section: {p.approximation.upper()}, t_max = m^2, "
            f"{'elastic+inelastic' if p.inelastic else 'elastic'} form factor",
            "shower: Tsai primary"
            + (" + first-generation e+ e-" if p.secondaries else " only")
            + {
                "all": ", resonant e+ e- -> X",
                "beam-only": ", resonant e+ e- -> X of beam positrons",
                "none": "",
            }[p.annihilation],
        )


__all__ = ["MissingEnergy", "MissingEnergyCard"]
