"""``darkreach bounds list|show``: JSON keys, plain text, bad input (exit 2, one line)."""

from __future__ import annotations

import json

import pytest

from darkreach import __version__
from darkreach.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["bounds", "list", "--json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["version"] == __version__
    first = payload["bounds"][0]
    assert set(first) >= {"name", "models", "kind", "reference"}
    assert {b["name"] for b in payload["bounds"]} >= {"ccfr", "neff", "gminus2"}


def test_list_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["bounds", "list"], capsys)
    assert code == 0 and "ccfr" in out and "$" not in out


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["bounds", "show", "neff", "--model", "lmu-ltau", "--masses", "1MeV:100MeV:3", "--json"],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)
    for key in ("mass_MeV", "coupling", "coupling_upper", "name", "model", "reference"):
        assert key in payload
    assert payload["coupling_upper"] is None
    assert payload["mass_MeV"] == pytest.approx([1.0, 10.0, 100.0])
    assert payload["coupling"][2] is None  # 100 MeV: N_eff bound does not apply
    assert payload["label"] == "N_eff"


def test_show_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["bounds", "show", "ccfr", "--masses", "10MeV,1GeV"], capsys)
    assert code == 0 and "open" in out and "1000" in out


@pytest.mark.parametrize(
    "args",
    [
        ["bounds", "show", "babar"],
        ["bounds", "show", "ccfr", "--model", "scalar"],
        ["bounds", "show", "ccfr", "--masses", "1MeV:3GeV:x"],
        ["bounds", "show", "ccfr", "--masses", "-1MeV"],
    ],
)
def test_bad_input(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("darkreach: error:")
