"""``darkreach relic``: JSON keys, files, and bad input (exit 2, one line, no file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkreach.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_single_mass_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["relic", "--dm", "scalar", "--mediator", "lmu-ltau", "--mass", "10MeV", "--json"], capsys
    )
    assert code == 0, err
    payload = json.loads(out)
    for key in ("coupling", "y", "y_convention", "omega_h2_check", "m_chi_MeV", "m_mediator_MeV"):
        assert key in payload
    assert payload["y_convention"] == "b"
    assert payload["m_chi_MeV"] == pytest.approx(10.0)
    assert payload["m_mediator_MeV"] == pytest.approx(30.0)
    assert payload["omega_h2_check"] == pytest.approx(0.12, rel=1e-3)
    assert payload["y_by_convention"]["c"] == pytest.approx(1.152 * payload["y"], rel=1e-3)
    assert 1e-6 < payload["coupling"] < 1e-4
    assert err == ""


def test_dark_photon_epsilon_and_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "relic",
            "--dm",
            "pseudo-dirac",
            "--mediator",
            "dark-photon",
            "--mass",
            "0.02GeV",
            "--ratio",
            "3",
            "--alpha-d",
            "0.1",
            "--y-convention",
            "a",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["coupling_symbol"] == "epsilon"
    assert payload["y_convention"] == "a"
    assert payload["m_chi_MeV"] == pytest.approx(20.0)


def test_grid_with_plot_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, table = tmp_path / "targets.png", tmp_path / "targets.csv"
    code, out, err = run(
        [
            "relic",
            "--dm",
            "all",
            "--masses",
            "1MeV:300MeV:5",
            "--plot",
            str(png),
            "--out",
            str(table),
        ],
        capsys,
    )
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = [line for line in table.read_text().splitlines() if not line.startswith("#")]
    assert len(rows) == 1 + 4 * 5
    assert "wrote plot" in out


def test_near_resonance_is_warned_not_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["relic", "--mass", "100MeV", "--ratio", "2.2", "--json"], capsys)
    assert code == 0
    assert "warning" in err and "resonance" in err
    assert json.loads(out)["notes"]


@pytest.mark.parametrize(
    "args",
    [
        ["--mass", "-5MeV"],
        ["--mass", "0MeV"],
        ["--masses", "0MeV:1GeV:5"],
        ["--mass", "10MeV", "--alpha-d", "0"],
        ["--mass", "10MeV", "--alpha-d", "13"],
        ["--mass", "10MeV", "--alpha-d", "-1"],
        ["--mass", "10MeV", "--dm", "wimp"],
        ["--mass", "10MeV", "--mediator", "higgs"],
        ["--mass", "10MeV", "--masses", "1MeV:1GeV:3"],
        ["--mass", "10MeV", "--ratio", "0"],
        ["--mass", "10MeV", "--delta", "0.1"],
        ["--mass", "10furlong"],
    ],
)
def test_bad_input_one_line_exit_2_no_file(
    args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    code, _, err = run(["relic", *args, "--out", str(table)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("darkreach: error:")
    assert "Traceback" not in err
    assert not table.exists()
    assert list(tmp_path.iterdir()) == []
