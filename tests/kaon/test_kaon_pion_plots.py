"""Plots of the K+ -> pi+ X reach (dark scalar, ALP) and BR limits: files written, curves behind
them equal to the API, bad output paths (exit 2, nothing written)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.figures import FIGURES
from darkreach.io import read_reach_csv
from darkreach.reach import compute_reach


@pytest.mark.parametrize("name", ["t3-kpix-scalar", "t3-kpix-alp"])
def test_figure_and_its_curves(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The figure's CSV holds the same lower edges as compute_reach at the same masses."""
    assert main(["figure", name, "--out-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    assert (tmp_path / f"{name}.png").stat().st_size > 10_000
    spec = FIGURES[name]
    table = read_reach_csv(tmp_path / f"{name}.csv")["na62-kpix-2016-2022"]
    masses = np.geomspace(*spec.masses[:2], spec.masses[2])[::25]
    (direct,) = compute_reach(["na62-kpix-2016-2022"], spec.model, masses)
    np.testing.assert_allclose(table["coupling"][::25], direct.coupling, rtol=1e-5)


def test_reach_plot_scalar_has_upper_edge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`darkreach reach ... --plot` for the dark scalar: the CSV carries the upper edge."""
    out, plot = tmp_path / "r.csv", tmp_path / "r.png"
    args = ["reach", "na62-kpix-2016-2018", "--model", "dark-scalar", "--masses", "1MeV:259MeV:40"]
    assert main([*args, "--out", str(out), "--plot", str(plot)]) == 0
    capsys.readouterr()
    table = read_reach_csv(out)["na62-kpix-2016-2018"]
    assert plot.stat().st_size > 10_000
    assert np.any(np.isfinite(table["coupling_upper"]))


def test_kaon_limit_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "lim.pdf"
    args = ["kaon", "limit", "--card", "na62-kpix-2016-2022", "--mass", "1MeV:259MeV:30"]
    assert main([*args, "--ctau", "1m", "--plot", str(target)]) == 0
    capsys.readouterr()
    assert target.read_bytes()[:4] == b"%PDF"


def test_kaon_limit_plot_bad_suffix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "lim.txt"
    args = ["kaon", "limit", "--card", "na62-kpix-2016-2022", "--mass", "100MeV"]
    assert main([*args, "--plot", str(target)]) == 2
    assert "--plot" in capsys.readouterr().err
    assert not target.exists()
