"""``darkreach calibrate``: round trip, provenance, TOML writing and bad input (issue 8)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from darkreach.calibrate import (
    Curve,
    calibrate_efficiency,
    card_toml,
    curve_points,
    load_curve,
)
from darkreach.cli import main
from darkreach.errors import InvalidParameterError
from darkreach.experiments.registry import available_cards, card_path, get_experiment, load_card
from darkreach.io import read_reach_csv
from darkreach.models.registry import get_model

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MASSES = "1MeV:2GeV:13"


def _variant(tmp_path: Path, efficiency_block: str, name: str = "variant") -> Path:
    """na64mu-2022 with its efficiency section replaced."""
    text = card_path("na64mu-2022").read_text()
    old = text[text.index("[efficiency]") : text.index("[statistics]")]
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, efficiency_block + "\n"))
    return path


TABLE = (
    "[efficiency]\n"
    'table = { masses = ["1 MeV", "100 MeV", "1 GeV"], values = [0.2, 0.1, 0.05], '
    'source = "test", status = "assumption" }\n'
)


def _curve(tmp_path: Path, card: Path, model: str, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "curve.csv"
    assert main(["reach", str(card), "--model", model, "--masses", MASSES, "--out", str(out)]) == 0
    capsys.readouterr()
    return out


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("model", ["lmu-ltau", "dark-photon-dm", "scalar"])
def test_round_trip_reproduces_a_darkreach_curve(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], model: str
) -> None:
    """Curve from a card with a known (different) efficiency; calibrating the shipped card to
    it recovers that efficiency and the new card reproduces the curve within 1 %."""
    truth = _variant(tmp_path, TABLE, "truth")
    curve_file = _curve(tmp_path, truth, model, capsys)
    out = tmp_path / "new.toml"
    code, stdout, err = _run(
        [
            "calibrate",
            "na64mu-2022",
            "--to",
            str(curve_file),
            "--citation",
            "a test curve made by darkreach",
            "--out",
            str(out),
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    record = json.loads(stdout)
    assert record["model"] == model  # taken from the curve file's header
    assert record["max_relative_deviation"] < 1e-3
    masses = np.array(record["mass_MeV"])
    expected = load_card(truth).efficiency(masses)
    np.testing.assert_allclose(record["efficiency"], expected, rtol=1e-4)
    # the written card reproduces the curve at its masses, through the CLI
    again = tmp_path / "again.csv"
    assert main(["reach", str(out), "--model", model, "--masses", MASSES, "--out", str(again)]) == 0
    (want,) = read_reach_csv(curve_file).values()
    (got,) = read_reach_csv(again).values()
    np.testing.assert_allclose(got["coupling"], want["coupling"], rtol=0.01)


def test_written_card_has_its_provenance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    curve_file = _curve(tmp_path, _variant(tmp_path, TABLE, "truth"), "lmu-ltau", capsys)
    out = tmp_path / "mine.toml"
    args = ["calibrate", "na64mu-2022", "--to", str(curve_file), "--out", str(out)]
    code, stdout, err = _run([*args, "--citation", "Someone et al., PRL 1 (2030) 1"], capsys)
    assert code == 0, err
    assert "wrote card" in stdout
    card = load_card(out)
    assert card.name == "na64mu-2022-calibrated"
    table = card.efficiency.table
    assert table is not None and table.status == "calibrated"
    assert "curve.csv" in table.source and "Someone et al." in table.source
    assert "darkreach" in table.note and "lmu-ltau" in table.note
    assert any(ref.citation == "Someone et al., PRL 1 (2030) 1" for ref in card.references)
    # everything else is the original card
    original = load_card("na64mu-2022")
    for section in ("beam", "target", "selection", "statistics", "production"):
        assert getattr(card, section) == getattr(original, section)
    assert all(isinstance(m, str) and m.endswith("MeV") for m in table.masses)  # units written


def test_stated_node_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    curve_file = _curve(tmp_path, _variant(tmp_path, TABLE, "truth"), "lmu-ltau", capsys)
    out = tmp_path / "nodes.toml"
    args = ["calibrate", "na64mu-2022", "--to", str(curve_file), "--out", str(out)]
    code, stdout, err = _run([*args, "--nodes", "2MeV:1GeV:5", "--json"], capsys)
    assert code == 0, err
    record = json.loads(stdout)
    np.testing.assert_allclose(record["mass_MeV"], np.geomspace(2.0, 1000.0, 5))
    assert len(load_card(out).efficiency.table.masses) == 5


def test_efficiency_formula_is_exact_without_the_cli() -> None:
    """eps_new = eps_old s_up / S_old(m, g_c): the fitted card's S(m, g_c) equals s_up."""
    experiment = get_experiment("na64mu-2022")
    model = get_model("dark-photon-dm")
    masses = np.array([3.0, 80.0, 600.0])
    coupling = np.array([1e-3, 1.5e-3, 9e-3])
    result = calibrate_efficiency(experiment, model, Curve(masses, coupling, "x.csv"), name="x")
    np.testing.assert_allclose(result.reached, coupling, rtol=1e-4)
    # S is proportional to eps^2 here: the efficiency goes as 1/g_c^2 at fixed mass, up to
    # BR_inv = 1 - O(eps^2 alpha R/alpha_D): at 600 MeV the hadronic width (issue 10) makes
    # the visible share ~1e-4 at eps = 1.8e-2, hence rtol 1e-3 there
    again = calibrate_efficiency(experiment, model, Curve(masses, 2 * coupling, "x.csv"), name="x")
    np.testing.assert_allclose(result.efficiency[:2] / again.efficiency[:2], 4.0, rtol=1e-4)
    np.testing.assert_allclose(result.efficiency[2] / again.efficiency[2], 4.0, rtol=1e-3)


