"""CLI for the issue 13 channels: ``xsec mu-brem --model millicharge|alp-mu`` and ``reach``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hepunits import picobarn

from darkreach.cli import main
from darkreach.cli.app import cli
from darkreach.physics.form_factors import LEAD
from darkreach.production import millicharge, muon_brem

XSEC = ["xsec", "mu-brem", "--target", "Pb", "--energy", "160GeV", "--mass", "10MeV"]


def test_millicharge_xsec_json_is_the_library_value() -> None:
    """The issue's command: sigma_pb per (Q/e)^2 equals production.millicharge.sigma and
    scales as Q^2 with --coupling (catches m_chi read as the pair mass, x on the muon)."""
    runner = CliRunner()
    result = runner.invoke(cli, [*XSEC, "--model", "millicharge", "--xmin", "0.5", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    expected = float(millicharge.sigma(160e3, 10.0, LEAD, x_min=0.5)) / picobarn
    assert payload["sigma_pb"] == pytest.approx(expected, rel=1e-9, abs=0)
    assert payload["mass_is"] == "m_chi" and payload["unit_coupling"] == "(Q/e)^2"
    result = runner.invoke(
        cli, [*XSEC, "--model", "millicharge", "--xmin", "0.5", "--coupling", "0.01", "--json"]
    )
    assert json.loads(result.output)["sigma_pb"] == pytest.approx(1e-4 * expected, rel=1e-9)


def test_alp_mu_xsec_is_the_pseudoscalar_times_m_mu_squared() -> None:
    """sigma per g_a mu mu^2 [GeV^-2] = pseudoscalar sigma per g_P^2 x (m_mu/GeV)^2."""
    result = CliRunner().invoke(cli, [*XSEC, "--model", "alp-mu", "--xmin", "0.5", "--json"])
    assert result.exit_code == 0, result.output
    per_gp = float(muon_brem.sigma(160e3, 10.0, LEAD, "pseudoscalar", x_min=0.5)) / picobarn
    assert json.loads(result.output)["sigma_pb"] == pytest.approx(
        per_gp * 0.1056583755**2, rel=1e-7, abs=0
    )


def test_reach_json_for_both_models() -> None:
    runner = CliRunner()
    for model, symbol in (("millicharge", "Q/e"), ("alp-mu", "g_amumu [GeV^-1]")):
        result = runner.invoke(
            cli, ["reach", "na64mu-2022", "--model", model, "--masses", "10MeV,100MeV", "--json"]
        )
        assert result.exit_code == 0, result.output
        (curve,) = json.loads(result.output)["curves"]
        assert curve["coupling_symbol"] == symbol
        assert all(0 < c < 1 for c in curve["coupling"])


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--model", "millicharge", "--coupling", "0"], "--coupling"),
        (["--model", "millicharge", "--coupling", "1"], "--coupling"),
        (["--model", "millicharge", "--coupling", "-0.1"], "--coupling"),
        (["--model", "alp-mu", "--coupling", "-1"], "--coupling"),
        (["--model", "millicharge", "--mass", "80GeV"], "--mass"),
        (["--model", "millicharge", "--xmin", "1.5"], "--xmin"),
    ],
)
def test_bad_input_one_line_exit_2(
    extra: list[str], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*XSEC, *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and field in err
    assert not any(tmp_path.iterdir())
