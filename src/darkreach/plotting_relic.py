"""Plots of thermal-relic targets and of reach curves in the (m_chi, y) plane.

Log axes, masses in MeV, the y convention printed on the axis label (handbook relic.md 2).
Targets are drawn as lines per dark-matter type (dotted where they are not complete, e.g.
dark-photon targets above the hadronic cut-off); reach curves as in
:func:`darkreach.plotting.plot_reach` (data solid with the excluded region shaded,
projections dashed).

>>> import numpy as np
>>> from darkreach.physics.relic import relic_targets
>>> t = relic_targets(np.geomspace(10, 100, 5), check=False)
>>> fig = plot_relic_targets([t])
>>> fig.axes[0].get_yscale()
'log'
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from darkreach.array_types import FloatArray
from darkreach.physics.relic.annihilation import DM_KINDS
from darkreach.physics.relic.targets import RelicTargets, RelicWarning, relic_targets
from darkreach.physics.relic.yconventions import DEFAULT_Y_CONVENTION, y_axis_label
from darkreach.physics.relic.yplane import YPlaneCurve, reach_to_yplane
from darkreach.plotting import draw_limit, place_legend, plot_style, stamp_version
from darkreach.results import ReachCurve

__all__ = ["plot_relic_targets", "plot_yplane", "plot_yplane_from_reach"]

matplotlib.rcParams.setdefault("savefig.dpi", 150)

#: colours of the reach curves (Okabe-Ito, as darkreach.plotting)
_REACH_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
#: colour, line style, width, z-order and marker per DM type; none of the reach colours. Dirac
#: is a thick solid line and pseudo-Dirac (equal to Dirac at Delta = 0, validation RE-5) a
#: thinner dashed line drawn on top of it, so both stay visible where they coincide.
_TARGET_STYLE: dict[str, tuple[str, Any, float, float, str]] = {
    "complex-scalar": ("#000000", "-", 2.2, 3.0, "o"),
    "majorana": ("#7B3294", (0, (7, 2, 1.5, 2)), 2.2, 3.1, "s"),
    "dirac": ("#A6611A", "-", 4.0, 3.2, "D"),
    "pseudo-dirac": ("#35B779", (0, (4, 2.5)), 2.0, 3.3, "^"),
}
_DEFAULT_STYLE: tuple[str, Any, float, float, str] = ("#000000", "-", 2.0, 3.0, "o")


def _target_title(targets: Sequence[RelicTargets]) -> str:
    first = targets[0]
    med = r"$L_\mu - L_\tau$ $Z'$" if first.mediator == "lmu-ltau" else r"dark photon $A'$"
    mass = "Z'" if first.mediator == "lmu-ltau" else "A'"
    return (
        rf"{med}, $m_{{{mass}}} = {first.ratio:g}\,m_\chi$, $\alpha_D = {first.alpha_d:g}$, "
        rf"$\Omega h^2 = {first.omega_h2_target:g}$"
    )


def _draw_targets(ax: Axes, targets: Sequence[RelicTargets], convention: str) -> list[float]:
    """Lines per DM type (dotted where incomplete); a set with one good mass is drawn as a
    marker annotated with its y value."""
    values: list[float] = []
    incomplete = False
    for index, t in enumerate(targets):
        colour, style, width, order, marker = _TARGET_STYLE.get(t.dm_kind, _DEFAULT_STYLE)
        y = t.y(convention)
        good = t.converged & np.isfinite(y)
        full = good & t.complete
        if np.count_nonzero(good) == 1:
            i = int(np.nonzero(good)[0][0])
            ax.plot(
                t.m_chi[i], y[i], ls="none", marker=marker, ms=11, mfc=colour, mec="white",
                mew=1.2, color=colour, zorder=order, label=t.label + ("" if full[i] else " *"),
            )  # fmt: skip
            ax.annotate(
                f"y = {y[i]:.3g}",
                (t.m_chi[i], y[i]),
                xytext=(14, 10 - 22 * index),
                textcoords="offset points",
                fontsize=12,
                color=colour,
                va="center",
            )
            values.append(float(y[i]))
            incomplete = incomplete or not full[i]
            continue
        ax.plot(
            t.m_chi[full], y[full], color=colour, ls=style, lw=width, zorder=order, label=t.label
        )
        partial = good & ~t.complete
        if np.any(partial):
            # include the last complete point so the line is continuous
            idx = np.nonzero(partial)[0]
            if idx[0] > 0 and full[idx[0] - 1]:
                idx = np.concatenate([[idx[0] - 1], idx])
            ax.plot(t.m_chi[idx], y[idx], color=colour, ls=":", lw=1.5, zorder=order)
            incomplete = True
        values.extend(float(v) for v in y[good])
    if incomplete:
        ax.plot([], [], color="0.3", ls=":", lw=1.5, label="dotted/*: leptons only (upper bound)")
    return values


def _mass_limits(masses: FloatArray) -> tuple[float, float]:
    """x range: the masses, or a factor 3 either side of a single mass."""
    low, high = float(np.min(masses)), float(np.max(masses))
    if high <= low * 1.0001:
        return low / 3.0, high * 3.0
    return low, high


def _finish(ax: Axes, fig: Figure, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel, fontsize=16)
    ax.set_title(title, fontsize=14)
    low, high = ax.get_xlim()
    if high < 100.0 * low:  # less than two decades: plain numbers read better than 3x10^1
        from matplotlib.ticker import FuncFormatter

        def plain(value: float, _position: object) -> str:
            leading = round(value / 10.0 ** np.floor(np.log10(value)), 6)
            return f"{value:g}" if leading in (1.0, 2.0, 3.0, 5.0) else ""

        ax.xaxis.set_major_formatter(FuncFormatter(plain))
        ax.xaxis.set_minor_formatter(FuncFormatter(plain))
    place_legend(fig, ax)
    stamp_version(fig)


def plot_relic_targets(
    targets: Sequence[RelicTargets],
    *,
    convention: str | None = None,
    title: str | None = None,
) -> Figure:
    """Thermal targets y(m_chi) of one or several DM types (same mediator, ratio, alpha_D).

    ``convention`` defaults to that of the first target set; it is printed on the axis.
    """
    if not targets:
        raise ValueError("plot_relic_targets needs at least one target set")
    mediators = {t.mediator for t in targets}
    if len(mediators) > 1:
        raise ValueError("plot_relic_targets: all targets must share one mediator")
    conv = convention or targets[0].y_convention
    with plot_style():
        fig = Figure(figsize=(9.0, 7.5), layout="constrained")
        ax = fig.add_subplot()
        values = _draw_targets(ax, targets, conv)
        if values:
            ax.set_ylim(min(values) / 10.0, max(values) * 10.0)
        ax.set_xlim(*_mass_limits(np.concatenate([t.m_chi for t in targets])))
        _finish(
            ax,
            fig,
            r"$m_\chi$ [MeV]",
            y_axis_label(targets[0].mediator, conv),
            title or _target_title(targets),
        )
    return fig


def _yplane_title(
    mediator: str, ratio: float, alpha_d: float, model: str | None, cl: float | None,
    targets: Sequence[RelicTargets], reach_dm: str | None = None,
) -> str:  # fmt: skip
    """Model, CL, mass ratio, alpha_D and the DM types of the targets (two lines)."""
    med = "Z'" if mediator == "lmu-ltau" else "A'"
    names = {
        "lmu-ltau": r"$L_\mu - L_\tau$ $Z'$ (no DM)",
        "lmu-ltau-dm": r"$L_\mu - L_\tau$ $Z' \to \chi\bar\chi$",
        "dark-photon": r"dark photon $A'$",
    }
    first = names.get(
        model or "", names["lmu-ltau-dm" if mediator == "lmu-ltau" else "dark-photon"]
    )
    if cl is not None:
        first += f", {100 * cl:g}% CL"
    first += rf", $m_{{{med}}} = {ratio:g}\,m_\chi$, $\alpha_D = {alpha_d:g}$"
    if reach_dm is not None:
        first += f", reach for {reach_dm.replace('-', ' ')} $\\chi$"
    kinds = ", ".join(dict.fromkeys(t.label.split(" (")[0] for t in targets))
    second = (
        f"thermal targets ($\\Omega h^2$ = {targets[0].omega_h2_target:g}): {kinds}"
        if targets
        else ""
    )
    return first + ("\n" + second if second else "")


def plot_yplane(
    curves: Sequence[YPlaneCurve],
    targets: Sequence[RelicTargets],
    *,
    title: str | None = None,
    model: str | None = None,
    cl: float | None = None,
    reach_dm: str | None = None,
) -> Figure:
    """Reach curves in (m_chi, y) together with thermal targets, one shared y convention.

    ``reach_dm`` names the dark-matter type the reach curves were computed for (in the title).

    All curves and targets must use the same convention, mediator, mass ratio and alpha_D
    (checked): the plane is only meaningful then.
    """
    if not curves and not targets:
        raise ValueError("plot_yplane needs curves or targets")
    keys = {(c.y_convention, c.mediator, c.ratio, c.alpha_d) for c in curves}
    keys |= {(t.y_convention, t.mediator, t.ratio, t.alpha_d) for t in targets}
    if len(keys) > 1:
        raise ValueError(
            "plot_yplane: curves and targets disagree on (convention, mediator, ratio, "
            f"alpha_D): {sorted(keys, key=str)}"
        )
    conv, mediator, ratio, alpha_d = next(iter(keys))
    with plot_style():
        fig = Figure(figsize=(9.0, 7.5), layout="constrained")
        ax = fig.add_subplot()
        values = _draw_targets(ax, targets, conv)
        masses = [t.m_chi for t in targets]
        y_hi_edge = 1e-4
        for i, c in enumerate(curves):
            ok = np.isfinite(c.y)
            draw_limit(
                ax,
                c.m_chi,
                c.y,
                c.y_upper,
                observed=c.kind == "observed",
                label=c.label,
                colour=_REACH_COLOURS[i % len(_REACH_COLOURS)],
                ceiling=y_hi_edge * 1e6,
            )
            values.extend(float(v) for v in c.y[ok])
            masses.append(c.m_chi[ok])
        if values:
            ax.set_ylim(min(values) / 3.0, max(values) * 10.0)
        m_all = np.concatenate([m for m in masses if m.size]) if masses else np.array([1.0, 1e3])
        ax.set_xlim(*_mass_limits(m_all))
        default_title = _yplane_title(mediator, ratio, alpha_d, model, cl, targets, reach_dm)
        _finish(ax, fig, r"$m_\chi$ [MeV]", y_axis_label(mediator, conv), title or default_title)
    return fig


def plot_yplane_from_reach(
    curves: Sequence[ReachCurve],
    *,
    ratio: float = 3.0,
    alpha_d: float = 0.5,
    convention: str = DEFAULT_Y_CONVENTION,
    dm_kinds: Sequence[str] = DM_KINDS,
    neutrinos: str = "left",
    target_points: int = 60,
    title: str | None = None,
    reach_dm: str | None = None,
) -> Figure:
    """One call for ``darkreach reach ... --plane y``: convert the reach curves with
    :func:`~darkreach.physics.relic.yplane.reach_to_yplane`, compute the thermal targets of
    ``dm_kinds`` over the curves' m_chi range (``target_points`` log-spaced masses; dark
    photon: above m_e) and draw both with :func:`plot_yplane`.
    """
    if not curves:
        raise ValueError("plot_yplane_from_reach needs at least one reach curve")
    y_curves = [
        reach_to_yplane(c, ratio=ratio, alpha_d=alpha_d, convention=convention) for c in curves
    ]
    mediator = y_curves[0].mediator
    m_lo = min(float(np.min(c.m_chi)) for c in y_curves)
    m_hi = max(float(np.max(c.m_chi)) for c in y_curves)
    if mediator == "dark-photon":
        m_lo = max(m_lo, 0.52)
    grid = np.geomspace(m_lo, max(m_hi, 1.01 * m_lo), target_points)
    targets = []
    with warnings.catch_warnings():
        # regime notes are kept in the targets; they are re-issued once below, not per type
        warnings.simplefilter("ignore", RelicWarning)
        for kind in dm_kinds:
            targets.append(
                relic_targets(
                    grid,
                    dm=kind,
                    mediator=mediator,
                    ratio=ratio,
                    alpha_d=alpha_d,
                    neutrinos=neutrinos,
                    y_convention=convention,
                    check=False,
                )
            )
    for note in dict.fromkeys(n for t in targets for n in t.notes):
        warnings.warn(note, RelicWarning, stacklevel=2)
    cls = {c.cl for c in curves}
    models = {c.model for c in curves}
    return plot_yplane(
        y_curves,
        targets,
        title=title,
        model=models.pop() if len(models) == 1 else None,
        cl=cls.pop() if len(cls) == 1 else None,
        reach_dm=reach_dm,
    )
