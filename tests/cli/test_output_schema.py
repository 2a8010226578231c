"""One output shape (issue 7, section 4): the schema of docs/output-schema.md, tested."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from darkreach import __version__
from darkreach.cli import main
from darkreach.io import COLUMNS, YPLANE_COLUMNS

RECORD_KEYS = {
    "card",
    "title",
    "kind",
    "model",
    "model_label",
    "coupling_symbol",
    "cl",
    "method",
    "plane",
    "notes",
    *COLUMNS,
}
LATEX = re.compile(r"[$\\{}]")


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> dict:  # type: ignore[type-arg]
    assert main(args) == 0
    payload: dict = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return payload


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize(
    "cards", [["na64mu-2022"], ["na64mu-2022", "m3-phase1"], ["na62-ultimate"]]
)
def test_reach_json_has_one_schema_for_one_or_many_cards(
    cards: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    payload = _json(["reach", *cards, "--masses", "10MeV,100MeV,300MeV", "--json"], capsys)
    assert payload["version"] == __version__
    assert next(iter(payload)) == "version"
    assert [c["card"] for c in payload["curves"]] == cards
    for record in payload["curves"]:
        assert set(record) == RECORD_KEYS
        for column in COLUMNS:
            assert len(record[column]) == 3  # always present, null where absent
        assert record["kind"] in ("observed", "expected", "emulated")
        assert not any(LATEX.search(s) for s in _strings(record)), "LaTeX leaked into JSON"


def test_csv_columns_match_json_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.csv"
    args = ["reach", "na64mu-2022", "m3-phase1", "--masses", "10MeV,100MeV", "--out", str(out)]
    assert main(args) == 0
    capsys.readouterr()
    text = out.read_text()
    assert text.startswith(f"# darkreach {__version__} ")
    assert not LATEX.search(text), "LaTeX leaked into the CSV"
    rows = list(csv.DictReader(line for line in text.splitlines() if not line.startswith("#")))
    assert list(rows[0]) == ["card", *COLUMNS]
    payload = _json(["reach", "na64mu-2022", "--masses", "10MeV,100MeV", "--json"], capsys)
    record = payload["curves"][0]
    for column in COLUMNS:
        for row, value in zip(rows[:2], record[column], strict=True):
            assert (row[column] == "") == (value is None)
            if value is not None:
                assert float(row[column]) == pytest.approx(value, rel=1e-6)


def test_yplane_json_and_csv_share_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "y.csv"
    args = ["reach", "na64mu-2022", "--model", "lmu-ltau-dm", "--plane", "y"]
    args += ["--masses", "3MeV,30MeV"]
    payload = _json([*args, "--json"], capsys)
    record = payload["curves"][0]
    assert set(record) == RECORD_KEYS | set(YPLANE_COLUMNS) | {"y_convention", "ratio", "alpha_d"}
    assert main([*args, "--out", str(out)]) == 0
    header = next(line for line in out.read_text().splitlines() if not line.startswith("#"))
    assert header.split(",") == ["card", *COLUMNS, *YPLANE_COLUMNS]


def test_interval_exclusion_has_upper_edge_in_json_and_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The scalar decays to photons inside the detector at large g: a closed region."""
    args = ["reach", "na64mu-2022", "--model", "scalar", "--masses", "20MeV,100MeV,200MeV"]
    record = _json([*args, "--json"], capsys)["curves"][0]
    uppers = [u for u in record["coupling_upper"] if u is not None]
    assert uppers, "the scalar's closed region must report its upper edge"
    for low, high in zip(record["coupling"], record["coupling_upper"], strict=True):
        if high is not None:
            assert high > low
    assert main(args) == 0
    table = capsys.readouterr().out
    assert re.search(r"\d\.\d{3}e-\d\d - \d\.\d{3}e-\d\d", table), table


def test_table_says_it_is_a_sample(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["reach", "na64mu-2022", "--masses", "1MeV:1GeV:200"]) == 0
    out = capsys.readouterr().out
    assert "25 of 200 masses shown" in out
    assert sum(line.startswith("│") for line in out.splitlines()) == 25
    assert main(["reach", "na64mu-2022", "--masses", "1MeV:1GeV:40", "--rows", "0"]) == 0
    out = capsys.readouterr().out
    assert "masses shown" not in out
    assert sum(line.startswith("│") for line in out.splitlines()) == 40


def test_kaon_card_defaults_to_its_kinematic_range(capsys: pytest.CaptureFixture[str]) -> None:
    record = _json(["reach", "na62-ultimate", "--json"], capsys)["curves"][0]
    masses = record["mass_MeV"]
    assert len(masses) == 200
    assert masses[-1] < 493.677 - 105.658  # below m_K - m_mu
    assert sum(c is not None for c in record["coupling"]) > 150
