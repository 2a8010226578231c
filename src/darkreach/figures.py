"""The talks' headline plots, one name each (``darkreach figure NAME``; issue 8).

Each figure is a recipe on top of the public API: cards, model, plane, mass range, g-2
reference and bounds. That makes the talks' plots reproducible from the shipped cards
alone. The recipes follow what each talk shows; the numbers are darkreach's own (cards,
calibrations and bounds as documented), not copies of the talks' curves.

>>> sorted(FIGURES)[:2]
['t1-lmu-ltau', 't2-dark-matter']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from darkreach.errors import InvalidParameterError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from darkreach.results import ReachCurve


@dataclass(frozen=True)
class FigureSpec:
    """What one talk figure shows."""

    name: str
    talk: str
    description: str
    cards: tuple[str, ...]
    model: str
    masses: tuple[float, float, int]  # MeV, MeV, points (log-spaced)
    plane: str = "g"
    model_options: Mapping[str, Any] = field(default_factory=dict)
    gminus2_reference: str | None = None
    bounds: str = "auto"
    title: str | None = None


FIGURES: dict[str, FigureSpec] = {
    spec.name: spec
    for spec in (
        FigureSpec(
            name="t1-lmu-ltau",
            talk="[T1] Probing muonic forces at NA62 (arXiv:1902.07715)",
            description="L_mu - L_tau Z': NA62 K+ -> mu+ nu X invisible (1e13 K+) and di-muon "
            "projections with the g-2 band as shown in the talk and the computed bounds",
            cards=("na62-ultimate", "na62-dimuon-2018"),
            model="lmu-ltau",
            masses=(1.0, 385.0, 200),
            gminus2_reference="bnl-talks-2019",
        ),
        FigureSpec(
            name="t3-na62-dump",
            talk="[T3] NA62 dark-sector searches (beam-dump mode)",
            description="NA62 in beam-dump mode: the 2021 A' -> mu mu and e e exclusions "
            "(1.4e17 POT; closed contours, weakened near the 411 MeV event) and the 1e18 POT "
            "projection, dark photon",
            cards=("na62-dump-2021-mumu", "na62-dump-2021-ee", "na62-dump-1e18"),
            model="dark-photon",
            masses=(2.0, 1000.0, 160),
        ),
        FigureSpec(
            name="t5-na64mu-2022",
            talk="[T5] Latest results from the NA64mu experiment (2024)",
            description="NA64mu 2022 exclusion of the invisible L_mu - L_tau Z' with the g-2 "
            "band and the computed bounds",
            cards=("na64mu-2022",),
            model="lmu-ltau",
            masses=(1.0, 3000.0, 200),
        ),
        FigureSpec(
            name="t5-yplane",
            talk="[T5] Latest results from the NA64mu experiment (2024)",
            description="NA64mu 2022 in the thermal-relic plane (m_chi, y) with the targets of "
            "the four dark-matter types (Z' -> chi chi, m_Z' = 3 m_chi, alpha_D = 0.5)",
            cards=("na64mu-2022",),
            model="lmu-ltau-dm",
            masses=(1.0, 3000.0, 150),
            plane="y",
        ),
        FigureSpec(
            name="t2-projections",
            talk="[T2] Proposal to search for dark-sector particles coupled to the muon",
            description="NA64mu (Run 4) and M^3 (phases 1 and 2) projections for the invisible "
            "L_mu - L_tau Z' with the g-2 band of the proposal",
            cards=("na64mu-2022", "na64mu-run4", "m3-phase1", "m3-phase2"),
            model="lmu-ltau",
            masses=(1.0, 3000.0, 200),
            gminus2_reference="na64mu-proposal",
        ),
        FigureSpec(
            name="t2-dark-matter",
            talk="[T2] Proposal to search for dark-sector particles coupled to the muon",
            description="DM sensitivities of NA64mu and M^3 in the (m_chi, y) plane with the "
            "thermal targets",
            cards=("na64mu-run4", "m3-phase2"),
            model="lmu-ltau-dm",
            masses=(1.0, 3000.0, 150),
            plane="y",
        ),
        FigureSpec(
            name="t4-lmu-ltau-vanilla",
            talk="[T4] NA64++ (PBC workshop 2022)",
            description="L_mu - L_tau Z' (vanilla, Z' -> nu nubar): NA64e through the "
            "loop-induced kinetic mixing beside NA64mu, with the g-2 band",
            cards=("na64e-2016-2022", "na64mu-2022", "na64mu-run4"),
            model="lmu-ltau",
            masses=(1.0, 3000.0, 200),
            bounds="ccfr,neff",
        ),
        FigureSpec(
            name="t4-lmu-ltau-invisible",
            talk="[T4] NA64++ (PBC workshop 2022)",
            description="L_mu - L_tau Z' -> chi chi (invisible): NA64e through the loop "
            "mixing beside NA64mu, with the g-2 band",
            cards=("na64e-2016-2022", "na64mu-2022", "na64mu-run4"),
            model="lmu-ltau-dm",
            masses=(1.0, 3000.0, 200),
            bounds="ccfr",
        ),
        FigureSpec(
            name="t4-dark-photon",
            talk="[T4] NA64++ (PBC workshop 2022)",
            description="Invisible dark photon A' -> chi chi in (m, eps): NA64e (electrons, "
            "positrons, Run 4) and NA64mu",
            cards=("na64e-2016-2022", "na64e-positron-2022", "na64e-1e13", "na64mu-2022"),
            model="dark-photon-dm",
            masses=(1.0, 3000.0, 200),
        ),
        FigureSpec(
            name="t3-kpix-scalar",
            talk="[T3] NA62 dark-sector searches: K+ -> pi+ X",
            description="Higgs-mixed dark scalar in (m, sin^2 theta): NA62 K+ -> pi+ X (R1, pi0 "
            "window, R2) 2016-18 and 2016-22, lower and upper (S decays inside) edges",
            cards=("na62-kpix-2016-2018", "na62-kpix-2016-2022"),
            model="dark-scalar",
            masses=(1.0, 259.9, 200),
        ),
        FigureSpec(
            name="t3-kpix-alp",
            talk="[T3] NA62 dark-sector searches: K+ -> pi+ X",
            description="ALP coupled to gluons in (m, c_GG/Lambda), a -> invisible: NA62 "
            "K+ -> pi+ X 2016-18 and 2016-22",
            cards=("na62-kpix-2016-2018", "na62-kpix-2016-2022"),
            model="alp-gluon",
            masses=(1.0, 259.9, 200),
        ),
        FigureSpec(
            name="t3-kpix-alp-visible",
            talk="[T3] NA62 dark-sector searches: K+ -> pi+ X",
            description="ALP coupled to gluons in (m, c_GG/Lambda), a -> gamma gamma: NA62 "
            "K+ -> pi+ X (a escaping; lower edge and upper edge where a decays inside) "
            "2016-18 and 2016-22, and the prompt K+ -> pi+ gamma gamma search",
            cards=("na62-kpix-2016-2018", "na62-kpix-2016-2022", "na62-kpigg-prompt"),
            model="alp-gluon-visible",
            masses=(1.0, 349.9, 300),
        ),
    )
}


def get_figure_spec(name: str) -> FigureSpec:
    """The recipe called ``name``; one-line InvalidParameterError for an unknown name."""
    try:
        return FIGURES[name]
    except KeyError:
        raise InvalidParameterError("NAME", name, ", ".join(FIGURES)) from None


def make_figure(spec: FigureSpec) -> tuple[Figure, list[ReachCurve]]:
    """Compute the curves of ``spec`` and draw them (figure and the curves behind it)."""
    from darkreach.reach import compute_reach

    low, high, points = spec.masses
    curves = compute_reach(
        list(spec.cards), spec.model, np.geomspace(low, high, points),
        model_options=dict(spec.model_options),
    )  # fmt: skip
    if spec.plane == "y":
        from darkreach.plotting_relic import plot_yplane_from_reach

        options = dict(spec.model_options)
        figure = plot_yplane_from_reach(
            curves,
            ratio=float(options.get("mass_ratio", 3.0)),
            alpha_d=float(options.get("alpha_d", 0.5)),
            reach_dm=str(options.get("kind", "complex-scalar")),
            title=spec.title,
        )
    else:
        from darkreach.plotting import plot_reach

        figure = plot_reach(
            curves,
            gminus2_reference=spec.gminus2_reference,
            bounds=spec.bounds,
            title=spec.title,
        )
    return figure, curves


__all__ = ["FIGURES", "FigureSpec", "get_figure_spec", "make_figure"]
