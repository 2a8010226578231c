"""NA62 kaon-decay searches: K+ -> mu+ nu X (X invisible or X -> mu+ mu-) and K+ -> l+ N.

One module per concept (handbook kaon_decays.md 4-7, statistics.md 3-5, experiments.md 3):

* :mod:`~darkreach.experiments.kaon.schema`: the card sections of the three types;
* :mod:`~darkreach.experiments.kaon.common`: median expected limits, the mass grid, the
  unseen probability, the coupling solver and the reach-curve record;
* :mod:`~darkreach.experiments.kaon.invisible`: ``kaon-invisible`` (:class:`KaonInvisible`);
* :mod:`~darkreach.experiments.kaon.dimuon`: ``kaon-dimuon`` (:class:`KaonDimuon`);
* :mod:`~darkreach.experiments.kaon.hnl`: ``kaon-hnl`` (:class:`KaonHNL`);
* :mod:`~darkreach.experiments.kaon.pion_invisible`: ``kaon-pion-invisible``
  (K+ -> pi+ X, X escaping; card sections in ``pion_schema``, lab kinematics and escape
  probability in ``pion_escape``, the any-X limit API in ``generic_x``).
"""

from darkreach.experiments.kaon.dimuon import KaonDimuon
from darkreach.experiments.kaon.hnl import KaonHNL, ib_window
from darkreach.experiments.kaon.invisible import KaonInvisible
from darkreach.experiments.kaon.schema import (
    KaonDimuonCard,
    KaonHNLCard,
    KaonInvisibleCard,
    KaonSample,
    KaonStatistics,
)

__all__ = [
    "KaonDimuon",
    "KaonDimuonCard",
    "KaonHNL",
    "KaonHNLCard",
    "KaonInvisible",
    "KaonInvisibleCard",
    "KaonSample",
    "KaonStatistics",
    "ib_window",
]
