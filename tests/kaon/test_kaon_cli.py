"""``darkreach kaon ...`` end to end: JSON keys, units, plots, bad input (exit 2, no file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkreach.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("model", "mass", "mass_mev", "coupling", "expected"),
    [
        ("lmu-ltau", "100MeV", 100.0, "1", 1.803e-2),
        ("scalar", "0.1GeV", 100.0, "1e-3", 1.319e-8),
        ("hnl-mu", "300MeV", 300.0, "1e-8", 0.6356 * 3.900e-8),
    ],
)
def test_br_json(
    model: str,
    mass: str,
    mass_mev: float,
    coupling: str,
    expected: float,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(
        ["kaon", "br", "--model", model, "--mass", mass, "--coupling", coupling, "--json"], capsys
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["branching_ratio"] == pytest.approx(expected, rel=2e-3)
    assert payload["mass_MeV"] == pytest.approx(mass_mev)


def test_br_text_and_cut(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "kaon",
            "br",
            "--model",
            "lmu-ltau",
            "--mass",
            "10MeV",
            "--coupling",
            "1",
            "--m2miss-min",
            "23000MeV2",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["branching_ratio"] == pytest.approx(0.247 * 0.2173, rel=5e-3)
    code, out, _ = run(
        ["kaon", "br", "--model", "hnl-e", "--mass", "300MeV", "--coupling", "1e-9"], capsys
    )
    assert code == 0 and out.startswith("BR(K+ -> e+ N)")


def test_background_json_units(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["kaon", "background", "--m2miss-min", "0.02GeV2", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["branching_ratio"] == pytest.approx(2.307e-3, rel=2e-3)
    code, out2, _ = run(["kaon", "background", "--m2miss-min", "20000MeV2", "--json"], capsys)
    assert json.loads(out2)["branching_ratio"] == json.loads(out)["branching_ratio"]


def test_spectrum_writes_plot_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png, csv = tmp_path / "spec.png", tmp_path / "spec.csv"
    code, out, err = run(
        ["kaon", "spectrum", "--masses", "20MeV,150MeV", "--plot", str(png), "--out", str(csv)],
        capsys,
    )
    assert code == 0, err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    lines = [line for line in csv.read_text().splitlines() if not line.startswith("#")]
    assert lines[0].startswith("m2miss_low_GeV2") and "signal_150MeV" in lines[0]
    assert "wrote" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["kaon", "br", "--model", "lmu-ltau", "--mass", "400MeV", "--coupling", "1"], "388.02"),
        (["kaon", "br", "--model", "scalar", "--mass", "10MeV", "--coupling", "-1"], "coupling"),
        (["kaon", "br", "--model", "hnl-mu", "--mass", "390MeV", "--coupling", "1e-8"], "m_N"),
        (
            ["kaon", "br", "--model", "lmu-ltau", "--mass", "10 furlongs", "--coupling", "1"],
            "--mass",
        ),
        (["kaon", "background", "--m2miss-min", "0.2GeV2"], "0.15056"),
        (["kaon", "background", "--m2miss-min", "0GeV2"], "m2miss_min"),
        (["kaon", "background", "--m2miss-min", "0.1GeV"], "--m2miss-min"),
        (["kaon", "spectrum", "--masses", "500MeV"], "388.02"),
        (["kaon", "spectrum", "na64mu-2022"], "kaon-invisible"),
    ],
)
def test_bad_input_exit_2_one_line_no_file(
    args: list[str], needle: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = ["--plot", str(tmp_path / "x.png")] if args[1] == "spectrum" else []
    code, _, err = run(args + extra, capsys)
    assert code == 2
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--model", "hnl-mu", "--coupling", "2"], ["--coupling", "= 2 ", "0 < |U_mu4|^2 <= 1"]),
        (["--model", "hnl-e", "--coupling", "0"], ["--coupling", "= 0 ", "0 < |U_e4|^2 <= 1"]),
        (["--model", "hnl-e", "--coupling", "inf"], ["--coupling", "inf", "0 < |U_e4|^2 <= 1"]),
        (["--model", "lmu-ltau", "--coupling", "nan"], ["--coupling", "nan", "finite g >= 0"]),
        (["--model", "scalar", "--coupling", "-1e-3"], ["--coupling", "-0.001", "finite g >= 0"]),
    ],
)
def test_br_coupling_range_one_line(
    args: list[str], needles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["kaon", "br", "--mass", "300MeV", *args], capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    for needle in needles:
        assert needle in err


def test_spectrum_coupling_checked(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["kaon", "spectrum", "--coupling", "-1", "--json"], capsys)
    assert code == 2 and "--coupling" in err and "finite g >= 0" in err


def _strings(obj: object) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in [str(k), *_strings(v)]]
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def test_spectrum_json_keys_plain_text_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    from darkreach._version import __version__

    code, out, err = run(
        ["kaon", "spectrum", "na62-2016-2018", "--masses", "20MeV,150MeV", "--json"],
        capsys,
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["version"] == __version__
    assert payload["mass_MeV"] == pytest.approx([20.0, 150.0])
    assert "masses_MeV" not in payload and payload["kind"] == "emulated"
    for text in _strings(payload):
        assert "$" not in text and "\\" not in text, text


def test_help_lists_every_accepted_value(capsys: pytest.CaptureFixture[str]) -> None:
    import click.testing

    from darkreach.cli.kaon import kaon

    runner = click.testing.CliRunner()
    br_help = " ".join(runner.invoke(kaon, ["br", "--help"]).output.split())
    for value in ("lmu-ltau", "scalar", "hnl-mu", "hnl-e", "vector-muon-only", "0 < |U|^2 <= 1"):
        assert value in br_help
    spec_help = " ".join(runner.invoke(kaon, ["spectrum", "--help"]).output.split())
    for value in ("lmu-ltau", "scalar", "na62-2015", "na62-2016-2018", "na62-ultimate", "A:B:N"):
        assert value in spec_help