@pytest.mark.parametrize("name", [c.name for c in available_cards()])
def test_toml_writer_round_trips_every_shipped_card(name: str) -> None:
    card = load_card(name)
    text = card_toml(card.model_dump(mode="json", exclude_none=True), comments=("a test",))
    assert text.startswith("# a test\n")
    assert type(card).model_validate(tomllib.loads(text)) == card


def test_toml_writer_escapes_strings() -> None:
    data = {"a": 'quote " and \\ backslash', "b": "two\nlines", "c": [1.5e-7, 2e13], "d": True}
    assert tomllib.loads(card_toml(data)) == data


def test_curve_reader_drops_empty_couplings_and_reads_the_header_model(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("# model: scalar\ncard,mass_MeV,coupling,x\na,1,,7\na,2,1e-3,\na,3,2e-3,1\n")
    curve = load_curve(path)
    assert curve.model == "scalar"
    np.testing.assert_allclose(curve.masses, [2.0, 3.0])
    np.testing.assert_allclose(curve.coupling, [1e-3, 2e-3])


def test_curve_points_within_the_card_range() -> None:
    curve = Curve(np.array([0.5, 10.0, 2e5]), np.array([1e-3, 1e-3, 1.0]), "c.csv")
    masses, _ = curve_points(curve, (1.0, 159894.3))
    np.testing.assert_allclose(masses, [0.5, 10.0])  # 2e5 MeV is beyond E0 - m_mu
    with pytest.raises(InvalidParameterError, match="nodes"):
        curve_points(curve, (1.0, 159894.3), np.array([0.1, 10.0]))


# --------------------------------------------------------------------------- bad input


def _one_line(err: str, *words: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("darkreach: error: ") and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("mass_MeV,coupling\n1e6,1e-3\n2e6,1e-3\n", ["overlapping the card's mass range"]),
        ("mass_MeV,coupling\n1,1e-3\n10,-1e-3\n", ["coupling = -0.001", "> 0"]),
        ("mass_MeV,coupling\n1,1e-3\n10,0\n", ["coupling = 0", "> 0"]),
        ("mass_MeV,coupling\n10,1e-3\n1,1e-3\n", ["strictly increasing"]),
        ("mass_MeV,coupling\n1,1e-3\n1,1e-3\n", ["strictly increasing"]),
        ("mass_keV,coupling\n1000,1e-3\n10000,1e-3\n", ["mass_MeV"]),
        ("mass,coupling\n1,1e-3\n10,1e-3\n", ["mass_MeV", "no recognised unit"]),
        ("mass_MeV\n1\n10\n", ["'coupling'"]),
        ("mass_MeV,coupling\n1,abc\n10,1e-3\n", ["numbers in mass_MeV and coupling"]),
        ("mass_MeV,coupling\n1,1e-3\n", ["at least 2 points"]),
        ("card,mass_MeV,coupling\na,1,1e-3\nb,10,1e-3\n", ["one card per file"]),
        ("mass_MeV,coupling\n1,1e-7\n10,1e-7\n", ["efficiency <= 1"]),
        ("# model: hnl-mu\nmass_MeV,coupling\n1,1e-3\n10,1e-3\n", ["hnl-mu", "model"]),
    ],
)
def test_bad_curves(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: list[str]
) -> None:
    curve = tmp_path / "bad.csv"
    curve.write_text(text)
    out = tmp_path / "new.toml"
    code, _, err = _run(["calibrate", "na64mu-2022", "--to", str(curve), "--out", str(out)], capsys)
    assert code == 2
    _one_line(err, *words)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["bad.csv"]  # no temporary file either


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--quantity", "background"], ["--quantity = background", "missing-momentum: efficiency"]),
        (["--model", "lmu-ltau", "--alpha-d", "0.1"], ["lmu-ltau-dm or dark-photon-dm"]),
        (["--model", "hnl-mu"], ["hnl-mu"]),
        (["--citation", "x"], ["--citation", "5 characters"]),
        (["--name", "Bad Name"], ["name"]),
        (["--nodes", "0.1MeV:10MeV:3"], ["--nodes = 0.1 MeV"]),
    ],
)
def test_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], words: list[str]
) -> None:
    curve = tmp_path / "ok.csv"
    curve.write_text("mass_MeV,coupling\n1,1e-3\n10,1e-3\n")
    out = tmp_path / "new.toml"
    code, _, err = _run(
        ["calibrate", "na64mu-2022", "--to", str(curve), "--out", str(out), *args], capsys
    )
    assert code == 2
    _one_line(err, *words)
    assert not out.exists()


