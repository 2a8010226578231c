"""``darkreach kaon``: K+ decay branching ratios, the IB background and m_miss^2 spectra.

Formulas and references: `darkreach --cite`. Examples::

    darkreach kaon br --model lmu-ltau --mass 100MeV --coupling 1e-3 --json
    darkreach kaon br --model hnl-mu --mass 300MeV --coupling 1e-8
    darkreach kaon br --model dark-scalar --mass 100MeV --coupling 1e-6 --json
    darkreach kaon br --model alp-gluon --mass 100MeV --coupling 1e-3 --json
    darkreach kaon background --m2miss-min 0.01GeV2 --json
    darkreach kaon spectrum --model lmu-ltau --masses 20MeV,100MeV,250MeV --plot spectra.png
    darkreach kaon limit --card na62-kpix-2016-2022 --mass 100MeV --ctau 10m --json
"""

from __future__ import annotations

import math
from pathlib import Path

import click
import numpy as np

from darkreach.cli._common import (
    ENERGY,
    ENERGY2,
    LENGTH,
    emit_json,
    parse_mass_grid,
    write_outputs,
)
from darkreach.errors import InvalidParameterError
from darkreach.production import kaon as kaon_production
from darkreach.production import kaon_to_pion
from darkreach.production.kaon_backgrounds import ib_branching_ratio
from darkreach.text import plain_text
from darkreach.units import GeV, MeV

__all__ = ["kaon"]

_BR_MODELS = (
    "lmu-ltau",
    "scalar",
    "hnl-mu",
    "hnl-e",
    "vector-muon-only",
    "dark-scalar",
    "alp-gluon",
)
#: K+ -> pi+ X models: the symbol of --coupling
_PI_MODELS = {"dark-scalar": "sin^2 theta", "alp-gluon": "c_GG/Lambda [1/GeV]"}
_SHAPE = {"lmu-ltau": "vector", "scalar": "scalar", "vector-muon-only": "vector-muon-only"}
#: the kaon-invisible cards shipped with darkreach (CARD of ``kaon spectrum``)
_INVISIBLE_CARDS = ("na62-2015", "na62-2016-2018", "na62-ultimate")


def _check_coupling(value: float, model: str) -> float:
    """--coupling: |U_l4|^2 in (0, 1] for the HNL models, sin^2 theta in [0, 1] for the dark
    scalar, c_GG/Lambda >= 0 for the ALP, a finite g >= 0 otherwise."""
    if model == "dark-scalar":
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise InvalidParameterError("--coupling", f"{value:g}", "0 <= sin^2 theta <= 1")
    elif model == "alp-gluon":
        if not (math.isfinite(value) and value >= 0.0):
            raise InvalidParameterError(
                "--coupling", f"{value:g}", "a finite c_GG/Lambda >= 0 /GeV"
            )
    elif model.startswith("hnl-"):
        symbol = f"|U_{model.split('-')[1]}4|^2"
        if not (math.isfinite(value) and 0.0 < value <= 1.0):
            raise InvalidParameterError("--coupling", f"{value:g}", f"0 < {symbol} <= 1")
    elif not (math.isfinite(value) and value >= 0.0):
        raise InvalidParameterError("--coupling", f"{value:g}", "a finite g >= 0")
    return value


@click.group("kaon")
def kaon() -> None:
    """K+ -> mu+ nu X, K+ -> l+ N, K+ -> pi+ X and the K+ -> mu+ nu gamma background (NA62)."""


