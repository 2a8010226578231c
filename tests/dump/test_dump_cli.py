"""``darkreach reach`` and ``recast`` with beam-dump cards: output shape and bad input.

Issue 10, section 6 (per mass ``coupling`` = lower edge, ``coupling_upper`` = upper edge, null
where nothing is excluded) and "Bad input" (one line, exit 2, nothing written).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.experiments.registry import card_path

MUMU = card_path("na62-dump-2021-mumu")
FAST = "samples = 10000"


def _fast_card(tmp_path: Path, old: str = "", new: str = "", name: str = "card.toml") -> Path:
    text = MUMU.read_text(encoding="utf-8").replace(FAST, "samples = 1500")
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line(err: str, *words: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("darkreach: error: ") and "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


def test_reach_json_has_both_edges(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Both edges per mass; null outside the excluded region; edges ordered."""
    card = _fast_card(tmp_path)
    code = main(
        ["reach", str(card), "--model", "dark-photon", "--masses", "150MeV,300MeV,450MeV,900MeV",
         "--json"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    record = json.loads(out)["curves"][0]
    low, high = record["coupling"], record["coupling_upper"]
    assert low[0] is None and high[0] is None  # below 2 m_mu
    assert low[3] is None and high[3] is None  # nothing excluded at 900 MeV
    for i in (1, 2):
        assert 1e-8 < low[i] < high[i] < 1e-4
    assert record["kind"] == "observed" and record["model"] == "dark-photon"
    assert any("Monte Carlo" in note for note in record["notes"])


def test_reach_csv_and_plot(tmp_path: Path) -> None:
    """CSV with coupling_upper filled; a closed contour plot is written."""
    card = _fast_card(tmp_path)
    out, plot = tmp_path / "r.csv", tmp_path / "r.png"
    code = main(
        ["reach", str(card), "--model", "dark-photon", "--masses", "220MeV:550MeV:8",
         "--out", str(out), "--plot", str(plot)]
    )  # fmt: skip
    assert code == 0 and plot.stat().st_size > 10_000
    rows = [line.split(",") for line in out.read_text().splitlines() if not line.startswith("#")]
    header = rows[0]
    upper = [float(r[header.index("coupling_upper")] or "nan") for r in rows[1:]]
    assert np.isfinite(upper).sum() >= 4


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('z_end = { value = "180 m"', 'z_end = { value = "100 m"', ["z_end", "L2 > L1"]),
        ("value = 1.4e17, uncertainty = 0.28e17", "value = -1e17", ["on_target", "POT"]),
        ('meson_spectra = "pythia8"', 'meson_spectra = "missing.npz"', ["meson_spectra"]),
        ('final_state = "mu mu"', 'final_state = "tau tau"', ["final_state"]),
    ],
)
def test_bad_cards_one_line_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, words: list[str]
) -> None:
    card = _fast_card(tmp_path, old, new)
    out, plot = tmp_path / "o.csv", tmp_path / "o.png"
    code = main(
        ["reach", str(card), "--model", "dark-photon", "--out", str(out), "--plot", str(plot)]
    )
    assert code == 2
    _one_line(capsys.readouterr().err, *words)
    assert not out.exists() and not plot.exists()


def test_spectrum_file_with_missing_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A user spectrum file lacking the meson's columns: one line naming what is missing."""
    spectrum = tmp_path / "spec.npz"
    np.savez(spectrum, momentum_edges_gev=np.array([1.0, 2.0]), angle_edges_rad=np.array([0, 0.1]),
             source="test")  # fmt: skip
    card = _fast_card(tmp_path, 'meson_spectra = "pythia8"', f'meson_spectra = "{spectrum}"')
    code = main(["reach", str(card), "--model", "dark-photon", "--out", str(tmp_path / "o.csv")])
    assert code == 2
    _one_line(capsys.readouterr().err, "meson_spectra", "missing", "pi0_per_pot")
    assert not (tmp_path / "o.csv").exists()


def test_mass_below_channel_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """mu mu asked below 2 m_mu only: one line naming --masses' field and the range."""
    card = _fast_card(tmp_path)
    code = main(["reach", str(card), "--model", "dark-photon", "--masses", "100MeV",
                 "--out", str(tmp_path / "o.csv")])  # fmt: skip
    assert code == 2
    _one_line(capsys.readouterr().err, "mass = 100 MeV", "211.3")
    assert not (tmp_path / "o.csv").exists()


def test_recast_darkcast_method(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """recast --method darkcast of the card's own dark-photon contour: to the dark photon it
    returns the source; to L_mu-L_tau it is empty (as DarkCast's own NA62 recast); to B-L it
    gives closed intervals (at the lighter masses)."""
    card = _fast_card(tmp_path)
    source = tmp_path / "a.csv"
    assert main(["reach", str(card), "--model", "dark-photon", "--masses", "250MeV:500MeV:5",
                 "--out", str(source)]) == 0  # fmt: skip
    capsys.readouterr()
    records = {}
    for target in ("dark-photon", "lmu-ltau", "b-l"):
        code = main(["recast", str(source), "--card", str(card), "--from", "dark-photon",
                     "--to", target, "--method", "darkcast", "--json"])  # fmt: skip
        assert code == 0
        records[target] = json.loads(capsys.readouterr().out)["curves"][0]
    same = records["dark-photon"]
    assert np.allclose(same["coupling"], same["coupling_from"], rtol=1e-6)
    assert all(v is None for v in records["lmu-ltau"]["coupling"])
    bl = records["b-l"]
    closed = [(lo, hi) for lo, hi in zip(bl["coupling"], bl["coupling_upper"], strict=True) if lo]
    assert len(closed) >= 1 and all(lo < hi for lo, hi in closed)


def test_recast_darkcast_refuses_combined_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.csv"
    source.write_text("mass_MeV,coupling,coupling_upper\n300,4e-7,2e-6\n")
    args = ["recast", str(source), "--card", "na62-dump-1e18", "--from", "dark-photon"]
    args += ["--to", "b-l", "--method", "darkcast", "--out", str(tmp_path / "o.csv")]
    code = main(args)
    assert code == 2
    _one_line(capsys.readouterr().err, "--method", "one visible channel")
    assert not (tmp_path / "o.csv").exists()