def test_kaon_card_says_which_quantities_each_type_supports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    curve = tmp_path / "ok.csv"
    curve.write_text("mass_MeV,coupling\n1,1e-3\n10,1e-3\n")
    out = tmp_path / "new.toml"
    code, _, err = _run(
        ["calibrate", "na62-ultimate", "--to", str(curve), "--out", str(out)], capsys
    )
    assert code == 2
    _one_line(err, "--quantity = efficiency", "kaon-invisible", "missing-momentum: efficiency")
    assert not out.exists()


def test_output_paths(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    curve = tmp_path / "ok.csv"
    curve.write_text("mass_MeV,coupling\n1,1e-3\n10,1e-3\n")
    base = ["calibrate", "na64mu-2022", "--to", str(curve)]
    code, _, err = _run([*base, "--out", str(tmp_path / "new.csv")], capsys)
    assert code == 2
    _one_line(err, "--out", ".toml")
    code, _, err = _run([*base, "--out", str(tmp_path / "nodir" / "new.toml")], capsys)
    assert code == 2
    _one_line(err, "--out", "existing directory")
    code, _, err = _run(
        [
            "calibrate",
            "na64mu-2022",
            "--to",
            str(tmp_path / "no.csv"),
            "--out",
            str(tmp_path / "n.toml"),
        ],
        capsys,
    )
    assert code == 2
    _one_line(err, "--to")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.csv"]


# --------------------------------------------------------------- background (kaon-invisible)


def _kaon_variant(tmp_path: Path, inefficiency: str, name: str = "truth") -> Path:
    """na62-ultimate with another photon-veto inefficiency (an assumption)."""
    lines = card_path("na62-ultimate").read_text().splitlines()
    (i,) = [n for n, line in enumerate(lines) if line.startswith("photon_veto_inefficiency")]
    lines[i] = (
        f'photon_veto_inefficiency = {{ value = {inefficiency}, source = "test", '
        'status = "assumption" }'
    )
    path = tmp_path / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize(("model", "inefficiency"), [("lmu-ltau", 2e-3), ("scalar", 3e-2)])
def test_background_round_trip_recovers_a_known_inefficiency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], model: str, inefficiency: float
) -> None:
    """Curve from na62-ultimate with a known (different) inefficiency; calibrating the shipped
    card to it recovers that inefficiency within 1 % and the new card reproduces the curve."""
    truth = _kaon_variant(tmp_path, repr(inefficiency))
    masses = "1MeV:380MeV:12" if model == "lmu-ltau" else "1MeV:200MeV:8"
    curve_file = tmp_path / "curve.csv"
    args = ["reach", str(truth), "--model", model, "--masses", masses, "--out", str(curve_file)]
    assert main(args) == 0
    capsys.readouterr()
    out = tmp_path / "kaon.toml"
    code, stdout, err = _run(
        [
            "calibrate",
            "na62-ultimate",
            "--to",
            str(curve_file),
            "--quantity",
            "background",
            "--citation",
            "a test curve made by darkreach",
            "--out",
            str(out),
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    record = json.loads(stdout)
    assert record["model"] == model and record["quantity"] == "background"
    assert record["photon_veto_inefficiency"] == pytest.approx(inefficiency, rel=0.01)
    assert record["max_relative_deviation"] < 0.01
    card = load_card(out)
    veto = card.background.photon_veto_inefficiency
    assert veto.number() == pytest.approx(inefficiency, rel=0.01)
    assert veto.status == "calibrated"
    assert "curve.csv" in veto.source and "a test curve made by darkreach" in veto.source
    assert "darkreach" in veto.note and model in veto.note and "least squares" in veto.note
    assert card.name == "na62-ultimate-calibrated"
    original = load_card("na62-ultimate")
    for section in ("kaons", "resolution", "selection", "statistics"):
        assert getattr(card, section) == getattr(original, section)
    assert card.background.gtk_factor == original.background.gtk_factor
    again = tmp_path / "again.csv"
    args = ["reach", str(out), "--model", model, "--masses", masses, "--out", str(again)]
    assert main(args) == 0
    (want,) = read_reach_csv(curve_file).values()
    (got,) = read_reach_csv(again).values()
    np.testing.assert_allclose(got["coupling"], want["coupling"], rtol=0.01)


def test_background_summary_and_fit_masses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Human summary; --nodes chooses the masses of the fit (the curve interpolated there)."""
    curve_file = tmp_path / "t.csv"
    curve_file.write_text("# model: lmu-ltau\nmass_GeV,coupling\n0.001,3e-4\n0.1,5e-4\n")
    out = tmp_path / "k.toml"
    args = ["calibrate", "na62-ultimate", "--to", str(curve_file), "--quantity", "background"]
    code, stdout, err = _run([*args, "--nodes", "1MeV,10MeV,100MeV", "--out", str(out)], capsys)
    assert code == 0, err
    assert "photon-veto inefficiency" in stdout and "wrote card" in stdout
    note = load_card(out).background.photon_veto_inefficiency.note
    assert "3 masses (1, 10, 100 MeV)" in note


def test_background_curve_out_of_reach(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A curve far stronger than the card can reach with any inefficiency: one line."""
    curve_file = tmp_path / "t.csv"
    curve_file.write_text("mass_MeV,coupling\n10,1e-7\n100,1e-7\n")
    out = tmp_path / "k.toml"
    args = ["calibrate", "na62-ultimate", "--to", str(curve_file), "--quantity", "background"]
    code, _, err = _run([*args, "--out", str(out)], capsys)
    assert code == 2
    _one_line(err, "--to", "photon-veto inefficiency", "best fit is below")
    assert not out.exists()


@pytest.mark.parametrize(
    ("card", "quantity", "words"),
    [
        (
            "na64mu-2022",
            "background",
            ["missing-momentum: efficiency", "kaon-invisible: background"],
        ),
        ("na62-ultimate", "efficiency", ["background for a kaon-invisible card"]),
        ("na62-dimuon-2018", "background", ["nothing for a kaon-dimuon card", "none yet"]),
        ("na62-hnl-mu", "efficiency", ["kaon-hnl: none yet"]),
    ],
)
def test_quantities_per_card_type(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], card: str, quantity: str, words: list[str]
) -> None:
    curve = tmp_path / "ok.csv"
    curve.write_text("mass_MeV,coupling\n10,1e-3\n100,1e-3\n")
    out = tmp_path / "new.toml"
    args = ["calibrate", card, "--to", str(curve), "--quantity", quantity, "--out", str(out)]
    code, _, err = _run(args, capsys)
    assert code == 2
    _one_line(err, f"--quantity = {quantity}", *words)
    assert not out.exists()


def test_shared_reader_gev_hepdata_and_curve_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The calibration reads what the shared reader reads: mass_GeV, HEPData YAML tables and
    one card of a multi-card file (--curve-card)."""
    gev = tmp_path / "gev.csv"
    gev.write_text("mass_GeV,coupling\n0.001,1e-3\n0.01,1.2e-3\n")
    curve = load_curve(gev)
    np.testing.assert_allclose(curve.masses, [1.0, 10.0])
    yaml_file = tmp_path / "t.yaml"
    yaml_file.write_text(
        "independent_variables:\n- header: {name: M, units: MeV}\n  values:\n"
        "  - {value: 1}\n  - {value: 10}\n  - {value: 20}\n"
        "dependent_variables:\n- header: {name: g upper limit}\n  qualifiers:\n"
        "  - {name: model, value: scalar}\n  values:\n"
        "  - {value: 1.0e-3}\n  - {value: '-'}\n  - {value: 2.0e-3}\n"
    )
    curve = load_curve(yaml_file)
    assert curve.model == "scalar" and curve.name == "t.yaml"
    np.testing.assert_allclose(curve.masses, [1.0, 20.0])
    several = tmp_path / "several.csv"
    several.write_text("card,mass_MeV,coupling\na,1,1e-3\na,10,1e-3\nb,1,2e-3\nb,10,3e-3\n")
    np.testing.assert_allclose(load_curve(several, "b").coupling, [2e-3, 3e-3])
    truth = _variant(tmp_path, TABLE, "truth")
    reach_file = _curve(tmp_path, truth, "lmu-ltau", capsys)
    out = tmp_path / "two.toml"
    args = ["calibrate", "na64mu-2022", "--to", str(reach_file), "--out", str(out)]
    code, _, err = _run([*args, "--curve-card", "nope"], capsys)
    assert code == 2
    _one_line(err, "--curve-card = nope")
    code, _, err = _run([*args, "--curve-card", "na64mu-2022"], capsys)
    assert code == 0, err
