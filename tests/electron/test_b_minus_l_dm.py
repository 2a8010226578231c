"""B-L with dark matter (``b-l-dm``): widths = leptons + neutrinos (MOD-14) + chi chi (MOD-5).

Planted bug (made test_widths_add_dark_matter fail, then undone): chi chi width omitted from
partial_widths.
"""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.models.dark_matter import DarkMatter
from darkreach.models.registry import get_model


def test_widths_add_dark_matter() -> None:
    """At M = 30 MeV, g_chi = 1 (alpha_D = 1/4 pi), complex scalar m_chi = 10 MeV: chi chi width
    8.2380e-5 GeV (MOD-5), on top of the B-L leptonic widths; BR(nu nu) 0.600 at 10 MeV
    without dark matter (MOD-14)."""
    dm = DarkMatter(kind="complex-scalar", mass_ratio=3.0, alpha_d=1.0 / (4.0 * np.pi))
    model = get_model("b-l-dm", dark_matter=dm)
    plain = get_model("b-l")
    widths = model.partial_widths(30.0, 1e-3)
    assert float(widths["chi chi"]) == pytest.approx(8.2380e-5 * 1e3, rel=1e-4)
    for key, value in plain.partial_widths(30.0, 1e-3).items():
        assert float(widths[key]) == pytest.approx(float(value))
    assert model.name == "b-l-dm" and "chi chi" in model.invisible_channels
    nu = sum(float(v) for k, v in plain.branching_ratios(10.0, 1e-3).items() if "nu" in k)
    assert nu == pytest.approx(0.600, abs=5e-3)
    # with alpha_D >> g^2 the Z' is invisible
    assert float(get_model("b-l-dm").invisible_fraction(30.0, 1e-5)) > 0.999999


def test_na64e_b_minus_l_dm() -> None:
    """NA64e in g_BL for the invisible B-L Z' = e x (dark photon eps limit): both couple to the
    electron as a vector (1 vs e per unit coupling) and decay invisibly."""
    from darkreach.experiments.registry import get_experiment

    exp = get_experiment("na64e-2016-2022")
    m = np.array([2.0, 20.0, 150.0])
    eps = exp.reach(get_model("dark-photon-dm"), m).coupling
    g = exp.reach(get_model("b-l-dm"), m).coupling
    assert np.allclose(g, 0.30282212 * eps, rtol=1e-4)
