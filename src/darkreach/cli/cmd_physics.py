"""Physics look-up commands: ``xsec``, ``widths``, ``gminus2``."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import click
import numpy as np
from hepunits import GeV, picobarn

from darkreach.cli._common import ENERGY, emit_json, gminus2_reference_names, positive
from darkreach.errors import InvalidParameterError

if TYPE_CHECKING:
    from darkreach.models.base import BosonSpin

_BREM_SPIN: dict[str, BosonSpin] = {
    "lmu-ltau": "vector",
    "lmu-ltau-dm": "vector",
    "dark-photon": "vector",
    "dark-photon-dm": "vector",
    "scalar": "scalar",
    "pseudoscalar": "pseudoscalar",
}


def _brem_target(
    target: str, mass: float, energy: float, xmin: float | None, lepton_mass: float,
    lepton: str, digits: int,
) -> Any:  # fmt: skip
    """The single element of ``--target``, after the checks both xsec commands share.

    ``--mass`` > 0, ``--energy`` above m + m_l and ``--xmin`` below 1 - m_l/E0 (shown to
    ``digits`` decimals); one-line errors naming the option.
    """
    from darkreach.experiments.materials import get_material

    material = get_material(target)
    if len(material.elements) != 1:
        raise InvalidParameterError("--target", target, "a single-element material: Pb, W, Cu, Fe")
    positive(mass, "--mass", "> 0 MeV")
    if energy <= mass + lepton_mass:
        raise InvalidParameterError(
            "--energy",
            f"{energy / GeV:g} GeV",
            f"> m + {lepton} = {(mass + lepton_mass) / GeV:.6g} GeV",
        )
    top = 1.0 - lepton_mass / energy
    if xmin is not None and not 0.0 <= xmin < top:
        raise InvalidParameterError(
            "--xmin", xmin, f"0 <= xmin < 1 - {lepton}/E0 = {top:.{digits}f}"
        )
    return material.elements[0]


def _coupling(value: float | None, field: str = "--coupling") -> float | None:
    if value is None:
        return None
    if not (math.isfinite(value) and value >= 0):
        raise InvalidParameterError(field, value, ">= 0")
    return value


@click.group("xsec")
def xsec() -> None:
    """Production cross sections."""


@xsec.command("mu-brem")
@click.option(
    "--model",
    default="lmu-ltau",
    show_default=True,
    help="lmu-ltau, scalar, pseudoscalar or dark-photon (selects the spin of X); millicharge "
    "(--mass = m_chi, --xmin on the pair, per (Q/e)^2) or alp-mu (per (g_amumu GeV)^2).",
)
@click.option("--target", default="Pb", show_default=True, help="Pb, W, Cu or Fe.")
@click.option("--energy", type=ENERGY, required=True, help="Muon beam energy, e.g. 160GeV.")
@click.option("--mass", type=ENERGY, required=True, help="Mass of X, e.g. 10MeV.")
@click.option(
    "--xmin",
    type=float,
    default=None,
    help="Lower cut on x = E_X/E_0 (default: the kinematic minimum m/E_0).",
)
@click.option(
    "--approx",
    type=click.Choice(["ww", "iww", "etl"]),
    default="ww",
    show_default=True,
    help="Weizsaecker-Williams (ww, default for muons), improved WW (iww) or exact tree level "
    "(etl: full 2 -> 3 integral, ~1 s).",
)
@click.option(
    "--inelastic/--elastic",
    default=False,
    show_default=True,
    help="Add the inelastic (quasi-free proton) form factor.",
)
@click.option(
    "--coupling",
    type=float,
    default=None,
    help="Coupling g; without it the result is per unit coupling squared.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def mu_brem(
    model: str,
    target: str,
    energy: float,
    mass: float,
    xmin: float | None,
    approx: str,
    inelastic: bool,
    coupling: float | None,
    as_json: bool,
) -> None:
    """Cross section of mu N -> mu N X for x > XMIN (WW, IWW or exact tree level ETL).

    \b
    Example:
      darkreach xsec mu-brem --model lmu-ltau --target Pb --energy 160GeV --mass 10MeV --xmin 0.5
    """
    from darkreach.cli.mu_channels import CHANNEL_MODELS, channel_xsec
    from darkreach.constants import m_mu
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production.muon_brem import BremSettings, sigma

    if model in CHANNEL_MODELS:  # millicharge, alp-mu (issue 13)
        args = (model, target, energy, mass, xmin, approx, inelastic, coupling, as_json)
        return channel_xsec(_brem_target, *args)
    if model not in _BREM_SPIN:
        raise InvalidParameterError("--model", model, ", ".join((*_BREM_SPIN, *CHANNEL_MODELS)))
    element = _brem_target(target, mass, energy, xmin, m_mu, "m_mu", digits=6)
    coupling = _coupling(coupling)
    settings = BremSettings(approximation=approx, inelastic=inelastic)  # type: ignore[arg-type]
    value = float(
        np.asarray(
            sigma(
                energy,
                mass,
                Nucleus(element.Z, element.A),
                _BREM_SPIN[model],
                x_min=xmin,
                settings=settings,
            )
        )
    )
    scale = coupling**2 if coupling is not None else 1.0
    sigma_pb = value * scale / picobarn
    if as_json:
        emit_json(
            {
                "process": "mu N -> mu N X",
                "model": model,
                "spin": _BREM_SPIN[model],
                "target": target,
                "Z": element.Z,
                "A": element.A,
                "energy_GeV": energy / GeV,
                "mass_MeV": mass,
                "x_min": xmin,
                "approximation": approx,
                "form_factor": "elastic+inelastic" if inelastic else "elastic",
                "coupling": coupling,
                "per_unit_coupling_squared": coupling is None,
                "sigma_pb": sigma_pb,
            }
        )
        return
    what = "per unit coupling squared" if coupling is None else f"at coupling {coupling:g}"
    cut = f"x > {xmin:g}" if xmin is not None else "all x"
    click.echo(
        f"sigma(mu {target} -> mu {target} X, {cut}) = {sigma_pb:.4e} pb  "
        f"[{model} ({_BREM_SPIN[model]}), m = {mass:g} MeV, E0 = {energy / GeV:g} GeV, "
        f"{approx.upper()}, {what}]"
    )


_E_BREM_MODELS = ("dark-photon", "dark-photon-dm", "b-l", "lmu-ltau", "lmu-ltau-dm")


@xsec.command("e-brem")
@click.option(
    "--model",
    default="dark-photon",
    show_default=True,
    help="dark-photon, dark-photon-dm, b-l, lmu-ltau or lmu-ltau-dm (through eps(m^2)).",
)
@click.option("--target", default="Pb", show_default=True, help="Pb, W, Cu or Fe.")
@click.option("--energy", type=ENERGY, required=True, help="Electron beam energy, e.g. 100GeV.")
@click.option("--mass", type=ENERGY, required=True, help="Mass of X, e.g. 10MeV.")
@click.option(
    "--xmin",
    type=float,
    default=None,
    help="Lower cut on x = E_X/E_0 (default: the kinematic minimum m/E_0).",
)
@click.option(
    "--approx",
    type=click.Choice(["iww-k", "iww", "ww"]),
    default="iww-k",
    show_default=True,
    help="IWW corrected to exact tree level by the K-factors (iww-k, the field's standard for "
    "electrons), IWW or WW.",
)
@click.option(
    "--inelastic/--elastic",
    default=False,
    show_default=True,
    help="Add the inelastic (quasi-free proton) form factor.",
)
@click.option(
    "--coupling",
    type=float,
    default=None,
    help="Model coupling (eps or g, < 1); without it the result is per unit coupling squared.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def e_brem(
    model: str,
    target: str,
    energy: float,
    mass: float,
    xmin: float | None,
    approx: str,
    inelastic: bool,
    coupling: float | None,
    as_json: bool,
) -> None:
    """Cross section of e N -> e N X for x > XMIN (IWW x K, IWW or WW).

    Per unit model coupling squared: the electron coupling of the model enters (e for the
    dark photon, 1 for B-L, e abs(eps(m^2))/g for L_mu - L_tau through the loop mixing).

    \b
    Example:
      darkreach xsec e-brem --model dark-photon --target Pb --energy 100GeV --mass 10MeV --json
    """
    from darkreach.constants import m_e
    from darkreach.models.registry import get_model
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production.electron_brem import electron_coupling_squared, sigma

    if model not in _E_BREM_MODELS:
        raise InvalidParameterError("--model", model, ", ".join(_E_BREM_MODELS))
    element = _brem_target(target, mass, energy, xmin, m_e, "m_e", digits=8)
    if coupling is not None and not (math.isfinite(coupling) and 0.0 <= coupling < 1.0):
        raise InvalidParameterError("--coupling", coupling, "0 <= coupling < 1")
    the_model = get_model(model)
    c2 = float(electron_coupling_squared(the_model, mass))
    per_g2 = float(
        sigma(
            energy,
            mass,
            Nucleus(element.Z, element.A),
            x_min=xmin,
            approximation=approx,  # type: ignore[arg-type]
            inelastic=inelastic,
        )
    )
    scale = coupling**2 if coupling is not None else 1.0
    sigma_pb = per_g2 * c2 * scale / picobarn
    if as_json:
        emit_json(
            {
                "process": "e N -> e N X",
                "model": model,
                "spin": "vector",
                "coupling_symbol": the_model.coupling_symbol,
                "electron_coupling_per_unit": math.sqrt(c2),
                "target": target,
                "Z": element.Z,
                "A": element.A,
                "energy_GeV": energy / GeV,
                "mass_MeV": mass,
                "x_min": xmin,
                "approximation": approx,
                "form_factor": "elastic+inelastic" if inelastic else "elastic",
                "t_max": "m^2",
                "coupling": coupling,
                "per_unit_coupling_squared": coupling is None,
                "sigma_pb": sigma_pb,
            }
        )
        return
    what = "per unit coupling squared" if coupling is None else f"at coupling {coupling:g}"
    cut = f"x > {xmin:g}" if xmin is not None else "all x"
    click.echo(
        f"sigma(e {target} -> e {target} X, {cut}) = {sigma_pb:.4e} pb  "
        f"[{model}, m = {mass:g} MeV, E0 = {energy / GeV:g} GeV, {approx.upper()}, {what}]"
    )


@click.command("widths")
@click.argument("model")
@click.option("--mass", type=ENERGY, required=True, help="Boson mass, e.g. 300MeV.")
@click.option("--coupling", type=float, required=True, help="Model coupling (g, g_S or epsilon).")
@click.option(
    "--neutrinos", type=click.Choice(["left", "dirac"]), default="left", show_default=True
)
@click.option(
    "--alpha-d", type=float, default=None, help="alpha_D of the dark sector (lmu-ltau-dm)."
)
@click.option("--ratio", type=float, default=None, help="m_Z'/m_chi (lmu-ltau-dm).")
@click.option(
    "--dm",
    type=click.Choice(["complex-scalar", "majorana", "pseudo-dirac", "dirac"]),
    default=None,
    help="Dark-matter type (lmu-ltau-dm).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def widths(
    model: str,
    mass: float,
    coupling: float,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    as_json: bool,
) -> None:
    """Partial widths, branching ratios and lifetime of MODEL.

    MODEL: lmu-ltau, lmu-ltau-dm, scalar, pseudoscalar, dark-photon.

    \b
    Example:
      darkreach widths lmu-ltau --mass 300MeV --coupling 1e-3 --json
    """
    from darkreach.cli.cmd_reach import _model_options
    from darkreach.constants import hbar, hbarc
    from darkreach.models.registry import get_model

    positive(mass, "--mass", "> 0 MeV")
    _coupling(coupling)
    model_obj = get_model(model, **_model_options(model, alpha_d, ratio, dm, neutrinos))
    partial = {k: float(v) for k, v in model_obj.partial_widths(mass, coupling).items()}
    total = float(model_obj.total_width(mass, coupling))
    brs = {k: float(v) for k, v in model_obj.branching_ratios(mass, coupling).items()}
    invisible = float(model_obj.invisible_fraction(mass, coupling))
    ctau_mm = hbarc / total if total > 0 else math.inf
    if as_json:
        emit_json(
            {
                "model": model_obj.name,
                "mass_MeV": mass,
                "coupling": coupling,
                "total_width_MeV": total,
                "partial_widths_MeV": partial,
                "branching_ratios": brs,
                "invisible_branching_ratio": invisible,
                "ctau_mm": ctau_mm,
                "lifetime_ns": hbar / total if total > 0 else math.inf,
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title=f"{model_obj.name}: m = {mass:g} MeV, {model_obj.coupling_symbol} = {coupling:g}"
    )
    table.add_column("channel")
    table.add_column("width [MeV]", justify="right")
    table.add_column("BR", justify="right")
    for channel, width in partial.items():
        table.add_row(channel, f"{width:.4e}", f"{brs[channel]:.4f}")
    table.add_row("total", f"{total:.4e}", f"invisible {invisible:.4f}")
    console = Console()
    console.print(table)
    console.print(f"c tau = {ctau_mm:.4e} mm")


_GMINUS2_LOOPS: dict[str, BosonSpin] = {
    "lmu-ltau": "vector",
    "lmu-ltau-dm": "vector",
    "vector": "vector",
    "axial": "axial",
    "scalar": "scalar",
    "pseudoscalar": "pseudoscalar",
}


@click.command("gminus2")
@click.argument("model", required=False, type=click.Choice(list(_GMINUS2_LOOPS)))
@click.option("--mass", type=ENERGY, default=None, help="Boson mass, e.g. 10MeV.")
@click.option("--coupling", type=float, default=None, help="Coupling to the muon (>= 0).")
@click.option(
    "--gminus2-reference",
    type=click.Choice(gminus2_reference_names()),
    default=None,
    help="Delta a_mu reference (default: fnal2023-wp20; values: see --list-references).",
)
@click.option(
    "--list-references",
    is_flag=True,
    help="List the stored references and exit (needs no other argument).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def gminus2(
    model: str | None,
    mass: float | None,
    coupling: float | None,
    gminus2_reference: str | None,
    list_references: bool,
    as_json: bool,
) -> None:
    """One-loop contribution of MODEL to a_mu = (g-2)/2, compared with a reference.

    MODEL: lmu-ltau or lmu-ltau-dm (vector loop), vector, axial, scalar, pseudoscalar.

    \b
    Example:
      darkreach gminus2 lmu-ltau --mass 10MeV --coupling 5e-4 --gminus2-reference fnal2021-wp20
      darkreach gminus2 --list-references
    """
    from darkreach.physics.gminus2 import REFERENCES, default_reference, delta_a_mu, get_reference

    if list_references:
        if as_json:
            emit_json(
                {
                    "references": [
                        {
                            "name": key,
                            "delta_a_mu": ref.delta,
                            "sigma": ref.delta_err,
                            "description": ref.description,
                        }
                        for key, ref in REFERENCES.items()
                    ]
                }
            )
            return
        for key, ref in REFERENCES.items():
            click.echo(
                f"{key:20s} Delta a_mu = ({ref.delta * 1e11:.1f} +- "
                f"{ref.delta_err * 1e11:.1f})e-11  {ref.description}"
            )
        return
    if model is None:
        raise InvalidParameterError("MODEL", "(missing)", ", ".join(_GMINUS2_LOOPS))
    if mass is None:
        raise InvalidParameterError("--mass", "(missing)", "a mass with a unit, e.g. 10MeV")
    if coupling is None:
        raise InvalidParameterError("--coupling", "(missing)", "a number >= 0, e.g. 5e-4")
    kinds = _GMINUS2_LOOPS
    positive(mass, "--mass", "> 0 MeV")
    _coupling(coupling)
    ref = get_reference(gminus2_reference) if gminus2_reference else default_reference()
    value = float(delta_a_mu(mass, coupling, kinds[model]))
    pull = (value - ref.delta) / ref.delta_err
    if as_json:
        emit_json(
            {
                "model": model,
                "loop": kinds[model],
                "mass_MeV": mass,
                "coupling": coupling,
                "delta_a_mu": value,
                "reference": ref.label,
                "reference_delta_a_mu": ref.delta,
                "reference_sigma": ref.delta_err,
                "pull_sigma": pull,
                "within_2sigma": abs(pull) <= 2.0,
            }
        )
        return
    click.echo(
        f"Delta a_mu = {value:.4e}  ({kinds[model]} loop, m = {mass:g} MeV, g = {coupling:g})"
    )
    click.echo(
        f"reference {ref.label}: Delta a_mu = ({ref.delta * 1e11:.1f} +- "
        f"{ref.delta_err * 1e11:.1f})e-11; "
        f"this point is {pull:+.2f} sigma from it"
    )


from darkreach.cli.mu_tau import xsec_mu_tau  # noqa: E402  (issue 13: coherent mu -> tau)

xsec.add_command(xsec_mu_tau)
