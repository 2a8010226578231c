"""``darkreach figure``: the talks' plots from the shipped cards (issue 8, part 5)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.figures import FIGURES
from darkreach.io import read_reach_csv
from darkreach.reach import compute_reach


def test_list_names_every_figure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figure", "--list", "--json"]) == 0
    names = [f["name"] for f in json.loads(capsys.readouterr().out)["figures"]]
    assert names == list(FIGURES)
    assert {"t1-lmu-ltau", "t5-na64mu-2022", "t5-yplane", "t2-projections"} <= set(names)


def test_figure_writes_plot_and_the_curves_behind_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["figure", "t5-na64mu-2022", "--out-dir", str(tmp_path)]) == 0
    assert (tmp_path / "t5-na64mu-2022.png").stat().st_size > 10_000
    table = read_reach_csv(tmp_path / "t5-na64mu-2022.csv")["na64mu-2022"]
    spec = FIGURES["t5-na64mu-2022"]
    masses = np.geomspace(spec.masses[0], spec.masses[1], spec.masses[2])
    np.testing.assert_allclose(table["mass_MeV"], masses, rtol=1e-6)
    (direct,) = compute_reach(["na64mu-2022"], "lmu-ltau", masses[::40])
    np.testing.assert_allclose(table["coupling"][::40], direct.coupling, rtol=1e-5)


def test_unknown_name_or_directory_fails_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["figure", "t5-na64mu-2022", "nope", "--out-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "NAME = nope" in err and "t1-lmu-ltau" in err
    assert list(tmp_path.iterdir()) == []
    assert main(["figure", "t5-yplane", "--out-dir", str(tmp_path / "missing")]) == 2
    assert "--out-dir" in capsys.readouterr().err
