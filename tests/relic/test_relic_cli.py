"""``darkreach relic``: JSON schema, normalisation, files, and bad input (exit 2, one line,
no file)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.constants import alpha_em
from darkreach.physics.relic import annihilation as ann
from darkreach.physics.relic.targets import _build_model

#: the JSON keys every target entry carries (also the CSV columns, plus descriptive keys)
ENTRY_KEYS = {
    "dm",
    "mediator",
    "y_convention",
    "mass_MeV",
    "m_mediator_MeV",
    "coupling",
    "y",
    "y_a",
    "y_b",
    "y_c",
    "omega_h2_check",
    "converged",
    "complete",
    "notes",
}


def entries(out: str) -> list[dict[str, Any]]:
    """The ``targets`` list of the JSON output, after checking the fixed schema."""
    payload = json.loads(out)
    assert set(payload) == {"version", "targets"}
    assert isinstance(payload["targets"], list) and payload["targets"]
    for entry in payload["targets"]:
        assert set(entry) >= ENTRY_KEYS
        assert not {"masses_MeV", "m_chi_MeV"} & set(entry)
        n = len(entry["mass_MeV"])
        for key in ("mass_MeV", "coupling", "y", "y_a", "omega_h2_check", "converged"):
            assert isinstance(entry[key], list) and len(entry[key]) == n
        assert "$" not in json.dumps(entry) and "\\" not in json.dumps(entry)
    return list(payload["targets"])


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_single_mass_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["relic", "--dm", "scalar", "--mediator", "lmu-ltau", "--mass", "10MeV", "--json"], capsys
    )
    assert code == 0, err
    (payload,) = entries(out)
    for key in ("coupling", "y", "y_convention", "omega_h2_check", "mass_MeV", "m_mediator_MeV"):
        assert key in payload
    assert payload["y_convention"] == "b"
    assert payload["dm"] == "complex-scalar" and payload["mediator"] == "lmu-ltau"
    assert payload["mass_MeV"] == pytest.approx([10.0])
    assert payload["m_mediator_MeV"] == pytest.approx([30.0])
    assert payload["omega_h2_check"][0] == pytest.approx(0.12, rel=1e-3, abs=0)
    assert payload["y_c"][0] == pytest.approx(1.152 * payload["y"][0], rel=1e-3, abs=0)
    assert 1e-6 < payload["coupling"][0] < 1e-4
    # y (b) = g^2 alpha_D (m_chi/M)^4 / (4 pi alpha), relic.md 2, alpha_D = 0.5 default
    g = payload["coupling"][0]
    assert payload["y"][0] == pytest.approx(
        g**2 * 0.5 / 81 / (4 * math.pi * alpha_em), rel=1e-9, abs=0
    )
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
    (payload,) = entries(out)
    assert payload["coupling_symbol"] == "epsilon"
    assert payload["y_convention"] == "a"
    assert payload["mass_MeV"] == pytest.approx([20.0])


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
    assert "$" not in out and "$" not in table.read_text()
    header = next(csv.reader(rows[:1]))
    assert "mass_MeV" in header and "m_chi_MeV" not in header
    # CSV columns are JSON keys of the target entries
    assert set(header) <= ENTRY_KEYS | {"m_mediator_MeV"}


def test_near_resonance_is_warned_not_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["relic", "--mass", "100MeV", "--ratio", "2.2", "--json"], capsys)
    assert code == 0
    assert "warning" in err and "resonance" in err
    assert entries(out)[0]["notes"]


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


def test_same_schema_for_one_and_several_types_and_masses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        ["relic", "--dm", "dirac", "--dm", "majorana", "--masses", "5MeV,50MeV", "--json"],
        capsys,
    )
    assert code == 0, err
    several = entries(out)
    assert [e["dm"] for e in several] == ["dirac", "majorana"]
    assert several[0]["mass_MeV"] == pytest.approx([5.0, 50.0])
    code, out, err = run(["relic", "--dm", "dirac", "--mass", "5MeV", "--json"], capsys)
    assert code == 0, err
    (one,) = entries(out)
    assert set(one) == set(several[0])
    assert one["coupling"][0] == pytest.approx(several[0]["coupling"][0], rel=1e-6, abs=0)


def test_cli_target_normalisation_against_steigman_dasgupta_beacom(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Dirac, L_mu-L_tau, m_chi = 1 GeV, M = 10 m_chi, Omega h^2 = 0.11 from the CLI.

    Reference: SDB 2012 (arXiv:1204.3622, Fig. 5; see test_relic_normalisation) need
    <sigma v> = 4.7e-26 cm^3/s for a Majorana WIMP at 1 GeV; a Dirac one needs twice that
    (chi chibar annihilation only), times 1 + ln 2/x_f (x_f ~ 17) for the doubled equilibrium
    density (Kolb and Turner, ch. 5): 9.4e-26 x 1.04 = 9.78e-26 cm^3/s. The CLI coupling is
    turned into <sigma v>_{chi chibar} at x = 20 with the Gondolo-Gelmini average (checked
    against direct quadrature in test_relic_annihilation); near-constant in x here (0.3 %
    over x = 15-40). Tolerance 4 %: a 10 % (or 7x) error in the coupling squared or y fails.
    """
    code, out, err = run(
        [
            "relic",
            "--dm",
            "dirac",
            "--mass",
            "1GeV",
            "--ratio",
            "10",
            "--alpha-d",
            "0.1",
            "--omega-h2",
            "0.11",
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    (entry,) = entries(out)
    g = entry["coupling"][0]
    m = 1000.0
    model = _build_model("lmu-ltau", "dirac", 10.0, 0.1, 0.0, "left")
    sv = ann.thermal_average(
        np.array([20.0]),
        m,
        kind="dirac",
        alpha_d=0.1,
        mediator_mass=10.0 * m,
        width=float(model.total_width(10.0 * m, g)),
        final_states=ann.final_states_from_couplings(model.fermion_couplings()),
        coupling=g,
    )
    sigma_v = float(ann.sigma_v_to_cm3_per_s(sv)[0])
    # a ratio: pytest.approx's default abs=1e-12 would swallow any error at 1e-25
    assert sigma_v / (2 * 4.7e-26 * (1 + math.log(2) / 17)) == pytest.approx(1.0, rel=0.04, abs=0)
    # y (b) from the printed coupling, relic.md 2: g^2 alpha_D (1/10)^4 / (4 pi alpha)
    assert entry["y_b"][0] == pytest.approx(
        g**2 * 0.1 * 1e-4 / (4 * math.pi * alpha_em), rel=1e-9, abs=0
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--mass", "100TeV"], "--mass"),
        (["--mass", "1eV"], "--mass"),
        (["--masses", "1MeV:100TeV:3"], "--masses"),
        (["--mass", "0.3MeV", "--mediator", "dark-photon"], "--mass"),
    ],
)
def test_mass_out_of_range_names_the_option_value_and_range(
    args: list[str], option: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "t.csv"
    code, _, err = run(["relic", *args, "--out", str(table)], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"darkreach: error: {option} = ")
    assert "MeV" in err and "allowed" in err
    assert "sigma_v" not in err
    assert not table.exists()


def test_help_lists_dm_values_and_default(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["relic", "--help"], capsys)
    assert code == 0
    flat = " ".join(out.split())
    assert "all" in flat and "pseudo-dirac" in flat and "default: complex-scalar" in flat
