"""The shipped g*(T) table (relic.md 4; validation RE-2) and its provenance files."""

from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

from darkreach.errors import InvalidParameterError
from darkreach.physics.relic import dof
from darkreach.units import GeV, MeV


def test_re2_gstar_sqrt_low_temperature() -> None:
    """RE-2: g*^{1/2} = h_eff/sqrt(g_eff) = 2.1412 at low T (h 3.93872, g 3.38387)."""
    assert dof.gstar_sqrt_from_entropy(3.93872, 3.38387) == pytest.approx(2.1412, abs=1e-4)
    table = dof.load_dof_table()
    low = 2e-5 * GeV
    assert float(dof.h_eff(low)) == pytest.approx(3.93872, abs=1e-5)
    assert float(dof.g_eff(low)) == pytest.approx(3.38387, abs=1e-5)
    assert float(dof.gstar_sqrt(low, table)) == pytest.approx(2.1412, abs=1e-4)


def test_table_columns_satisfy_the_gstar_identity() -> None:
    """The g*^{1/2} column equals (h/sqrt g)(1 + dln h/3dln T) from the other two columns."""
    table = dof.load_dof_table()
    ln_t = np.log(table.temperature)
    slope = np.gradient(np.log(table.h_eff), ln_t)
    derived = table.h_eff / np.sqrt(table.g_eff) * (1.0 + slope / 3.0)
    # finite differences on the table grid: <1 % even across the QCD transition
    assert np.max(np.abs(derived / table.gstar_sqrt - 1.0)) < 1e-2
    assert np.median(np.abs(derived / table.gstar_sqrt - 1.0)) < 1e-4


def test_limits_and_extrapolation() -> None:
    """SM content: ~106.8 at TeV, constant outside the table, 10.75-ish at a few MeV."""
    assert float(dof.g_eff(10.0 * GeV * 1e3)) == pytest.approx(106.83, abs=0.01)
    assert float(dof.g_eff(1e6 * GeV)) == pytest.approx(106.83, abs=0.01)
    assert float(dof.h_eff(1.0 * MeV * 1e-3)) == pytest.approx(3.93872, abs=1e-5)
    assert 10.3 < float(dof.g_eff(3.0 * MeV)) < 10.9
    # monotonic (more species at higher temperature) up to a 5e-5 dip near 7 MeV in the file
    t = np.geomspace(1e-2, 1e7, 200) * MeV
    h = dof.h_eff(t)
    assert np.all(np.diff(h) / h[1:] >= -1e-4)


def test_bad_temperature_and_table_name() -> None:
    with pytest.raises(InvalidParameterError, match="temperature"):
        dof.g_eff(0.0)
    with pytest.raises(InvalidParameterError, match="dof table"):
        dof.load_dof_table("no-such-table")


def test_provenance_files_ship_with_the_table() -> None:
    """README (reference, licence, attribution), the MIT licence and an unchanged file."""
    folder = resources.files("darkreach") / "data" / "gstar"
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for needle in ("arXiv:1503.03513", "hazma 2.2.0", "MIT", "Attribution"):
        assert needle in readme
    assert "MIT License" in (folder / "LICENSE-hazma").read_text(encoding="utf-8")
    digest = hashlib.sha256((folder / "smdof.dat").read_bytes()).hexdigest()
    assert digest in readme
