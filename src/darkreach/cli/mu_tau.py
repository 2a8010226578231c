"""mu -> tau conversion on the command line (issue 13 parts 4 and 6; docs/mu-tau.md).

- ``darkreach xsec mu-tau``: the coherent cross section sigma(mu N -> tau N) at one energy
  and scale Lambda (hooked into the ``xsec`` group by :mod:`darkreach.cli.cmd_physics`).
- ``darkreach mutau CARD...``: the coherent-only lower limit Lambda_90 per missing-momentum
  card and operator (:mod:`darkreach.experiments.mu_tau_reach`).

Examples::

    darkreach xsec mu-tau --target Pb --energy 160GeV --lambda 1TeV --operator left --json
    darkreach mutau na64mu-2022 na64mu-run4 m3-phase2 --json
"""

from __future__ import annotations

import math

import click

from darkreach.cli._common import ENERGY, emit_json
from darkreach.errors import InvalidParameterError
from darkreach.validate import check_cl

__all__ = ["mutau", "xsec_mu_tau"]

_OPERATORS = ("left", "right", "vector", "axial")
_NOTE = (
    "coherent mu N -> tau N only (quasi-elastic and deep-inelastic parts missing: a "
    "conservative estimate); cross section derived in darkreach, unverified"
)


@click.command("mu-tau")
@click.option("--target", default="Pb", show_default=True, help="Pb, W, Cu or Fe.")
@click.option("--energy", type=ENERGY, required=True, help="Muon beam energy, e.g. 160GeV.")
@click.option(
    "--lambda",
    "scale",
    type=ENERGY,
    default="1TeV",
    show_default=True,
    help="Scale Lambda of the operator, e.g. 1TeV.",
)
@click.option(
    "--operator",
    type=click.Choice(_OPERATORS),
    default="left",
    show_default=True,
    help="left/right: (tau gamma P_L,R mu)(q gamma P q); vector: (tau gamma mu)(q gamma q); "
    "axial: (tau gamma gamma5 mu)(q gamma q). Quark current vector (coherent).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def xsec_mu_tau(target: str, energy: float, scale: float, operator: str, as_json: bool) -> None:
    """Coherent cross section of mu N -> tau N through a four-fermion operator / Lambda^2.

    \b
    Example:
      darkreach xsec mu-tau --target Pb --energy 160GeV --lambda 1TeV --json
    """
    from darkreach.experiments.materials import get_material
    from darkreach.experiments.mu_tau_reach import REFERENCE_SCALE, get_operator
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production import mu_tau

    if not (math.isfinite(scale) and scale > 0.0):
        raise InvalidParameterError("--lambda", f"{scale / 1e3:g} GeV", "> 0 GeV")
    try:
        material = get_material(target)
    except InvalidParameterError:
        material = None
    if material is None or len(material.elements) != 1:
        raise InvalidParameterError("--target", target, "a single-element material: Pb, W, Cu, Fe")
    element = material.elements[0]
    nucleus = Nucleus(element.Z, element.A)
    threshold = mu_tau.threshold_energy(nucleus)
    if not energy > threshold:
        raise InvalidParameterError(
            "--energy",
            f"{energy / 1e3:g} GeV",
            f"> {threshold / 1e3:.6g} GeV (tau threshold on {target})",
        )
    op = get_operator(operator, "--operator")
    sigma = float(mu_tau.coherent_sigma(energy, nucleus, scale, op.c_q, op.c_q, op.lepton))
    from hepunits import picobarn

    sigma_pb = sigma / picobarn
    per_tev4 = sigma_pb * (scale / REFERENCE_SCALE) ** 4
    if as_json:
        emit_json(
            {
                "process": "mu N -> tau N (coherent)",
                "operator": op.name,
                "structure": op.structure,
                "quark_vector_coupling": op.c_q,
                "target": target,
                "Z": element.Z,
                "A": element.A,
                "coherent_charge": mu_tau.coherent_charge(nucleus, op.c_q, op.c_q),
                "energy_GeV": energy / 1e3,
                "threshold_GeV": threshold / 1e3,
                "lambda_GeV": scale / 1e3,
                "sigma_pb": sigma_pb,
                "sigma_pb_times_lambda_TeV4": per_tev4,
                "normalisation": "sigma ~ Lambda^-4: sigma_pb_times_lambda_TeV4 = sigma_pb "
                "(Lambda / 1 TeV)^4 = sigma at Lambda = 1 TeV",
                "coherent_only": True,
                "status": "unverified",
                "note": _NOTE,
            }
        )
        return
    click.echo(
        f"sigma(mu {target} -> tau {target}, coherent) = {sigma_pb:.4e} pb  [{op.name}: "
        f"{op.structure}, E0 = {energy / 1e3:g} GeV, Lambda = {scale / 1e3:g} GeV; "
        f"{per_tev4:.4e} pb x (1 TeV/Lambda)^4; unverified]"
    )


@click.command("mutau")
@click.argument("cards", nargs=-1, required=True, metavar="CARD...")
@click.option(
    "--operator",
    "operators",
    type=click.Choice(_OPERATORS),
    multiple=True,
    help="Operator(s) (repeatable; default: all four). See `darkreach xsec mu-tau --help`.",
)
@click.option("--cl", type=float, default=None, help="Confidence level (default: the card's).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def mutau(
    cards: tuple[str, ...], operators: tuple[str, ...], cl: float | None, as_json: bool
) -> None:
    """Lower limit on the mu -> tau scale Lambda per missing-momentum CARD (coherent only).

    N(Lambda) = N_MOT eps(m_tau) BR(tau -> mu nu nu) sum n dz sigma_coh(E; Lambda) f(E),
    f = fraction of decay muons below the card's recoil cut; Lambda_90 solves N = s_up (the
    card's observed or expected median event limit). Quasi-elastic and deep-inelastic
    conversion are not included: the limits are conservative. Details: docs/mu-tau.md.

    \b
    Example:
      darkreach mutau na64mu-2022 na64mu-run4 m3-phase2 --operator left --json
    """
    from darkreach.experiments.missing_momentum import MissingMomentum
    from darkreach.experiments.mu_tau_reach import mu_tau_reach
    from darkreach.experiments.registry import get_experiment

    if cl is not None:
        check_cl(cl, "--cl")
    chosen = operators or _OPERATORS
    experiments: list[MissingMomentum] = []
    for card in cards:
        exp = get_experiment(card)
        if not isinstance(exp, MissingMomentum):
            raise InvalidParameterError(
                "CARD", card, "a missing-momentum card (muon beam), e.g. na64mu-2022, m3-phase2"
            )
        experiments.append(exp)
    rows = [mu_tau_reach(exp, op, cl=cl) for exp in experiments for op in chosen]
    if as_json:
        emit_json(
            {
                "process": "mu N -> tau N (coherent), tau -> mu nu nu",
                "lambda_unit": "GeV",
                "results": [row.as_dict() for row in rows],
                "notes": [
                    _NOTE,
                    "efficiency: the card's at m = m_tau (calibrated on dark photons)",
                    "tau polarisation: left -1, right +1, vector/axial 0 (unpolarised beam)",
                ],
            }
        )
        return
    click.echo(f"# mu -> tau, {_NOTE}")
    click.echo(
        f"{'card':<22} {'operator':<8} {'kind':<9} {'events(1TeV)':>13} {'f_cut':>6} "
        f"{'s_up':>6} {'Lambda_CL [GeV]':>16}"
    )
    for row in rows:
        click.echo(
            f"{row.card:<22} {row.operator:<8} {row.kind:<9} {row.events_at_reference:>13.4e} "
            f"{row.fraction_below:>6.3f} {row.signal_limit:>6.3f} {row.lambda_limit / 1e3:>16.1f}"
        )
