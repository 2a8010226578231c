"""``xsec mu-brem`` for the NA64mu channels beyond a single boson: millicharge and alp-mu.

Kept apart from :mod:`darkreach.cli.cmd_physics` (shared) so that the hook there is two lines.

- ``millicharge``: mu N -> mu N chi chi-bar; ``--mass`` is m_chi, ``--xmin`` the pair's
  energy fraction, ``sigma_pb`` per (Q/e)^2 (or at ``--coupling`` Q/e, 0 < Q < 1).
- ``alp-mu``: mu N -> mu N a with g_P = m_mu g_a mu mu; ``sigma_pb`` per (g_a mu mu/GeV^-1)^2
  (or at ``--coupling`` g_a mu mu in GeV^-1).
"""

from __future__ import annotations

from typing import Any

import click
import numpy as np
from hepunits import GeV, picobarn

from darkreach.cli._common import emit_json
from darkreach.errors import InvalidParameterError

__all__ = ["CHANNEL_MODELS", "channel_xsec"]

#: models handled here (``xsec mu-brem --model NAME``)
CHANNEL_MODELS = ("millicharge", "alp-mu")


def channel_xsec(
    brem_target: Any,
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
    """Print the cross section of ``model`` (one of :data:`CHANNEL_MODELS`).

    ``brem_target`` is cmd_physics' shared target/mass/energy/xmin check (passed in to avoid
    an import cycle). Bad input raises InvalidParameterError naming the option.
    """
    from darkreach.constants import m_mu
    from darkreach.physics.form_factors import Nucleus
    from darkreach.production import millicharge, muon_brem
    from darkreach.production.muon_brem import BremSettings

    if model == "millicharge":
        if mass > 0 and not 2.0 * mass + m_mu < energy:
            raise InvalidParameterError(
                "--mass",
                f"{mass:g} MeV",
                f"0 < m_chi < (E0 - m_mu)/2 = {millicharge.max_chi_mass(energy):.6g} MeV",
            )
        if coupling is not None:
            millicharge.check_charge(coupling, "--coupling")
    elif coupling is not None and not (np.isfinite(coupling) and coupling >= 0):
        raise InvalidParameterError("--coupling", coupling, ">= 0 GeV^-1")
    element = brem_target(target, mass, energy, xmin, m_mu, "m_mu", digits=6)
    nucleus = Nucleus(element.Z, element.A)
    settings = BremSettings(approximation=approx, inelastic=inelastic)  # type: ignore[arg-type]
    if model == "millicharge":
        value = float(millicharge.sigma(energy, mass, nucleus, x_min=xmin, settings=settings))
        process, per, spin = "mu N -> mu N chi chi-bar", "(Q/e)^2", "vector (virtual photon)"
    else:
        from darkreach.models.alp_mu import yukawa_from_gamumu

        per_yukawa = muon_brem.sigma(
            energy, mass, nucleus, "pseudoscalar", x_min=xmin, settings=settings
        )
        value = float(per_yukawa) * float(yukawa_from_gamumu(1.0)) ** 2
        process, per, spin = "mu N -> mu N a", "(g_amumu / GeV^-1)^2", "pseudoscalar"
    scale = coupling**2 if coupling is not None else 1.0
    sigma_pb = value * scale / picobarn
    if as_json:
        emit_json(
            {
                "process": process,
                "model": model,
                "spin": spin,
                "target": target,
                "Z": element.Z,
                "A": element.A,
                "energy_GeV": energy / GeV,
                "mass_MeV": mass,
                "mass_is": "m_chi" if model == "millicharge" else "m_a",
                "x_min": xmin,
                "x_is": "pair energy fraction" if model == "millicharge" else "E_a/E0",
                "approximation": approx,
                "form_factor": "elastic+inelastic" if inelastic else "elastic",
                "coupling": coupling,
                "per_unit_coupling_squared": coupling is None,
                "unit_coupling": per,
                "sigma_pb": sigma_pb,
            }
        )
        return
    what = f"per {per}" if coupling is None else f"at coupling {coupling:g}"
    cut = f"x > {xmin:g}" if xmin is not None else "all x"
    click.echo(
        f"sigma({process.replace('N', target)}, {cut}) = {sigma_pb:.4e} pb  "
        f"[{model}, m = {mass:g} MeV, E0 = {energy / GeV:g} GeV, {approx.upper()}, {what}]"
    )
