"""Target materials: composition, density and mean muon energy loss.

Densities and radiation lengths follow the handbook (experiments.md section 6). Mean muon
energy-loss coefficients a(E), b(E) for Pb, W, Cu and Fe are read from the PUMAS v1.00 muon
tables (PDG format and Sternheimer parameters of Groom, Mokhov, Striganov, ADNDT 78 (2001)
183); **cross-check: the PDG files themselves were not read** (tests/experiments/
test_materials.py compares with the table rows, and with the PDG muon critical energy of
lead). They give -dE/dz = 48 MeV/cm for Pb at 160 GeV and 34 MeV/cm for W at 15 GeV
(muon_bremsstrahlung.md 8.1). Polystyrene values are rough. Energy loss moves the NA64mu
signal by well under 1 % and the M^3 signal by a few %.

>>> lead = get_material("Pb")
>>> round(lead.density / (g / cm3), 2)
11.35
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from hepunits import GeV, MeV, cm, g

from darkreach.constants import N_A
from darkreach.errors import InvalidParameterError

cm3 = cm**3


@dataclass(frozen=True)
class Element:
    """One nuclear species of a material: charge Z, molar mass A [g/mol], atoms per formula unit."""

    Z: int
    A: float
    atoms: float = 1.0


@dataclass(frozen=True)
class Material:
    """A target material.

    ``density`` in hepunits, ``radiation_length`` in mm. The mean muon energy loss is
    -dE/dz = rho (a(E) + b(E) E) with a [MeV cm^2/g] and b [cm^2/g] tabulated at the muon
    kinetic energies ``loss_energies`` [MeV] (log-linear interpolation, flat outside).
    """

    name: str
    elements: tuple[Element, ...]
    density: float
    radiation_length: float
    loss_energies: tuple[float, ...]
    ionisation_loss: tuple[float, ...]
    radiative_loss: tuple[float, ...]
    source: str
    status: str = "unverified"

    @property
    def molar_mass(self) -> float:
        """Mass of one formula unit in g/mol."""
        return sum(el.A * el.atoms for el in self.elements)

    def number_densities(self) -> list[tuple[Element, float]]:
        """Nuclei per volume (mm^-3) for each element: n = rho N_A atoms / M."""
        per_unit = self.density / g * N_A / self.molar_mass
        return [(el, per_unit * el.atoms) for el in self.elements]

    def loss_coefficients(self, energy: float) -> tuple[float, float]:
        """(a [MeV mm^2/g], b [mm^2/g]) at muon energy ``energy`` [MeV]."""
        log_e = np.log(self.loss_energies)
        x = float(np.log(max(energy, 1.0)))
        a = float(np.interp(x, log_e, self.ionisation_loss)) * _MEV_CM2_PER_G
        b = float(np.interp(x, log_e, self.radiative_loss)) * _CM2_PER_G
        return a, b

    def dedx(self, energy: float) -> float:
        """Mean energy loss per length [MeV/mm] at muon energy ``energy`` [MeV]."""
        a, b = self.loss_coefficients(energy)
        return self.density / g * (a + b * energy)

    def energy_after(self, energy: float, thickness: float, steps: int = 4) -> float:
        """Mean muon energy [MeV] after ``thickness`` [mm] (midpoint steps), clipped at 0."""
        dz = thickness / steps
        for _ in range(steps):
            mid = energy - 0.5 * dz * self.dedx(energy)
            energy = max(energy - dz * self.dedx(max(mid, 0.0)), 0.0)
        return energy


_MEV_CM2_PER_G = MeV * cm**2  # per gram (g is divided out in dedx)
_CM2_PER_G = cm**2

_PUMAS = (
    "PUMAS v1.00 muon tables (niess/pumas-materials dedx/muon/<element>.txt, PDG text format, "
    "same Sternheimer density-effect parameters as the PDG tables of Groom, Mokhov, Striganov, "
    "ADNDT 78 (2001) 183); rows at T = 10, 20, 100, 200, 300, 400 GeV: a = Ionization column, "
    "b = Radloss column / T. Secondary: the PDG files themselves were not readable here; the "
    "PDG muon critical energy of lead (141 GeV) is reproduced to 5 %"
)
_ROUGH = (
    "order-of-magnitude values (not read in a table); unverified: confirm against the PDG "
    "muon tables before relying"
)
_GEV = (10 * GeV, 20 * GeV, 100 * GeV, 200 * GeV, 300 * GeV, 400 * GeV)

MATERIALS: dict[str, Material] = {
    "Pb": Material(
        name="Pb",
        elements=(Element(82, 207.2),),
        density=11.35 * g / cm3,
        radiation_length=0.5612 * cm,
        loss_energies=_GEV,
        ionisation_loss=(1.614, 1.699, 1.860, 1.919, 1.953, 1.976),
        radiative_loss=(7.508e-6, 9.435e-6, 1.358e-5, 1.501e-5, 1.573e-5, 1.618e-5),
        source=f"density, X0: handbook experiments.md 6; energy loss: {_PUMAS}",
    ),
    "W": Material(
        name="W",
        elements=(Element(74, 183.84),),
        density=19.3 * g / cm3,
        radiation_length=0.3504 * cm,
        loss_energies=_GEV,
        ionisation_loss=(1.616, 1.700, 1.860, 1.919, 1.952, 1.976),
        radiative_loss=(6.959e-6, 8.740e-6, 1.258e-5, 1.391e-5, 1.457e-5, 1.500e-5),
        source=f"density, X0: handbook experiments.md 6; energy loss: {_PUMAS}",
    ),
    "Cu": Material(
        name="Cu",
        elements=(Element(29, 63.546),),
        density=8.96 * g / cm3,
        radiation_length=1.436 * cm,
        loss_energies=_GEV,
        ionisation_loss=(1.891, 1.981, 2.155, 2.221, 2.259, 2.285),
        radiative_loss=(3.447e-6, 4.303e-6, 6.161e-6, 6.830e-6, 7.170e-6, 7.390e-6),
        source=f"density, X0: handbook experiments.md 6; energy loss: {_PUMAS}",
    ),
    "Fe": Material(
        name="Fe",
        elements=(Element(26, 55.845),),
        density=7.874 * g / cm3,
        radiation_length=1.757 * cm,
        loss_energies=_GEV,
        ionisation_loss=(1.942, 2.032, 2.207, 2.273, 2.312, 2.339),
        radiative_loss=(3.202e-6, 3.994e-6, 5.714e-6, 6.335e-6, 6.653e-6, 6.858e-6),
        source=f"density, X0: handbook experiments.md 6; energy loss: {_PUMAS}",
    ),
    "polystyrene": Material(
        name="polystyrene",
        elements=(Element(6, 12.011, 8.0), Element(1, 1.008, 8.0)),
        density=1.06 * g / cm3,
        radiation_length=41.3 * cm,
        loss_energies=(10 * GeV, 200 * GeV),
        ionisation_loss=(2.3, 2.6),
        radiative_loss=(0.5e-6, 1.0e-6),
        source=(
            "C8H8, 1.06 g/cm^3 (Geant4 NIST G4_POLYSTYRENE); X0: handbook experiments.md 6; "
            f"energy loss: {_ROUGH}"
        ),
    ),
}
MATERIALS["Sc"] = MATERIALS["polystyrene"]
MATERIALS["scintillator"] = MATERIALS["polystyrene"]


def get_material(name: str) -> Material:
    """Look up a material by name (Pb, W, Cu, Fe, polystyrene / Sc / scintillator)."""
    try:
        return MATERIALS[name]
    except KeyError:
        raise InvalidParameterError("material", repr(name), ", ".join(sorted(MATERIALS))) from None


__all__ = ["MATERIALS", "Element", "Material", "get_material"]
