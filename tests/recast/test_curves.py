"""Curve files: CSV (darkreach's own and others') and HEPData tables; bad input, one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkreach.curves import read_curve
from darkreach.errors import InvalidParameterError


def write(tmp_path: Path, text: str, name: str = "curve.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_plain_csv_with_comments_and_extra_columns(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# digitised from a paper\nnote,mass_MeV,coupling,coupling_upper\n"
        "a,1,1e-4,\nb,10,2e-4,1e-2\n# trailing comment\nc,100,,\n",
    )
    curve = read_curve(path)
    np.testing.assert_allclose(curve.mass_MeV, [1, 10, 100])
    np.testing.assert_allclose(curve.coupling, [1e-4, 2e-4, np.nan])
    assert curve.coupling_upper is not None
    np.testing.assert_allclose(curve.coupling_upper, [np.nan, 1e-2, np.nan])
    assert curve.card is None and curve.model is None


def test_gev_column_is_converted(tmp_path: Path) -> None:
    curve = read_curve(write(tmp_path, "mass_GeV,coupling\n0.01,1e-3\n0.1,2e-3\n"))
    np.testing.assert_allclose(curve.mass_MeV, [10.0, 100.0])


def test_darkreach_file_with_several_cards(tmp_path: Path) -> None:
    from darkreach.io import write_reach_csv
    from darkreach.reach import compute_reach

    curves = compute_reach(["na64mu-2022", "m3-phase1"], "lmu-ltau", [10.0, 100.0])
    path = tmp_path / "reach.csv"
    write_reach_csv(curves, path)
    with pytest.raises(InvalidParameterError, match="--curve-card = not given"):
        read_curve(path)
    curve = read_curve(path, "m3-phase1")
    assert (curve.card, curve.model, curve.cl, curve.method, curve.kind) == (
        "m3-phase1",
        "lmu-ltau",
        0.9,
        "cls",
        "expected",
    )
    np.testing.assert_allclose(curve.coupling, curves[1].coupling, rtol=1e-6)
    with pytest.raises(InvalidParameterError, match="--curve-card = nope is invalid"):
        read_curve(path, "nope")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an empty file"),
        ("# only comments\n", "no header line"),
        ("mass_MeV\n1\n2\n", "one column 'mass_MeV'"),
        ("mass,coupling\n1,1e-3\n", "column 'mass' without a unit"),
        ("x,coupling\n1,1e-3\n", "a header naming a mass_MeV"),
        ("mass_MeV,g\n1,1e-3\n", "a header naming a coupling column"),
        ("mass_MeV,coupling\n", "a header without data rows"),
        ("mass_MeV,coupling\n1,1e-3\n2,abc\n", "line 3 column coupling = 'abc'"),
        ("mass_MeV,coupling\nten,1e-3\n", "line 2 column mass_MeV = 'ten'"),
        ("mass_MeV,coupling\n1,1e-3\n1,2e-3\n", "line 3 mass = 1 MeV \\(repeated"),
        ("mass_MeV,coupling\n2,1e-3\n1,2e-3\n", "line 3 mass = 1 MeV \\(after 2 MeV\\)"),
        ("mass_MeV,coupling\n1,1e-3\n2,0\n", "line 3 coupling = 0 is invalid; allowed: > 0"),
        ("mass_MeV,coupling\n1,1e-3\n2,-1e-3\n", "line 3 coupling = -0.001"),
        ("mass_MeV,coupling\n1,\n2,\n", "empty at every mass"),
        ("mass_MeV,coupling\n1,1e-3,7\n", "line 2 = 3 cells"),
    ],
)
def test_bad_csv_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message) as info:
        read_curve(write(tmp_path, text))
    assert "\n" not in str(info.value)
    assert "curve.csv" in str(info.value) or "--curve-card" in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameterError, match=r"curve = .* is invalid"):
        read_curve(tmp_path / "absent.csv")


HEPDATA_TABLE = """independent_variables:
- header: {name: 'M(Z prime)', units: GeV}
  values:
  - {value: 0.01}
  - {low: 0.09, high: 0.11}
  - {value: 1.0}
dependent_variables:
- header: {name: g' upper limit}
  qualifiers:
  - {name: CL, value: 0.9}
  values:
  - {value: 1.0e-4}
  - {value: 2.0e-4}
  - {value: '-'}
"""


def test_hepdata_table(tmp_path: Path) -> None:
    curve = read_curve(write(tmp_path, HEPDATA_TABLE, "t1.yaml"))
    np.testing.assert_allclose(curve.mass_MeV, [10.0, 100.0, 1000.0])
    np.testing.assert_allclose(curve.coupling, [1e-4, 2e-4, np.nan])
    assert curve.cl == 0.9 and curve.coupling_upper is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEPDATA_TABLE.replace(", units: GeV", ""), "no units"),
        (HEPDATA_TABLE.replace("units: GeV", "units: kg"), "units = 'kg'"),
        (HEPDATA_TABLE.replace("{value: 2.0e-4}", "{value: abc}"), "coupling value 2"),
        (HEPDATA_TABLE.replace("{value: 1.0}", "{value: 0.001}"), "mass value 3 mass"),
        (HEPDATA_TABLE.replace("{value: 2.0e-4}", "{value: 0.0}"), "coupling = 0"),
        ("name: table\n", "no independent_variables"),
        ("a: [1, 2\n", "not valid YAML"),
    ],
)
def test_bad_hepdata_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidParameterError, match=message) as info:
        read_curve(write(tmp_path, text, "t1.yaml"))
    assert "\n" not in str(info.value)
