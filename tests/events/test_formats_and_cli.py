"""``darkreach events``: round trips through Parquet / HepMC3 / LHE, the header's cross section
against ``darkreach xsec mu-brem``, and bad input (one line, exit 2, nothing written)."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from darkreach._version import __version__
from darkreach.cli import main
from darkreach.events.mu_brem import sample_mu_brem
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model

pq = pytest.importorskip("pyarrow.parquet")  # the darkreach[events] extra (in darkreach[test])
pyhepmc = pytest.importorskip("pyhepmc")

SIGNAL = ["--model", "scalar", "--mass", "300MeV", "--coupling", "1e-4", "--seed", "42"]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _reference(n: int):  # type: ignore[no-untyped-def]
    """The sample the CLI draws for SIGNAL (same seed, same card)."""
    return sample_mu_brem(
        get_experiment("na64mu-2022"),
        get_model("scalar"),
        300.0,
        n,
        np.random.default_rng(42),
        1e-4,
    )


def test_parquet_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ev.parquet"
    code, _, err = run(["events", "na64mu-2022", *SIGNAL, "--n", "500", "--out", str(out)], capsys)
    assert code == 0, err
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"darkreach"])
    ref = _reference(500)
    for key, values in ref.columns.items():
        assert np.array_equal(table.column(key).to_numpy(), values), key
    assert meta["seed"] == 42 and meta["darkreach_version"] == __version__
    assert meta["model"] == "scalar" and meta["card"] == "na64mu-2022"
    assert meta["mass_MeV"] == 300.0 and meta["coupling"] == 1e-4
    assert meta["cross_section_pb"] == pytest.approx(ref.metadata["cross_section_pb"])
    assert meta["units"] == {"momentum": "MeV", "length": "mm", "time": "ns"}
    assert np.allclose(table.column("weight").to_numpy(), meta["cross_section_pb"])


def test_hepmc3_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ev.hepmc3"
    code, _, err = run(["events", "na64mu-2022", *SIGNAL, "--n", "200", "--out", str(out)], capsys)
    assert code == 0, err
    ref = _reference(200)
    c = ref.columns
    offsets = ref.event_slices()
    with pyhepmc.open(out) as f:
        events = list(f)
    assert len(events) == 200
    for i, evt in enumerate(events):
        rows = slice(offsets[i], offsets[i + 1])
        parts = evt.particles
        assert [p.pid for p in parts] == list(c["pdg"][rows])
        assert [p.status for p in parts] == list(c["status"][rows])
        mom = np.array([[p.momentum.x, p.momentum.y, p.momentum.z, p.momentum.e] for p in parts])
        ref_mom = np.stack([c[k][rows] for k in ("px", "py", "pz", "E")], axis=-1)
        assert np.allclose(mom, ref_mom, rtol=1e-12, atol=1e-9)
        assert evt.weights[0] == pytest.approx(ref.weights[i])
        # vertices: primary at the interaction point, the decay vertex where the muons start
        assert len(evt.vertices) == 2
        prod = [p for p in parts if p.production_vertex is not None and p.pid in (13, -13)]
        decay_vertex = prod[-1].production_vertex.position
        d = np.flatnonzero(c["production_vertex"][rows] == 1)[0] + offsets[i]
        assert decay_vertex.z == pytest.approx(c["z"][d])
        assert decay_vertex.t == pytest.approx(c["t"][d] * 299.792458)  # c t in mm
    assert events[0].run_info.attributes["darkreach_seed"] is not None


def _parse_lhe(path: Path) -> tuple[str, list[np.ndarray], list[float]]:
    """A minimal LHE reader: header text, per-event particle arrays and weights."""
    root = ET.parse(path).getroot()
    assert root.tag == "LesHouchesEvents" and root.attrib["version"] == "3.0"
    header = ET.tostring(root.find("header"), encoding="unicode")
    events, weights = [], []
    for evt in root.findall("event"):
        lines = [ln.split() for ln in (evt.text or "").strip().splitlines()]
        n = int(lines[0][0])
        weights.append(float(lines[0][2]))
        events.append(np.array([[float(v) for v in ln] for ln in lines[1 : 1 + n]]))
    return header, events, weights


def test_lhe_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ev.lhe"
    code, _, err = run(["events", "na64mu-2022", *SIGNAL, "--n", "200", "--out", str(out)], capsys)
    assert code == 0, err
    header, events, weights = _parse_lhe(out)
    assert "no vertex positions" in header.lower()
    ref = _reference(200)
    c = ref.columns
    offsets = ref.event_slices()
    for i, rows in enumerate(events):
        sl = slice(offsets[i], offsets[i + 1])
        assert np.array_equal(rows[:, 0].astype(int), c["pdg"][sl])
        ref_mom = np.stack([c[k][sl] for k in ("px", "py", "pz", "E")], axis=-1) * 1e-3  # GeV
        assert np.allclose(rows[:, 6:10], ref_mom, rtol=1e-9, atol=1e-12)
        status = rows[:, 1].astype(int)
        assert list(status[:2]) == [-1, -1] and 2 in status
    assert np.allclose(weights, ref.metadata["cross_section_pb"], rtol=1e-9)


@pytest.mark.parametrize(("model", "coupling"), [("lmu-ltau", None), ("scalar", "2e-3")])
def test_cross_section_matches_xsec(
    thin_card: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], model: str, coupling
) -> None:  # type: ignore[no-untyped-def]
    """Thin Pb card (x > 0.5, no energy loss): header cross section = ``xsec mu-brem``."""
    extra = ["--coupling", coupling] if coupling else []
    out = tmp_path / "thin.parquet"
    args = ["events", str(thin_card), "--model", model, "--mass", "10MeV", "--n", "100"]
    code, _, err = run([*args, *extra, "--out", str(out)], capsys)
    assert code == 0, err
    meta = json.loads(pq.read_table(out).schema.metadata[b"darkreach"])
    xs = ["xsec", "mu-brem", "--model", model, "--target", "Pb", "--energy", "160GeV"]
    code, text, err = run([*xs, "--mass", "10MeV", "--xmin", "0.5", *extra, "--json"], capsys)
    assert code == 0, err
    expected = json.loads(text)["sigma_pb"]
    assert meta["cross_section_pb"] == pytest.approx(expected, rel=2e-4)


def test_thick_target_lead_cross_section_near_xsec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """NA64mu card: the Pb part is the 160 GeV value within the energy-loss effect (< 2 %)."""
    out = tmp_path / "na64.parquet"
    args = ["events", "na64mu-2022", "--model", "lmu-ltau", "--mass", "10MeV", "--n", "100"]
    assert run([*args, "--out", str(out), "--json"], capsys)[0] == 0
    meta = json.loads(pq.read_table(out).schema.metadata[b"darkreach"])
    xs = ["xsec", "mu-brem", "--target", "Pb", "--energy", "160GeV", "--mass", "10MeV"]
    _code, text, _ = run([*xs, "--xmin", "0.5", "--json"], capsys)
    pb = meta["cross_section_by_nucleus_pb"]["Z=82,A=207.2"]
    assert pb == pytest.approx(json.loads(text)["sigma_pb"], rel=0.02)


def test_kaon_and_ib_channels_write(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "k.parquet"
    code, text, err = run(
        ["events", "na62-2016-2018", "--model", "lmu-ltau", "--mass", "100MeV", "--n", "100",
         "--out", str(out), "--seed", "1"],
        capsys,
    )  # fmt: skip
    assert code == 0, err and "K+ -> mu+ nu X" in text
    out2 = tmp_path / "ib.lhe"
    code, text, err = run(
        ["events", "na62-2016-2018", "--channel", "ib-background", "--n", "50", "--out", str(out2)],
        capsys,
    )
    assert code == 0, err
    assert "inner bremsstrahlung" in out2.read_text()


BAD = [
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "0"], "--n"),
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "-5"], "--n"),
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "2.5"], "--n"),
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "many"], "--n"),
    (["--model", "lmu-ltau", "--mass", "170GeV", "--n", "10"], "--mass"),
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "10", "--format", "root"], "--format"),
    (["--model", "lmu-ltau", "--mass", "10MeV", "--n", "10", "--coupling", "-1"], "--coupling"),
    (["--model", "hnl-mu", "--mass", "10MeV", "--n", "10"], "model"),
    (["--channel", "ib-background", "--n", "10"], "--channel"),
]


@pytest.mark.parametrize(("args", "field"), BAD)
def test_bad_input_one_line_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    out = tmp_path / "ev.parquet"
    code, _text, err = run(["events", "na64mu-2022", *args, "--out", str(out)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and field in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_bad_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    base = ["events", "na64mu-2022", "--model", "lmu-ltau", "--mass", "10MeV", "--n", "10"]
    for out in (blocker / "ev.parquet", tmp_path / "ev.root", tmp_path):
        code, _, err = run([*base, "--out", str(out)], capsys)
        assert code == 2 and len(err.strip().splitlines()) == 1 and "--out" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize(
    ("module", "suffix"), [("pyhepmc", ".hepmc3"), ("pyarrow.parquet", ".parquet")]
)
def test_missing_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    module: str, suffix: str,
) -> None:  # fmt: skip
    monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    out = tmp_path / f"ev{suffix}"
    base = ["events", "na64mu-2022", "--model", "lmu-ltau", "--mass", "10MeV", "--n", "10"]
    code, _, err = run([*base, "--out", str(out)], capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and 'pip install "darkreach[events]"' in err
    assert list(tmp_path.iterdir()) == []
