"""Card schema: the shipped cards validate, malformed cards fail with one readable line."""

from __future__ import annotations

from pathlib import Path

import pytest

from darkreach.errors import BadCardError
from darkreach.experiments.registry import available_cards, card_path, get_experiment, load_card
from darkreach.experiments.schema import STATUSES, Sourced

EXPECTED = {
    "na64mu-2022",
    "na64mu-2023",
    "na64mu-2023-bkg-scaled",
    "na64mu-run4",
    "na64mu-run4-bkg-scaled",
    "m3-phase1",
    "m3-phase2",
}


def test_shipped_cards_validate() -> None:
    names = {c.name for c in available_cards()}
    assert names >= EXPECTED


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_number_has_a_source_and_status(name: str) -> None:
    card = load_card(name)

    def walk(obj: object) -> list[object]:
        found = []
        if hasattr(type(obj), "model_fields") and not isinstance(obj, type):
            # Sourced numbers and sourced tables (efficiency tables: masses, values)
            if {"source", "status"} <= set(type(obj).model_fields):
                found.append(obj)
            for field in type(obj).model_fields:
                found.extend(walk(getattr(obj, field)))
        elif isinstance(obj, (list, tuple)):
            for item in obj:
                found.extend(walk(item))
        return found

    sourced = walk(card)
    assert len(sourced) >= 7
    for entry in sourced:
        assert len(entry.source) > 3  # type: ignore[attr-defined]
        assert entry.status in STATUSES  # type: ignore[attr-defined]
        if isinstance(entry, Sourced):
            # verified means read in a reference; calibrated (fitted to a curve) is sourced only
            assert entry.is_verified == (entry.status in {"verified", "cross-check"})


def test_status_marks() -> None:
    assert STATUSES == ("verified", "cross-check", "unverified", "assumption", "calibrated")
    fitted = Sourced(value=4.0, source="a published curve", status="calibrated")
    assert not fitted.is_verified


def test_na64mu_2022_numbers_from_the_handbook() -> None:
    card = load_card("na64mu-2022")
    assert card.beam.on_target.number() == pytest.approx(1.98e10)
    assert card.statistics.observed.number() == 0
    assert card.statistics.background.number() == pytest.approx(0.07)
    assert float(card.statistics.background.uncertainty) == pytest.approx(0.03)
    assert card.kind == "data"
    # 2023 (1.5e11 collected, [T5]) + 2024 (1.5e11 planned, [T5]) = NA64's 3e11 ESPP projection
    assert load_card("na64mu-2023").beam.on_target.number() == pytest.approx(3e11)
    assert load_card("na64mu-2023-bkg-scaled").beam.on_target.number() == pytest.approx(3e11)
    assert load_card("na64mu-run4").beam.on_target.number() == pytest.approx(2e13)
    assert load_card("m3-phase1").beam.on_target.number() == pytest.approx(1e10)
    assert load_card("m3-phase2").beam.on_target.number() == pytest.approx(1e13)


def test_unknown_card_names_the_choices() -> None:
    with pytest.raises(BadCardError, match="na64mu-2022"):
        card_path("no-such-card")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "card.toml"
    path.write_text(text)
    return path


def _mutated(old: str, new: str, tmp_path: Path) -> Path:
    text = card_path("na64mu-2022").read_text()
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


def test_card_by_path_equals_card_by_name(tmp_path: Path) -> None:
    path = _write(tmp_path, card_path("na64mu-2022").read_text())
    assert load_card(path) == load_card("na64mu-2022")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("value = 1.98e10", "value = -5", "on_target"),
        ('value = "160 GeV"', 'value = "160 GeVV"', "energy"),
        ('material = "Pb"', 'material = "Unobtainium"', "material"),
        ('status = "verified"', 'status = "trust-me"', "status"),
        ('method = "cls"', 'method = "bayes"', "method"),
        ("cl = 0.9", "cl = 1.5", "cl"),
        ('kind = "data"', 'kind = "data"\ncolour = "blue"', "colour"),
    ],
)
def test_malformed_card_gives_one_line_naming_the_field(
    tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = _mutated(old, new, tmp_path)
    with pytest.raises(BadCardError) as info:
        load_card(path)
    message = str(info.value)
    assert "\n" not in message
    assert field in message
    assert "card.toml" in message


def test_not_toml_and_unknown_type(tmp_path: Path) -> None:
    with pytest.raises(BadCardError, match="not valid TOML"):
        load_card(_write(tmp_path, "name = [unclosed"))
    with pytest.raises(BadCardError, match="field type"):
        load_card(_write(tmp_path, 'type = "beam-dump-of-dreams"\n'))


def test_data_card_needs_observed(tmp_path: Path) -> None:
    text = card_path("na64mu-2022").read_text()
    lines = [line for line in text.splitlines() if not line.startswith("observed")]
    with pytest.raises(BadCardError, match="observed"):
        load_card(_write(tmp_path, "\n".join(lines)))


def test_experiment_from_card() -> None:
    exp = get_experiment("na64mu-2022")
    assert exp.name == "na64mu-2022"
    assert "NA64" in exp.title
