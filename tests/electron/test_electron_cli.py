"""`darkreach xsec e-brem`: values against the DMG4 ETL table, couplings, bad input."""

from __future__ import annotations

import json

import pytest

from darkreach.cli import main
from darkreach.physics.kinetic_mixing import epsilon_over_g_zero


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


BASE = ["xsec", "e-brem", "--target", "Pb", "--energy", "100GeV", "--mass", "10MeV"]


def test_dark_photon_json_matches_etl(capsys: pytest.CaptureFixture[str]) -> None:
    """Per unit eps^2: ETL 8486.3 pb at eps = 1e-4 (DMG4 testCS, 100 GeV, 10 MeV) -> 8.4863e11."""
    code, out, err = run([*BASE, "--model", "dark-photon", "--json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert next(iter(payload)) == "version"
    assert payload["approximation"] == "iww-k"
    assert payload["sigma_pb"] == pytest.approx(8486.3e8, rel=1e-3)
    code, out, _ = run([*BASE, "--coupling", "1e-4", "--json"], capsys)
    assert json.loads(out)["sigma_pb"] == pytest.approx(8486.3, rel=1e-3)


def test_lmu_ltau_through_loop_mixing(capsys: pytest.CaptureFixture[str]) -> None:
    """L_mu - L_tau at 10 MeV = dark photon x (eps(m^2)/g)^2 (~ 0.01443^2, handbook A.5)."""
    _, out, _ = run([*BASE, "--model", "dark-photon", "--json"], capsys)
    dp = json.loads(out)["sigma_pb"]
    _, out, _ = run([*BASE, "--model", "lmu-ltau", "--json"], capsys)
    lm = json.loads(out)["sigma_pb"]
    assert lm / dp == pytest.approx(epsilon_over_g_zero() ** 2, rel=2e-3)


def test_approximations_and_cut(capsys: pytest.CaptureFixture[str]) -> None:
    values = {}
    for approx in ("iww-k", "iww", "ww"):
        code, out, _ = run([*BASE, "--approx", approx, "--xmin", "0.5", "--json"], capsys)
        assert code == 0
        values[approx] = json.loads(out)["sigma_pb"]
    assert values["iww"] > values["ww"] > 0  # IWW overestimates WW (x 1.02 at 10 MeV)
    # K(10 MeV, 100 GeV) = 1.08268 and LL/integral = 0.974: iww-k/iww = 0.974/1.08268
    assert values["iww-k"] / values["iww"] == pytest.approx(0.974 / 1.08268, rel=3e-3)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--coupling", "1"], "--coupling"),
        (["--coupling", "2.5"], "--coupling"),
        (["--xmin", "1.0"], "--xmin"),
        (["--model", "scalar"], "--model"),
        (["--target", "PbSc"], "material"),
    ],
)
def test_bad_input(extra: list[str], field: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run([*BASE, *extra], capsys)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]
