"""The command line end to end: outputs, JSON keys, and bad input (exit 2, one line, no file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from darkreach import __version__
from darkreach.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_reach_writes_csv_and_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path, png_path = tmp_path / "reach.csv", tmp_path / "reach.png"
    code, out, err = run(
        ["reach", "na64mu-2022", "--out", str(csv_path), "--plot", str(png_path)], capsys
    )
    assert code == 0, err
    header = [line for line in csv_path.read_text().splitlines() if line.startswith("#")]
    text = "\n".join(header)
    for needle in ("lmu-ltau", "na64mu-2022", "CL: 0.9", "method: cls", __version__):
        assert needle in text
    rows = [line for line in csv_path.read_text().splitlines() if not line.startswith("#")]
    assert rows[0].startswith("card,mass_MeV,coupling")
    assert len(rows) == 201
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png_path.stat().st_size > 20_000
    umask = os.umask(0)
    os.umask(umask)
    assert csv_path.stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    assert "wrote table" in out


def test_reach_json_single_and_overlay(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["reach", "na64mu-2022", "--masses", "1MeV:1GeV:15", "--json"], capsys)
    assert code == 0
    (record,) = json.loads(out)["curves"]
    assert len(record["mass_MeV"]) == len(record["coupling"]) == 15
    assert record["mass_MeV"][0] == pytest.approx(1.0)
    code, out, _ = run(
        ["reach", "na64mu-2022", "m3-phase1", "--masses", "10MeV,100MeV", "--json"], capsys
    )
    payload = {c["card"]: c for c in json.loads(out)["curves"]}
    assert set(payload) == {"na64mu-2022", "m3-phase1"}
    for curve in payload.values():
        assert len(curve["mass_MeV"]) == len(curve["coupling"]) == 2
    # projection: expected bands are reported too
    assert all(v is not None for v in payload["m3-phase1"]["coupling_plus1"])
    assert all(v is None for v in payload["na64mu-2022"]["coupling_plus1"])


def test_xsec_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "xsec",
            "mu-brem",
            "--model",
            "lmu-ltau",
            "--target",
            "Pb",
            "--energy",
            "160GeV",
            "--mass",
            "10MeV",
            "--xmin",
            "0.5",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["sigma_pb"] == pytest.approx(1.084e10, rel=0.02)  # validation MB-4
    code, out, _ = run(
        [
            "xsec",
            "mu-brem",
            "--model",
            "lmu-ltau",
            "--energy",
            "0.16TeV",
            "--mass",
            "10 MeV",
            "--xmin",
            "0.5",
            "--coupling",
            "1e-3",
            "--json",
        ],
        capsys,
    )
    assert json.loads(out)["sigma_pb"] == pytest.approx(1.084e4, rel=0.02)


def test_widths_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["widths", "lmu-ltau", "--mass", "300MeV", "--coupling", "1e-3", "--json"], capsys
    )
    assert code == 0
    payload = json.loads(out)
    # validation MOD-2: Gamma_nu = 7.9577e-9 GeV, Gamma_mumu = 7.0498e-9 GeV, BR_inv 0.5302
    assert payload["total_width_MeV"] == pytest.approx((7.9577e-9 + 7.0498e-9) * 1e3, rel=1e-3)
    assert sum(payload["branching_ratios"].values()) == pytest.approx(1.0)
    assert payload["invisible_branching_ratio"] == pytest.approx(0.5302, abs=2e-4)


def test_gminus2_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["gminus2", "lmu-ltau", "--mass", "10MeV", "--coupling", "5e-4", "--json"], capsys
    )
    assert code == 0
    assert json.loads(out)["delta_a_mu"] == pytest.approx(2.478e-9, rel=1e-3)  # G2-6


def test_cards_and_cite(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["cards", "--json"], capsys)
    names = {c["name"] for c in json.loads(out)["cards"]}
    assert {"na64mu-2022", "na64mu-2023", "na64mu-run4", "m3-phase1", "m3-phase2"} <= names
    code, out, _ = run(["--cite"], capsys)
    assert code == 0 and "@software{darkreach" in out and "2401.01708" in out


BAD_INPUTS = [
    (["reach", "na64mu-2022", "--masses", "0MeV:1GeV:10"], "--masses"),
    (["reach", "na64mu-2022", "--masses", "1MeV:200GeV:10"], "mass"),
    (["reach", "no-such-card"], "card"),
    (["reach", "na64mu-2022", "--model", "axion-of-doom"], "model"),
    (["reach", "na64mu-2022", "--masses", "1MeV:3furlongs:10"], "--masses"),
    (["reach", "na64mu-2022", "--cl", "1.2"], "--cl"),
    (["xsec", "mu-brem", "--energy", "160GeV", "--mass", "-10MeV"], "--mass"),
    (
        ["xsec", "mu-brem", "--energy", "160GeV", "--mass", "10MeV", "--coupling", "-1"],
        "--coupling",
    ),
    (["xsec", "mu-brem", "--energy", "160 GeVs", "--mass", "10MeV"], "--energy"),
    (["xsec", "mu-brem", "--energy", "160GeV", "--mass", "170GeV"], "--energy"),
    (["widths", "lmu-ltau", "--mass", "0", "--coupling", "1e-3"], "--mass"),
    (["widths", "lmu-ltau", "--mass", "10MeV", "--coupling", "-1e-3"], "--coupling"),
    (["widths", "banana", "--mass", "10MeV", "--coupling", "1e-3"], "model"),
    (
        [
            "gminus2",
            "lmu-ltau",
            "--mass",
            "10MeV",
            "--coupling",
            "1e-3",
            "--gminus2-reference",
            "nope",
        ],
        "reference",
    ),
]


@pytest.mark.parametrize(("args", "field"), BAD_INPUTS)
def test_bad_input_one_line_exit_2_no_file(
    args: list[str], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    if args[0] == "reach":
        outputs = [tmp_path / "r.csv", tmp_path / "r.png"]
        args = [*args, "--out", str(outputs[0]), "--plot", str(outputs[1])]
    code, _, err = run(args, capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("darkreach: error:")
    assert field in lines[0]
    assert "Traceback" not in err
    assert not any(p.exists() for p in outputs)
    assert list(tmp_path.iterdir()) == []


def test_malformed_card_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = tmp_path / "broken.toml"
    card.write_text('type = "missing-momentum"\nname = "x"\n')
    out_csv = tmp_path / "r.csv"
    code, _, err = run(["reach", str(card), "--out", str(out_csv)], capsys)
    assert code == 2 and "broken.toml" in err and len(err.strip().splitlines()) == 1
    assert not out_csv.exists()


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "darkreach",
            "widths",
            "lmu-ltau",
            "--mass",
            "-1",
            "--coupling",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_reach_in_the_y_plane(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "reach",
            "na64mu-2022",
            "--model",
            "lmu-ltau-dm",
            "--plane",
            "y",
            "--masses",
            "3MeV,30MeV",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    (payload,) = json.loads(out)["curves"]
    assert payload["plane"] == "y"
    g = np.array(payload["coupling"])
    # convention (b): y = g^2 alpha_D (m_chi/m_Z')^4 / (4 pi alpha), alpha_D = 0.5, ratio 3
    expected = g**2 * 0.5 / 3**4 / (4 * np.pi / 137.035999)
    np.testing.assert_allclose(payload["y"], expected, rtol=1e-6)
    np.testing.assert_allclose(payload["mass_MeV"], [1.0, 10.0])  # m_chi = m_Z' / 3
    np.testing.assert_allclose(payload["mediator_mass_MeV"], [3.0, 30.0])
    png = tmp_path / "y.png"
    code, _, _ = run(
        [
            "reach",
            "na64mu-2022",
            "m3-phase2",
            "--model",
            "lmu-ltau-dm",
            "--plane",
            "y",
            "--masses",
            "1MeV:1GeV:20",
            "--plot",
            str(png),
        ],
        capsys,
    )
    assert code == 0 and png.stat().st_size > 20_000


def test_overlay_across_experiment_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["reach", "na62-ultimate", "na64mu-2022", "--masses", "10MeV,1GeV", "--json"], capsys
    )
    assert code == 0
    curves = {c["card"]: c for c in json.loads(out)["curves"]}
    assert curves["na62-ultimate"]["coupling"][1] is None  # 1 GeV > m_K - m_mu: no reach
    assert curves["na64mu-2022"]["coupling"][1] is not None


def test_gminus2_list_references_needs_no_other_argument(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["gminus2", "--list-references", "--json"], capsys)
    assert code == 0
    names = [r["name"] for r in json.loads(out)["references"]]
    assert "fnal2023-wp20" in names and "fnal2025-wp25" in names
    code, _, err = run(["gminus2", "--mass", "10MeV", "--coupling", "1e-3"], capsys)
    assert code == 2 and "MODEL" in err and err.count("\n") == 1