@kaon.command("br")
@click.option(
    "--model",
    type=click.Choice(_BR_MODELS),
    required=True,
    help="One of: lmu-ltau (vector X), scalar (scalar X), hnl-mu (K+ -> mu+ N), hnl-e "
    "(K+ -> e+ N), vector-muon-only (vector X coupled to muons only, Carlson-Rislow); "
    "K+ -> pi+ X: dark-scalar (Higgs-mixed scalar S), alp-gluon (ALP coupled to gluons, "
    "c_GG only, Bauer et al. arXiv:2110.10698 convention).",
)
@click.option(
    "--mass",
    type=ENERGY,
    required=True,
    help="Mass of X or N with its unit, e.g. 100MeV or 0.1GeV; 0 < m < m_K - m_l "
    "(m_K - m_pi for dark-scalar and alp-gluon).",
)
@click.option(
    "--coupling",
    type=float,
    required=True,
    help="X models: the coupling g (g_S), finite and >= 0; HNL models: the mixing |U_l4|^2, "
    "0 < |U|^2 <= 1; dark-scalar: the mixing 0 <= sin^2 theta <= 1; alp-gluon: c_GG/Lambda "
    "in 1/GeV, >= 0.",
)
@click.option(
    "--m2miss-min",
    type=ENERGY2,
    default=None,
    help="X models only: count only m_miss^2 above this, with its unit, e.g. 0.023GeV2 or "
    "23000MeV2; 0 <= cut <= (m_K - m_mu)^2.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def br(model: str, mass: float, coupling: float, m2miss_min: float | None, as_json: bool) -> None:
    """BR(K+ -> mu+ nu X), BR(K+ -> l+ N) or BR(K+ -> pi+ X) (X decay not included)."""
    _check_coupling(coupling, model)
    if model in _PI_MODELS:
        if m2miss_min is not None:
            raise InvalidParameterError("--m2miss-min", m2miss_min, "only for K+ -> mu+ nu X")
        if model == "dark-scalar":
            value = float(kaon_to_pion.br_k_to_pi_scalar(mass, coupling))
        else:
            value = float(kaon_to_pion.br_k_to_pi_alp(mass, coupling / GeV))
        process = "K+ -> pi+ X"
        symbol = _PI_MODELS[model]
        extra = {"p_X_MeV": float(kaon_to_pion.momentum(mass)) / MeV}
    elif model.startswith("hnl-"):
        if m2miss_min is not None:
            raise InvalidParameterError("--m2miss-min", m2miss_min, "only for X models")
        lepton = model.split("-")[1]
        value = float(kaon_production.hnl_branching_ratio(lepton, mass, coupling))
        process = f"K+ -> {lepton}+ N"
        symbol = f"|U_{lepton}4|^2"
        extra = {"rho": float(kaon_production.rho_hnl(lepton, mass))}
    else:
        value = float(
            kaon_production.branching_ratio(_SHAPE[model], mass, coupling, m2miss_min=m2miss_min)
        )
        process = "K+ -> mu+ nu X"
        symbol = "g"
        extra = {} if m2miss_min is None else {"m2miss_min_GeV2": m2miss_min / GeV**2}
    if as_json:
        emit_json(
            {
                "process": process,
                "model": model,
                "mass_MeV": mass / MeV,
                "coupling": coupling,
                "coupling_symbol": symbol,
                "branching_ratio": value,
                **extra,
            }
        )
    else:
        click.echo(
            f"BR({process}) = {value:.4g}   [{model}, m = {mass / MeV:g} MeV, "
            f"{symbol} = {coupling:g}]"
        )


@kaon.command("background")
@click.option(
    "--m2miss-min",
    type=ENERGY2,
    required=True,
    help="Lower m_miss^2 cut with its unit, e.g. 0.01GeV2; 0 < cut <= (m_K - m_mu)^2.",
)
@click.option(
    "--m2miss-max",
    type=ENERGY2,
    default=None,
    help="Upper m_miss^2 with its unit (default: the end point (m_K - m_mu)^2).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def background(m2miss_min: float, m2miss_max: float | None, as_json: bool) -> None:
    """BR of K+ -> mu+ nu gamma (inner bremsstrahlung) with m_miss^2 above the cut.

    No photon-veto inefficiency is applied: this is the physics rate, before detection.
    """
    if m2miss_max is not None and not m2miss_min < m2miss_max:
        raise InvalidParameterError(
            "--m2miss-max", f"{m2miss_max / GeV**2:g} GeV2", "> --m2miss-min"
        )
    value = float(ib_branching_ratio(m2miss_min, m2miss_max))
    upper = kaon_production.m2miss_max() if m2miss_max is None else m2miss_max
    if as_json:
        emit_json(
            {
                "process": "K+ -> mu+ nu gamma (IB)",
                "m2miss_min_GeV2": m2miss_min / GeV**2,
                "m2miss_max_GeV2": upper / GeV**2,
                "branching_ratio": value,
            }
        )
    else:
        click.echo(
            f"BR(K+ -> mu+ nu gamma, IB; {m2miss_min / GeV**2:g} < m_miss^2 < "
            f"{upper / GeV**2:.5g} GeV2) = {value:.4g}"
        )


@kaon.command("spectrum")
@click.argument("card", required=False, default="na62-ultimate", metavar="[CARD]")
@click.option(
    "--model",
    type=click.Choice(("lmu-ltau", "scalar")),
    default="lmu-ltau",
    show_default=True,
    help="Model of X: lmu-ltau (vector) or scalar.",
)
@click.option(
    "--masses",
    default="20MeV,100MeV,250MeV",
    show_default=True,
    help="X masses with units: a comma list (20MeV,100MeV) or A:B:N (N log-spaced masses).",
)
@click.option(
    "--coupling",
    type=float,
    default=1e-3,
    show_default=True,
    help="Coupling g of X, finite and >= 0.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the spectra plot (PNG/PDF).",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the spectra as CSV.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def spectrum(
    model: str,
    masses: str,
    coupling: float,
    card: str,
    plot_path: Path | None,
    out_path: Path | None,
    as_json: bool,
) -> None:
    """Reconstructed m_miss^2 spectra: signal for a few masses over the IB background.

    CARD is the kaon-invisible card giving flux, resolution and background (positional, as in
    `darkreach reach`): na62-2015, na62-2016-2018, na62-ultimate (default) or a .toml path.
    """
    from darkreach.experiments.kaon import KaonInvisible
    from darkreach.experiments.registry import get_experiment
    from darkreach.models.registry import get_model

    _check_coupling(coupling, model)
    grid = parse_mass_grid(masses)
    exp = get_experiment(card)
    if not isinstance(exp, KaonInvisible):
        raise InvalidParameterError(
            "CARD", card, f"a kaon-invisible card ({', '.join(_INVISIBLE_CARDS)})"
        )
    mod = get_model(model)
    spectra = exp.spectra(mod, grid, coupling)
    writers = []
    if out_path is not None:
        edges = spectra["edges"]

        def write_csv(path: Path) -> None:
            header = "m2miss_low_GeV2,m2miss_high_GeV2,background," + ",".join(
                f"signal_{m / MeV:g}MeV" for m in grid
            )
            rows = np.column_stack(
                [
                    edges[:-1] / GeV**2,
                    edges[1:] / GeV**2,
                    spectra["background"],
                    spectra["signal"].T,
                ]
            )
            from darkreach._version import __version__

            comment = (
                f"# darkreach {__version__} m_miss^2 spectra\n"
                f"# card: {exp.name}; model: {model}; coupling: {coupling:g}; events per bin\n"
            )
            with path.open("w", encoding="utf-8") as handle:
                handle.write(comment + header + "\n")
                np.savetxt(handle, rows, delimiter=",", fmt="%.6g")

        writers.append((out_path, write_csv))
    if plot_path is not None:
        from darkreach.plotting_kaon import plot_mmiss2_spectra

        fig = plot_mmiss2_spectra(
            spectra["edges"],
            spectra["background"],
            spectra["signal"],
            list(grid / MeV),
            spectra["cut"],
            mod.label,
            coupling=coupling,
            coupling_symbol=mod.coupling_symbol,
            title=f"{exp.title} ({exp.card.curve_kind}): {mod.label}",
        )

        def write_plot(path: Path) -> None:
            fig.savefig(path, dpi=150, format=(plot_path.suffix.lstrip(".") or "png"))

        writers.append((plot_path, write_plot))
    write_outputs(writers)
    if as_json:
        emit_json(
            {
                "card": exp.name,
                "title": plain_text(exp.title),
                "kind": exp.card.curve_kind,
                "model": model,
                "model_label": plain_text(mod.label),
                "coupling": coupling,
                "coupling_symbol": plain_text(mod.coupling_symbol),
                "mass_MeV": grid / MeV,
                "edges_GeV2": spectra["edges"] / GeV**2,
                "background": spectra["background"],
                "signal": spectra["signal"],
                "cut_GeV2": spectra["cut"] / GeV**2,
            }
        )
    else:
        for target in (out_path, plot_path):
            if target is not None:
                click.echo(f"wrote {target}")
        if out_path is None and plot_path is None:
            for m, cut, s in zip(grid, spectra["cut"], spectra["signal"], strict=True):
                click.echo(
                    f"m_X = {m / MeV:g} MeV: {s.sum():.4g} signal events in the range, "
                    f"optimised cut m_miss^2 > {cut / GeV**2:.4g} GeV2"
                )


@kaon.command("limit")
@click.option(
    "--card",
    required=True,
    help="A kaon-pion-invisible card: na62-kpix-2016-2018, na62-kpix-2016-2022 or a .toml path.",
)
@click.option(
    "--mass",
    "masses",
    required=True,
    help="X mass(es) with units, inside the card's regions: 100MeV, a comma list or A:B:N.",
)
@click.option(
    "--ctau",
    type=LENGTH,
    default=None,
    help="Proper decay length c tau of X with its unit, e.g. 10m or 3cm; >= 0 (default: stable).",
)
@click.option(
    "--invisible-fraction",
    type=float,
    default=0.0,
    show_default=True,
    help="Fraction of X decays that are invisible, 0..1.",
)
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write BR limit versus m_X (this c tau and a stable X) as a plot (.png/.pdf/.svg).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def limit(
    card: str,
    masses: str,
    ctau: float | None,
    invisible_fraction: float,
    plot_path: Path | None,
    as_json: bool,
) -> None:
    """Upper limit on BR(K+ -> pi+ X) for any X of given mass and lifetime (NA62 cards).

    BR_limit(m) / [BR_inv + (1 - BR_inv) P_escape(m, c tau)]: compare your model's
    BR(K+ -> pi+ X) with it (see darkreach.experiments.kaon.generic_x).
    """
    from darkreach.experiments.kaon.generic_x import kaon_pion_limit

    grid = parse_mass_grid(masses, "--mass")
    if ctau is not None and not (ctau >= 0.0):
        raise InvalidParameterError("--ctau", f"{ctau / mm_unit():g} m", ">= 0 m")
    if not (math.isfinite(invisible_fraction) and 0.0 <= invisible_fraction <= 1.0):
        raise InvalidParameterError("--invisible-fraction", invisible_fraction, "0 <= f <= 1")
    ct = math.inf if ctau is None else ctau
    try:
        values = kaon_pion_limit(card, grid, ct, invisible_fraction)
    except InvalidParameterError as exc:
        if exc.field in ("mass", "card", "ctau"):
            raise InvalidParameterError(f"--{exc.field}", exc.value, exc.allowed) from None
        raise
    if plot_path is not None:
        _plot_limits(plot_path, card, grid, values, ct, invisible_fraction)
    if as_json:
        emit_json(
            {
                "process": "K+ -> pi+ X",
                "card": card,
                "mass_MeV": grid / MeV,
                "ctau_m": None if ctau is None else ctau / mm_unit(),
                "invisible_fraction": invisible_fraction,
                "branching_ratio_limit": values,
            }
        )
        return
    life = "stable" if ctau is None else f"c tau = {ctau / mm_unit():g} m"
    for m, v in zip(grid, values, strict=True):
        click.echo(f"BR(K+ -> pi+ X) < {v:.4g}   [{card}, m_X = {m / MeV:g} MeV, {life}]")
    if plot_path is not None:
        click.echo(f"wrote plot: {plot_path}")


def _plot_limits(
    path: Path,
    card: str,
    grid: np.ndarray,
    values: np.ndarray,
    ctau: float,
    invisible_fraction: float,
) -> None:
    """BR limit versus m_X for this c tau (and a stable X) written atomically to ``path``."""
    from darkreach.experiments.kaon.generic_x import kaon_pion_experiment
    from darkreach.plotting_kaon import plot_branching_ratio_limits

    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(path), "a file ending in .png, .pdf or .svg")
    exp = kaon_pion_experiment(card)
    lines = [("stable X", np.asarray(exp.stable_limit(grid)))]
    if math.isfinite(ctau) or invisible_fraction > 0:
        label = f"c tau = {ctau / mm_unit():g} m" if math.isfinite(ctau) else "stable"
        if invisible_fraction > 0:
            label += f", BR_inv = {invisible_fraction:g}"
        lines.append((label, values))
    fig = plot_branching_ratio_limits(grid / MeV, lines, title=exp.title)
    fmt = path.suffix.lstrip(".").lower()
    write_outputs([(path, lambda p: fig.savefig(p, dpi=150, format=fmt), "--plot")])


def mm_unit() -> float:
    """One metre in hepunits (mm)."""
    from darkreach.units import m

    return float(m)
