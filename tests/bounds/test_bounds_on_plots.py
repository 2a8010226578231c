"""Existing bounds on reach plots (issue 8, part 4): grey regions with names, CLI selection."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.bounds.registry import bound_curve
from darkreach.cli import main
from darkreach.plotting import plot_reach
from darkreach.plotting_bounds import select_bounds
from darkreach.reach import compute_reach


@pytest.fixture(scope="module")
def curve():  # type: ignore[no-untyped-def]
    (c,) = compute_reach(["na64mu-2022"], "lmu-ltau", np.geomspace(1.0, 3000.0, 30))
    return c


def _texts(fig) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in fig.axes[0].texts]


def test_auto_draws_the_computed_bounds_of_the_model(curve) -> None:  # type: ignore[no-untyped-def]
    assert select_bounds("lmu-ltau", "auto") == ["ccfr", "neff", "na64e-mixing"]
    assert select_bounds("scalar", "auto") == []  # only g-2 applies: it is the band
    fig = plot_reach([curve])
    texts = _texts(fig)
    assert "CCFR" in texts and any("N" in t and "eff" in t for t in texts) and "NA64e" in texts
    grey = [c for c in fig.axes[0].collections if c.get_zorder() < 1.0]
    assert len(grey) == 3


def test_grey_region_starts_at_the_bound(curve) -> None:  # type: ignore[no-untyped-def]
    """The drawn lower edge is the CCFR curve itself (not shifted, not the contact formula)."""
    fig = plot_reach([curve], bounds="ccfr")
    line = next(l for l in fig.axes[0].lines if l.get_zorder() == 0.6)
    x, y = line.get_data()
    expected = bound_curve("ccfr", "lmu-ltau", np.asarray(x)).coupling
    np.testing.assert_allclose(y, expected, rtol=1e-12)


def test_none_draws_no_bound(curve) -> None:  # type: ignore[no-untyped-def]
    fig = plot_reach([curve], bounds="none")
    assert not [c for c in fig.axes[0].collections if c.get_zorder() < 1.0]
    assert "CCFR" not in _texts(fig)


def test_user_bound_is_interpolated_inside_its_range_only(tmp_path: Path) -> None:
    from darkreach.bounds.user import load_user_bound

    path = tmp_path / "babar.txt"
    path.write_text("0.01 1e-3\n0.1 1e-2\n")  # m [GeV], g
    bound = load_user_bound(path, "lmu-ltau")
    grid = np.array([5.0, 10.0, np.sqrt(10.0 * 100.0), 100.0, 200.0])
    on = bound.on_grid(grid)
    assert np.isnan(on.coupling[0]) and np.isnan(on.coupling[-1])
    np.testing.assert_allclose(on.coupling[1:4], [1e-3, np.sqrt(1e-3 * 1e-2), 1e-2], rtol=1e-12)


def test_cli_bounds_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    png = tmp_path / "r.png"
    args = ["reach", "na64mu-2022", "--masses", "1MeV:1GeV:5", "--plot", str(png)]
    assert main([*args, "--bounds", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "--bounds = bogus" in err and "ccfr" in err and err.count("\n") == 1
    assert main(["reach", "na64mu-2022", "--model", "scalar", "--bounds", "ccfr"]) == 2
    assert "a bound for model scalar" in capsys.readouterr().err
    assert not png.exists()
    user = tmp_path / "mine.txt"
    user.write_text("0.001 1e-3\n1 5e-3\n")
    assert main([*args, "--bounds", "none", "--bounds-file", str(user)]) == 0
    assert png.is_file()
    bad = tmp_path / "bad.txt"
    bad.write_text("0.001\n1\n")
    assert main([*args, "--bounds-file", str(bad)]) == 2
    assert "bad.txt" in capsys.readouterr().err


def test_user_catalogue_names_where_to_download(capsys: pytest.CaptureFixture[str]) -> None:
    """Bounds darkreach cannot ship are listed as kind "user" with the file to download."""
    import json

    assert main(["bounds", "list", "--json"]) == 0
    listed = {b["name"]: b for b in json.loads(capsys.readouterr().out)["bounds"]}
    assert {listed[n]["kind"] for n in ("ccfr", "neff", "gminus2")} == {"computed"}
    for name in ("babar-4mu", "borexino", "cms-4mu", "belle2-invisible", "na64e"):
        assert listed[name]["kind"] == "user"
        assert listed[name]["download"] and listed[name]["reference"]
    assert main(["bounds", "show", "babar-4mu"]) == 2
    err = capsys.readouterr().err
    assert "--file" in err and "BaBar_TheBABAR2016rlg.lmt" in err and err.count("\n") == 1


def test_user_catalogue_file_is_read_in_its_unit_and_labelled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    lmt = tmp_path / "BaBar_TheBABAR2016rlg.lmt"
    lmt.write_text("# DarkCast-style: mass [GeV] coupling\n0.25 7e-4\n2.5 7e-3\n")
    args = ["bounds", "show", "babar-4mu", "--file", str(lmt), "--masses", "250MeV,790.569MeV"]
    assert main([*args, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    # GeV read as GeV: 250 MeV is the first row; 790.6 MeV is the log-midpoint of the rows
    np.testing.assert_allclose(shown["coupling"], [7e-4, np.sqrt(7e-4 * 7e-3)], rtol=1e-4)
    png = tmp_path / "r.png"
    reach = ["reach", "na64mu-2022", "--masses", "100MeV:2GeV:8", "--plot", str(png)]
    assert main([*reach, "--bounds-file", f"babar-4mu={lmt}"]) == 0
    assert main([*reach, "--bounds-file", f"nope={lmt}"]) == 2
    assert "babar-4mu" in capsys.readouterr().err


def test_user_bound_cannot_be_computed() -> None:
    from darkreach.errors import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="needs its file"):
        bound_curve("babar-4mu", "lmu-ltau", [300.0])


def test_na64e_mixing_bound_is_the_dark_photon_limit_over_the_loop_mixing() -> None:
    """Handbook electron_and_dump.md A.5: below 2 m_mu, g_lim = eps_lim / 0.01443 = 69.3 eps_lim.

    The NA64e card's invisible dark-photon limit (dark-photon-dm) divided by the low-mass
    loop mixing eps/g = 0.01443 must give the bound (planted bug: eps(q^2)^2 in place of
    eps(q^2) in the electron coupling moves the ratio far from 69.3).
    """
    from darkreach.reach import compute_reach

    masses = np.array([2.0, 10.0, 50.0])
    bound = bound_curve("na64e-mixing", "lmu-ltau-dm", masses)
    (dark_photon,) = compute_reach(["na64e-2016-2022"], "dark-photon-dm", masses)
    np.testing.assert_allclose(bound.coupling / dark_photon.coupling, 69.3, rtol=0.02)
    assert "na64e-mixing" in select_bounds("lmu-ltau", "auto")
