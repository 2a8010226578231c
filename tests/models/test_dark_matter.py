"""Mediator widths into dark matter (validation.md MOD-5)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from darkreach.errors import InvalidParameterError
from darkreach.models import DarkMatter
from darkreach.units import GeV, MeV

G_CHI_ONE = 1.0 / (4.0 * math.pi)  # alpha_D for g_chi = 1


@pytest.mark.parametrize(
    ("kind", "delta", "expected"),
    [
        ("complex-scalar", 0.0, 8.2380e-5),
        ("dirac", 0.0, 7.2494e-4),
        ("majorana", 0.0, 1.6476e-4),
        ("pseudo-dirac", 0.0, 7.2494e-4),
        ("pseudo-dirac", 0.1, 7.0635e-4),  # m1 = 10, m2 = 11 MeV
    ],
)
def test_mod5_widths(kind: Any, delta: float, expected: float) -> None:
    """MOD-5: g_chi = 1, M = 30 MeV, m_chi = 10 MeV."""
    dm = DarkMatter(kind=kind, alpha_d=G_CHI_ONE, delta=delta, mass_ratio=3.0)
    assert float(dm.width(30 * MeV)) / GeV == pytest.approx(expected, rel=1e-4)
    fixed = DarkMatter.from_g_chi(1.0, kind=kind, delta=delta, m_chi=10 * MeV)
    assert float(fixed.width(30 * MeV)) / GeV == pytest.approx(expected, rel=1e-4)


def test_g_chi_and_alpha_d() -> None:
    dm = DarkMatter.from_g_chi(0.3)
    assert dm.alpha_d == pytest.approx(0.09 / (4 * math.pi), rel=1e-14)
    assert dm.g_chi == pytest.approx(0.3, rel=1e-14)
    assert DarkMatter().alpha_d == 0.5
    assert DarkMatter().kind == "complex-scalar"
    assert DarkMatter().mass_ratio == 3.0


def test_width_scales_with_alpha_d() -> None:
    masses = np.geomspace(3.0, 3000.0, 7)
    for kind in ("complex-scalar", "majorana", "pseudo-dirac", "dirac"):
        a = DarkMatter(kind=kind, alpha_d=0.1).width(masses)
        b = DarkMatter(kind=kind, alpha_d=0.3).width(masses)
        assert b == pytest.approx(3 * a, rel=1e-13)


def test_light_dm_limits() -> None:
    """m_chi -> 0: scalar M alpha_D/12, Majorana M alpha_D/6, Dirac = pseudo-Dirac M alpha_D/3."""
    mass = 100.0
    alpha = 0.2
    ratio = 1e6
    widths = {
        kind: float(DarkMatter(kind=kind, alpha_d=alpha, mass_ratio=ratio).width(mass))
        for kind in ("complex-scalar", "majorana", "pseudo-dirac", "dirac")
    }
    assert widths["complex-scalar"] == pytest.approx(alpha * mass / 12, rel=1e-10)
    assert widths["majorana"] == pytest.approx(alpha * mass / 6, rel=1e-10)
    assert widths["dirac"] == pytest.approx(alpha * mass / 3, rel=1e-10)
    assert widths["pseudo-dirac"] == pytest.approx(alpha * mass / 3, rel=1e-10)


def test_pseudo_dirac_tends_to_dirac() -> None:
    masses = np.array([25.0, 30.0, 100.0, 1000.0])
    dirac = DarkMatter(kind="dirac").width(masses)
    for delta in (1e-6, 1e-4):
        pd = DarkMatter(kind="pseudo-dirac", delta=delta).width(masses)
        assert pd == pytest.approx(dirac, rel=10 * delta)
        assert np.all(pd < dirac)


def test_thresholds() -> None:
    dm = DarkMatter(kind="dirac", m_chi=10.0)
    assert float(dm.width(20.0)) == 0.0
    assert float(dm.width(19.0)) == 0.0
    assert float(dm.width(20.0 * (1 + 1e-6))) > 0.0
    pd = DarkMatter(kind="pseudo-dirac", m_chi=10.0, delta=0.1)
    assert float(pd.threshold(1.0)) == pytest.approx(21.0)
    assert float(pd.width(20.99)) == 0.0
    assert float(pd.width(21.01)) > 0.0
    # scalar and Majorana open like beta^3, fermions like beta
    for kind, power in (("complex-scalar", 3), ("majorana", 3), ("dirac", 1)):
        dmk = DarkMatter(kind=kind, m_chi=10.0)  # type: ignore[arg-type]
        eps = np.array([1e-6, 1e-4])
        w = dmk.width(20.0 * (1 + eps))
        assert w[1] / w[0] == pytest.approx(100 ** (power / 2), rel=2e-3)


def test_chi_masses() -> None:
    dm = DarkMatter(kind="pseudo-dirac", mass_ratio=3.0, delta=0.1)
    m1, m2 = dm.chi_masses(np.array([30.0, 300.0]))
    assert m1 == pytest.approx([10.0, 100.0])
    assert m2 == pytest.approx([11.0, 110.0])
    assert DarkMatter(m_chi=7.0).chi_mass(np.array([1.0, 2.0])) == pytest.approx([7.0, 7.0])


@pytest.mark.parametrize("alpha_d", [0.0, -0.1, 4 * math.pi, 20.0, math.nan])
def test_alpha_d_outside_range(alpha_d: float) -> None:
    with pytest.raises(InvalidParameterError, match="alpha_d"):
        DarkMatter(alpha_d=alpha_d)


def test_bad_parameters() -> None:
    with pytest.raises(InvalidParameterError, match="kind"):
        DarkMatter(kind="axion")  # type: ignore[arg-type]
    with pytest.raises(InvalidParameterError, match="delta"):
        DarkMatter(kind="dirac", delta=0.1)
    with pytest.raises(InvalidParameterError, match="delta"):
        DarkMatter(kind="pseudo-dirac", delta=-0.1)
    with pytest.raises(InvalidParameterError, match="mass_ratio"):
        DarkMatter(mass_ratio=0.0)
    with pytest.raises(InvalidParameterError, match="m_chi"):
        DarkMatter(m_chi=-1.0)
    with pytest.raises(InvalidParameterError, match="g_chi"):
        DarkMatter.from_g_chi(-1.0)
    with pytest.raises(InvalidParameterError, match="alpha_d"):
        DarkMatter.from_g_chi(4 * math.pi)  # alpha_D = 4 pi, outside
    with pytest.raises(InvalidParameterError, match="mediator_mass"):
        DarkMatter().width(0.0)
