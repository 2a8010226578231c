"""User bound files (FORESEE, DarkCast, CSV, HEPData YAML), the registry, BoundCurve."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.bounds import (
    BoundCurve,
    bound_curve,
    bounds_for_model,
    get_bound,
    list_bounds,
    load_user_bound,
)
from darkreach.errors import InvalidParameterError


def test_foresee_two_columns(tmp_path: Path) -> None:
    path = tmp_path / "bounds_X.txt"
    path.write_text("# m [GeV] eps\n0.01 1e-3\n0.1  2e-3\n1.0 5e-3\n")
    curve = load_user_bound(path, "dark-photon")
    assert curve.mass_MeV.tolist() == pytest.approx([10.0, 100.0, 1000.0])
    assert curve.coupling.tolist() == [1e-3, 2e-3, 5e-3]
    assert curve.coupling_upper is None and curve.name == "bounds_X"
    assert curve.notes == ""


def test_darkcast_three_columns_and_contour(tmp_path: Path) -> None:
    path = tmp_path / "NA62.lmt"
    path.write_text("0.2 1e-6 1e-4\n0.1 2e-6 2e-4\n")
    curve = load_user_bound(path, "dark-photon")
    assert curve.coupling_upper is not None
    assert curve.coupling_upper.tolist() == [1e-4, 2e-4]
    assert "contour" in curve.notes
    inside = curve.excluded([150.0, 150.0, 150.0], [1e-7, 1e-5, 1e-3])
    assert inside.tolist() == [0.0, 1.0, 0.0]


def test_csv_headers(tmp_path: Path) -> None:
    mev = tmp_path / "a.csv"
    mev.write_text("mass_MeV,coupling\n10,1e-3\n100,2e-3\n")
    assert load_user_bound(mev, "lmu-ltau").mass_MeV.tolist() == [10.0, 100.0]
    espp = tmp_path / "b.csv"
    espp.write_text("mass,coupling\n0.01,1e-3\n0.1,2e-3\n")
    assert load_user_bound(espp, "lmu-ltau").mass_MeV.tolist() == pytest.approx([10.0, 100.0])
    bare = tmp_path / "c.csv"
    bare.write_text("10,1e-3\n100,2e-3\n")
    curve = load_user_bound(bare, "lmu-ltau", mass_unit="MeV")
    assert curve.mass_MeV.tolist() == [10.0, 100.0]


def test_hepdata_yaml(tmp_path: Path) -> None:
    path = tmp_path / "table.yaml"
    path.write_text(
        "independent_variables:\n"
        "- header: {name: m_Zprime, units: MeV}\n"
        "  values:\n  - {value: 10}\n  - {low: 90, high: 110}\n"
        "dependent_variables:\n"
        "- header: {name: g}\n"
        "  values:\n  - {value: 1.0e-3}\n  - {value: 2.0e-3}\n"
    )
    curve = load_user_bound(path, "lmu-ltau")  # mass_unit default GeV, header says MeV
    assert curve.mass_MeV.tolist() == [10.0, 100.0]
    assert curve.coupling.tolist() == [1e-3, 2e-3]


@pytest.mark.parametrize(
    ("name", "text", "match"),
    [
        ("one.txt", "0.1\n0.2\n", "columns"),
        ("word.txt", "0.1 abc\n0.2 1e-3\n", "line 1"),
        ("neg.txt", "0.1 -1e-3\n0.2 1e-3\n", "coupling"),
        ("zero.txt", "0 1e-3\n0.2 1e-3\n", "mass"),
        ("short.txt", "0.1 1e-3\n", "at least 2"),
        ("ragged.txt", "0.1 1e-3\n0.2 1e-3 1e-2\n", "columns"),
        ("bad.yaml", "just: text\n", "HEPData"),
    ],
)
def test_malformed_files(tmp_path: Path, name: str, text: str, match: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(InvalidParameterError, match=match) as info:
        load_user_bound(path, "lmu-ltau")
    assert "\n" not in str(info.value)


def test_missing_file_and_unit(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match="existing file"):
        load_user_bound(tmp_path / "nope.txt", "lmu-ltau")
    with pytest.raises(InvalidParameterError, match="mass_unit"):
        load_user_bound(tmp_path / "nope.txt", "lmu-ltau", mass_unit="keV")  # type: ignore[arg-type]


def test_registry() -> None:
    names = [b.name for b in list_bounds()]
    assert {"ccfr", "ccfr-contact", "neff", "gminus2"} <= set(names)
    assert {b.name for b in bounds_for_model("lmu-ltau")} == {
        *("ccfr", "ccfr-contact", "neff", "gminus2", "na64e-mixing"),
        *("babar-4mu", "borexino", "cms-4mu", "belle2-invisible"),
    }
    assert [b.name for b in bounds_for_model("scalar")] == ["gminus2"]
    assert get_bound("ccfr").arxiv == "1406.2332"
    with pytest.raises(InvalidParameterError, match="bound"):
        get_bound("babar")


def test_bound_curve() -> None:
    masses = np.array([1.0, 10.0, 100.0])
    curve = bound_curve("ccfr", "lmu-ltau", masses)
    assert isinstance(curve, BoundCurve)
    assert curve.coupling_upper is None and np.all(np.isfinite(curve.coupling))
    assert "1406.2332" in curve.reference
    gm2 = bound_curve("gminus2", "lmu-ltau", masses, nsigma=2.0)
    assert set(gm2.extra) == {"band_low", "band_high"}
    assert gm2.plain_label == "(g-2)_mu"
    with pytest.raises(InvalidParameterError, match="model"):
        bound_curve("neff", "scalar", masses)
    with pytest.raises(InvalidParameterError, match="option"):
        bound_curve("ccfr", "lmu-ltau", masses, colour="red")


def test_boundcurve_shape_check() -> None:
    with pytest.raises(InvalidParameterError):
        BoundCurve("x", "x", "lmu-ltau", np.ones(3), np.ones(2), "ref")
