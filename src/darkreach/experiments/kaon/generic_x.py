"""Bring any X: the K+ -> pi+ X limit for an X of given mass and lifetime.

The NA62 K+ -> pi+ X limits are model independent (handbook kaon_decays.md 8): a new model
needs only (i) its rate BR(K+ -> pi+ X) (for a two-body amplitude or width:
:func:`darkreach.production.kaon_to_pion.br_k_to_pi_x`) and (ii) its proper decay length
c tau and invisible branching fraction. This module turns (ii) into the BR upper limit at a
``kaon-pion-invisible`` card::

    BR_limit(m, c tau, BR_inv) = BR_limit_stable(m) / [BR_inv + (1 - BR_inv) P_escape(m, c tau)]

and the model is excluded where its BR exceeds it. Example (a 100 MeV X with c tau = 10 m)::

    >>> from darkreach.units import MeV, m
    >>> lim = kaon_pion_limit("na62-kpix-2016-2018", 100 * MeV, ctau=10 * m)
    >>> bool(lim[0] > kaon_pion_limit("na62-kpix-2016-2018", 100 * MeV)[0])
    True

Command line: ``darkreach kaon limit --card na62-kpix-2016-2022 --mass 100MeV --ctau 10m``.
Masses in MeV, lengths in mm (hepunits).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError

if TYPE_CHECKING:
    from darkreach.experiments.kaon.pion_invisible import KaonPionInvisible

__all__ = ["kaon_pion_experiment", "kaon_pion_limit"]


def kaon_pion_experiment(card: str | Path) -> KaonPionInvisible:
    """The :class:`~darkreach.experiments.kaon.pion_invisible.KaonPionInvisible` of ``card``
    (name or path); any other card type is a one-line error naming ``card``."""
    from darkreach.experiments.kaon.pion_invisible import KaonPionInvisible
    from darkreach.experiments.registry import available_cards, get_experiment

    exp = get_experiment(card)
    if not isinstance(exp, KaonPionInvisible):
        names = [c.name for c in available_cards() if c.type == "kaon-pion-invisible"]
        raise InvalidParameterError(
            "card", str(card), f"a kaon-pion-invisible card ({', '.join(names)} or a .toml path)"
        )
    return exp


def kaon_pion_limit(
    card: str | Path,
    masses: ArrayLike,
    ctau: ArrayLike = np.inf,
    invisible_fraction: ArrayLike = 0.0,
) -> FloatArray:
    """90 % CL (the card's CL) upper limit on BR(K+ -> pi+ X) at masses [MeV] inside the
    card's regions, for proper decay length ``ctau`` [mm] (>= 0; inf: stable) and invisible
    fraction ``invisible_fraction`` (0..1). inf where X can never escape (c tau = 0, visible).
    """
    return kaon_pion_experiment(card).branching_ratio_limit(masses, ctau, invisible_fraction)
