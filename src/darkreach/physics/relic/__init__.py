"""Thermal-relic targets for light dark matter (handbook relic.md).

- :mod:`.annihilation`: sigma v exact in s and its Gondolo-Gelmini thermal average;
- :mod:`.dof`: g_eff, h_eff, g*^{1/2} from the shipped Drees-Hajkarim-Schmitz table;
- :mod:`.boltzmann`: the freeze-out equation (vectorised BDF2) and Omega h^2;
- :mod:`.targets`: the coupling giving Omega h^2 = 0.12;
- :mod:`.yconventions`: the variable y in conventions (a), (b), (c) (default (b), see there);
- :mod:`.yplane`: reach curves in (m_chi, y), same convention as the targets.

>>> t = relic_targets([10.0], dm="dirac", check=False)
>>> bool(2e-6 < t.coupling[0] < 4e-6)
True
"""

from __future__ import annotations

from darkreach.physics.relic.targets import (
    RelicTargets,
    RelicWarning,
    omega_h2_at,
    relic_targets,
)
from darkreach.physics.relic.yconventions import (
    DEFAULT_Y_CONVENTION,
    Y_CONVENTIONS,
    coupling_from_y,
    y_axis_label,
    y_definition,
    y_from_coupling,
)
from darkreach.physics.relic.yplane import YPlaneCurve, reach_to_yplane

__all__ = [
    "DEFAULT_Y_CONVENTION",
    "Y_CONVENTIONS",
    "RelicTargets",
    "RelicWarning",
    "YPlaneCurve",
    "coupling_from_y",
    "omega_h2_at",
    "reach_to_yplane",
    "relic_targets",
    "y_axis_label",
    "y_definition",
    "y_from_coupling",
]
