"""Target materials and the mean muon energy loss."""

from __future__ import annotations

import pytest
from hepunits import GeV, cm

from darkreach.errors import InvalidParameterError
from darkreach.experiments.materials import get_material


def test_lead_number_density() -> None:
    # n = rho N_A / A = 11.35 * 6.022e23 / 207.2 = 3.299e22 cm^-3
    ((_, n),) = get_material("Pb").number_densities()
    assert n * cm**3 == pytest.approx(3.299e22, rel=1e-3)


def test_polystyrene_has_carbon_and_hydrogen() -> None:
    species = {el.Z: n * cm**3 for el, n in get_material("polystyrene").number_densities()}
    # C8H8: equal numbers of C and H atoms, 8 * 1.06 * N_A / 104.15
    assert species[6] == pytest.approx(species[1])
    assert species[6] == pytest.approx(8 * 1.06 * 6.02214076e23 / 104.152, rel=1e-3)


def test_energy_loss_magnitudes() -> None:
    # PUMAS tables (unverified): Pb at 160 GeV ~ 48 MeV/cm; W at 15 GeV ~ 34 MeV/cm
    assert get_material("Pb").dedx(160 * GeV) * cm == pytest.approx(48.0, rel=0.03)
    assert get_material("W").dedx(15 * GeV) * cm == pytest.approx(34.4, rel=0.03)


def test_energy_after_is_consistent_with_dedx() -> None:
    lead = get_material("Pb")
    e0 = 160 * GeV
    thin = 1.0  # mm
    assert e0 - lead.energy_after(e0, thin) == pytest.approx(lead.dedx(e0) * thin, rel=1e-3)
    # splitting a slab in two gives the same result
    one = lead.energy_after(e0, 100.0, steps=8)
    two = lead.energy_after(lead.energy_after(e0, 50.0, steps=4), 50.0, steps=4)
    assert one == pytest.approx(two, rel=1e-6)
    assert lead.energy_after(1.0, 1e4) == 0.0


def test_unknown_material() -> None:
    with pytest.raises(InvalidParameterError, match="material"):
        get_material("kryptonite")
