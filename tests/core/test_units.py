"""Quantity parsing at the edges (CLI, cards)."""

from __future__ import annotations

import pytest
from hepunits import GeV, MeV, TeV, cm, mm

from darkreach.errors import UnitError
from darkreach.units import parse_quantity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10MeV", 10 * MeV),
        ("0.16TeV", 0.16 * TeV),
        ("160 GeV", 160 * GeV),
        ("1e3 keV", 1 * MeV),
        (".5GeV", 500 * MeV),
    ],
)
def test_energy(text: str, expected: float) -> None:
    assert parse_quantity(text, "energy") == pytest.approx(expected)


def test_other_dimensions() -> None:
    assert parse_quantity("0.01GeV2", "energy2") == pytest.approx(0.01 * GeV**2)
    assert parse_quantity("100MeV^2", "energy2") == pytest.approx(100 * MeV**2)
    assert parse_quantity("1.5 cm", "length") == pytest.approx(15 * mm)
    assert parse_quantity("2 m", "length") == pytest.approx(200 * cm)


def test_unit_is_required_for_every_dimension() -> None:
    """One rule (issue 7): a bare number is refused wherever the quantity has a dimension."""
    for dimension in ("energy", "energy2", "length"):
        for bare in ("7", 7, 7.0, "  3e2 "):
            with pytest.raises(UnitError, match="with a unit"):
                parse_quantity(bare, dimension, "--x")  # type: ignore[arg-type]
    assert parse_quantity("7", "dimensionless") == 7.0
    assert parse_quantity(0.25, "dimensionless") == 0.25


def test_wrong_case_unit_gets_a_hint() -> None:
    with pytest.raises(UnitError, match="did you mean MeV"):
        parse_quantity("10 MEV", "energy", "--mass")


def test_overflowing_quantity_is_refused() -> None:
    with pytest.raises(UnitError, match="finite"):
        parse_quantity("1e400 GeV", "energy", "beam.energy")
    with pytest.raises(UnitError, match="finite"):
        parse_quantity("1e306 TeV", "energy", "beam.energy")


@pytest.mark.parametrize(
    "text", ["10 furlongs", "MeV", "10 Mev", "1..2GeV", "", "10GeV2", "7", "nan MeV"]
)
def test_bad_units_name_field_and_allowed(text: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_quantity(text, "energy", "--mass")
    assert "--mass" in str(info.value)
    assert "MeV" in str(info.value)
