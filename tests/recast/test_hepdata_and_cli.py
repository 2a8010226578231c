"""HEPData export (validated offline by hepdata-validator), read-back, and the recast CLI."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from darkreach import __version__
from darkreach.cli import main
from darkreach.curves import read_curve
from darkreach.errors import InvalidParameterError
from darkreach.hepdata import write_submission
from darkreach.reach import compute_reach


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def validate(directory: Path) -> None:
    from hepdata_validator.full_submission_validator import FullSubmissionValidator

    validator = FullSubmissionValidator()  # schemas shipped in the wheel (1.1.1 by default)
    valid = validator.validate(directory=str(directory))
    messages = {k: [m.message for m in v] for k, v in validator.get_messages().items()}
    assert valid, messages


def test_submission_validates_offline_and_reads_back(tmp_path: Path, no_network: None) -> None:
    masses = np.geomspace(1.0, 20000.0, 12)  # the last masses are beyond NA64mu: '-' entries
    curves = compute_reach(["na64mu-2022", "m3-phase1"], "lmu-ltau", masses)
    curves += compute_reach(["na64mu-2022"], "scalar", masses)  # a closed region: upper edge
    target = tmp_path / "submission"
    files = write_submission(curves, target)
    assert sorted(p.name for p in files) == [
        "m3-phase1.yaml",
        "na64mu-2022.yaml",
        "na64mu-2022_2.yaml",
        "submission.yaml",
    ]
    validate(target)
    text = (target / "na64mu-2022.yaml").read_text()
    needles = ("units: MeV", "name: CL", "name: model", "name: card", __version__, "value: '-'")
    for needle in needles:
        assert needle in text
    assert "&id" not in text  # no YAML anchors
    for curve, name in zip(curves, ["na64mu-2022", "m3-phase1", "na64mu-2022_2"], strict=True):
        back = read_curve(target / f"{name}.yaml")
        assert (back.card, back.model, back.kind, back.method) == (
            curve.card,
            curve.model,
            curve.kind,
            curve.method,
        )
        assert back.cl == pytest.approx(curve.cl)
        np.testing.assert_allclose(back.mass_MeV, curve.masses, rtol=1e-6)
        np.testing.assert_allclose(back.coupling, curve.coupling, rtol=1e-6)
        if curve.coupling_upper is not None:
            assert back.coupling_upper is not None
            np.testing.assert_allclose(back.coupling_upper, curve.coupling_upper, rtol=1e-6)
    # projections carry their expected bands
    assert "expected +1 sigma" in (target / "m3-phase1.yaml").read_text()


def test_submission_is_all_or_nothing(tmp_path: Path) -> None:
    curves = compute_reach(["na64mu-2022"], "lmu-ltau", [10.0, 100.0])
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep")
    with pytest.raises(InvalidParameterError, match="a new directory, or an empty one"):
        write_submission(curves, tmp_path / "full")
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["x.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full"]  # no temporary left


def test_reach_cli_hepdata(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "hd"
    code, out, err = run(
        ["reach", "na64mu-2022", "--masses", "1MeV:1GeV:8", "--hepdata", str(target)], capsys
    )
    assert code == 0, err
    assert "wrote HEPData submission" in out
    validate(target)
    # an existing non-empty directory: one line, exit 2, nothing written
    code, _, err = run(
        ["reach", "na64mu-2022", "--masses", "1MeV:1GeV:8", "--hepdata", str(target),
         "--out", str(tmp_path / "r.csv")],
        capsys,
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "--hepdata" in err
    assert not (tmp_path / "r.csv").exists()


@pytest.fixture
def reach_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "z.csv"
    code, _, err = run(
        ["reach", "na64mu-2022", "m3-phase1", "--masses", "1MeV:1GeV:10", "--out", str(path)],
        capsys,
    )
    assert code == 0, err
    return path


def test_recast_cli_json_csv_plot(
    reach_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv, plot = tmp_path / "s.csv", tmp_path / "s.png"
    args = ["recast", str(reach_csv), "--card", "na64mu-2022", "--curve-card", "na64mu-2022"]
    code, out, err = run(
        [*args, "--from", "lmu-ltau", "--to", "scalar", "--json", "--out", str(out_csv),
         "--plot", str(plot)],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "WARNING: spins differ" in err  # printed as a warning
    payload = json.loads(out)
    assert next(iter(payload)) == "version"
    (record,) = payload["curves"]
    for key in ("card", "model", "from_model", "mass_MeV", "coupling", "coupling_upper", "notes"):
        assert key in record
    assert (record["card"], record["model"], record["from_model"]) == (
        "na64mu-2022",
        "scalar",
        "lmu-ltau",
    )
    assert len(record["mass_MeV"]) == len(record["coupling"]) == 10
    assert plot.read_bytes()[:4] == b"\x89PNG"
    back = read_curve(out_csv)
    assert back.model == "scalar"
    np.testing.assert_allclose(back.coupling, np.array(record["coupling"], float), rtol=1e-6)
    # model options go to the model that takes them
    code, out, err = run(
        [*args, "--from", "lmu-ltau", "--to", "lmu-ltau-dm", "--alpha-d", "0.1", "--json"], capsys
    )
    assert code == 0, err
    assert err == ""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--from", "hnl-mu", "--to", "lmu-ltau", "--card", "na62-hnl-mu"], "no common production"),
        (["--from", "lmu-ltau", "--to", "nope", "--card", "na64mu-2022"], "model = 'nope'"),
        (["--from", "lmu-ltau", "--to", "scalar", "--card", "nope"], "card = 'nope'"),
        (
            ["--from", "lmu-ltau", "--to", "scalar", "--card", "na64mu-2022", "--alpha-d", "0.1"],
            "--alpha-d/--ratio/--dm",
        ),
        (
            ["--from", "lmu-ltau", "--to", "scalar", "--card", "na64mu-2022", "--curve-card", "x"],
            "--curve-card = x",
        ),
    ],
)
def test_recast_cli_bad_input(
    reach_csv: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    out_csv = tmp_path / "o.csv"
    args = ["recast", str(reach_csv), "--out", str(out_csv), *extra]
    if "--curve-card" not in extra:
        args += ["--curve-card", "na64mu-2022"]
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err, err
    assert out == "" and not out_csv.exists()


def test_recast_cli_bad_curve_and_clobber(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("mass,coupling\n1,1e-3\n")
    code, _, err = run(
        ["recast", str(bad), "--card", "na64mu-2022", "--from", "lmu-ltau", "--to", "scalar"],
        capsys,
    )
    assert code == 2 and "without a unit" in err and err.count("\n") == 1
    good = tmp_path / "good.csv"
    good.write_text("mass_MeV,coupling\n1,1e-3\n10,1e-3\n")
    code, _, err = run(
        ["recast", str(good), "--card", "na64mu-2022", "--from", "lmu-ltau", "--to", "scalar",
         "--out", str(good)],
        capsys,
    )  # fmt: skip
    assert code == 2 and "other than the input" in err
    assert good.read_text().startswith("mass_MeV")
