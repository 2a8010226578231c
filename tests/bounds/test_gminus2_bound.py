"""The g-2 exclusion line and band in model couplings (handbook gminus2.md 1 and 3).

Planted bug: the exclusion returned the band's lower edge (Delta - 2 sigma) instead of the
upper (Delta + 2 sigma): test_exclusion_is_upper_edge fails.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkreach.bounds import gminus2
from darkreach.constants import e_charge
from darkreach.errors import InvalidParameterError
from darkreach.physics.gminus2 import GMinus2Reference

_CENTRE_251 = GMinus2Reference(
    label="test",
    a_exp=0.0,
    a_exp_err=0.0,
    a_sm=0.0,
    a_sm_err=0.0,
    delta=251e-11,
    delta_err=1e-30,
    description="Delta = 251e-11 without error (handbook gminus2.md 1 table)",
    provenance="test",
    verified=True,
)


def test_handbook_couplings() -> None:
    """gminus2.md 1: Delta a = 251e-11 needs g = 4.52e-4, 5.03e-4, 9.46e-4, 5.40e-3."""
    g = gminus2.gminus2_exclusion([1.0, 10.0, 100.0, 1000.0], "lmu-ltau", _CENTRE_251)
    assert g == pytest.approx([4.52e-4, 5.03e-4, 9.46e-4, 5.40e-3], rel=3e-3)


def test_exclusion_is_upper_edge() -> None:
    """Default fnal2023-wp20, 249(48): light-mass edge sqrt(8 pi^2 (249 + 96)e-11) = 5.2e-4."""
    edge = float(gminus2.gminus2_exclusion(1e-3))
    assert edge == pytest.approx(math.sqrt(8 * math.pi**2 * 345e-11), rel=2e-3)
    low, high = gminus2.gminus2_band([1.0, 10.0])
    assert np.all(low < high)
    assert gminus2.gminus2_exclusion([1.0, 10.0]) == pytest.approx(high)


def test_wp25_has_no_lower_edge() -> None:
    low, high = gminus2.gminus2_band([1.0, 10.0], reference="fnal2025-wp25")
    assert np.all(np.isnan(low)) and np.all(np.isfinite(high))


def test_dark_photon_in_eps() -> None:
    g = gminus2.gminus2_exclusion(10.0, "lmu-ltau")
    eps = gminus2.gminus2_exclusion(10.0, "dark-photon")
    assert float(eps) == pytest.approx(float(g) / e_charge)


def test_unknown_model() -> None:
    with pytest.raises(InvalidParameterError, match="model"):
        gminus2.gminus2_exclusion(10.0, "hnl-mu")
