"""Reach curves in (m_chi, y) and the relic plots: same convention as the targets."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from darkreach.constants import m_mu
from darkreach.errors import InvalidParameterError
from darkreach.physics.relic import targets as tg
from darkreach.physics.relic.yplane import reach_to_yplane
from darkreach.plotting_relic import plot_relic_targets, plot_yplane, plot_yplane_from_reach
from darkreach.results import ReachCurve


def curve(model: str = "lmu-ltau-dm", upper: bool = False) -> ReachCurve:
    masses = np.array([3.0, 30.0, 300.0, 3000.0])
    coupling = np.array([2e-4, 3e-4, np.nan, 5e-3])
    return ReachCurve(
        card="test-card",
        card_title="Test card",
        model=model,
        model_label="test",
        coupling_symbol="g",
        masses=masses,
        coupling=coupling,
        cl=0.9,
        method="cls",
        kind="observed",
        coupling_upper=coupling * 100 if upper else None,
    )


@pytest.mark.parametrize("convention", ["a", "b", "c"])
def test_conversion_uses_the_target_convention(convention: str) -> None:
    reach = curve(upper=True)
    y = reach_to_yplane(reach, ratio=3.0, alpha_d=0.1, convention=convention)
    assert y.m_chi == pytest.approx(reach.masses / 3.0)
    expected = tg.y_from_coupling(
        reach.coupling, mediator="lmu-ltau", alpha_d=0.1, ratio=3.0, convention=convention
    )
    np.testing.assert_allclose(y.y, expected, rtol=1e-14)  # NaN stays NaN
    assert np.isnan(y.y[2])
    assert y.y_upper is not None and y.y_upper[0] == pytest.approx(1e4 * y.y[0])
    assert f"({convention})" in y.axis_label


def test_targets_seen_as_a_reach_curve_land_on_themselves() -> None:
    """A target set converted as if it were a reach curve reproduces targets.y()."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tg.RelicWarning)
        targets = tg.relic_targets([10.0, 100.0], dm="majorana", check=False)
    as_reach = ReachCurve(
        card="t",
        card_title="t",
        model="lmu-ltau-dm",
        model_label="t",
        coupling_symbol="g",
        masses=targets.mediator_mass,
        coupling=targets.coupling,
        cl=0.9,
        method="-",
        kind="observed",
    )
    y = reach_to_yplane(as_reach, ratio=targets.ratio, alpha_d=targets.alpha_d)
    assert y.y == pytest.approx(targets.y())
    assert y.m_chi == pytest.approx(targets.m_chi)


def test_dark_photon_and_bad_models() -> None:
    y = reach_to_yplane(curve("dark-photon"), ratio=3.0, alpha_d=0.1)
    assert y.mediator == "dark-photon"
    assert y.y[0] == pytest.approx(2e-4**2 * 0.1 / 81)
    with pytest.raises(InvalidParameterError, match="model"):
        reach_to_yplane(curve("scalar"))
    assert curve().masses.max() > 2 * m_mu
    with pytest.warns(tg.RelicWarning, match="without dark matter"):
        reach_to_yplane(curve("lmu-ltau"))


def test_plots(tmp_path: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tg.RelicWarning)
        targets = [
            tg.relic_targets(
                np.geomspace(1.0, 300.0, 6), dm=dm, mediator="dark-photon", alpha_d=0.1, check=False
            )
            for dm in ("scalar", "dirac")
        ]
    fig = plot_relic_targets(targets)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "convention (b)" in ax.get_ylabel()
    assert "MeV" in ax.get_xlabel()
    # hadrons are included (issue 10): nothing above m_pi is flagged as leptons-only
    assert not any("leptons only" in t.get_text() for t in fig.legends[0].get_texts())

    y_curve = reach_to_yplane(curve("dark-photon"), ratio=3.0, alpha_d=0.5)  # targets: 0.1
    fig = plot_yplane([y_curve], targets=[])
    assert "convention (b)" in fig.axes[0].get_ylabel()
    with pytest.raises(ValueError, match="disagree"):
        plot_yplane([y_curve], targets)


def test_plot_yplane_from_reach() -> None:
    fig = plot_yplane_from_reach(
        [curve()], alpha_d=0.5, dm_kinds=("complex-scalar",), target_points=6
    )
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Test card" in labels and "complex scalar" in labels
    assert "convention (b)" in fig.axes[0].get_ylabel()


def test_doctests() -> None:
    import doctest

    import darkreach.physics.relic as relic_package
    import darkreach.physics.relic.yconventions as yconventions_module
    import darkreach.plotting_relic as plotting_module

    for module in (relic_package, yconventions_module, plotting_module):
        failed, attempted = doctest.testmod(module)
        assert attempted > 0 and failed == 0


def test_single_mass_plot_is_an_annotated_point_and_types_are_distinct() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tg.RelicWarning)
        one = tg.relic_targets([10.0], check=False)
        grid = [
            tg.relic_targets([5.0, 50.0], dm=dm, check=False) for dm in ("dirac", "pseudo-dirac")
        ]
    ax = plot_relic_targets([one]).axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label() == "complex scalar"]
    assert line.get_marker() not in (None, "None", "") and len(line.get_xdata()) == 1
    assert any(t.get_text().startswith("y = ") for t in ax.texts)
    lines = {ln.get_label(): ln for ln in plot_relic_targets(grid).axes[0].get_lines()}
    dirac, pseudo = lines["Dirac"], next(v for k, v in lines.items() if k.startswith("pseudo"))
    assert dirac.get_color() != pseudo.get_color() and pseudo.get_zorder() > dirac.get_zorder()


def test_yplane_title_names_model_cl_and_dm_types() -> None:
    fig = plot_yplane_from_reach([curve()], dm_kinds=("dirac",), target_points=4)
    title = fig.axes[0].get_title()
    assert "90% CL" in title and "chi" in title and "Dirac" in title
