"""K+ -> pi+ X, X -> f visible, prompt or displaced: ``kaon-pion-visible`` (KaonPionVisible).

Handbook kaon_decays.md 8, bounds_and_new_channels.md 2.1 and 2.5. NA62 publishes upper limits
on BR(K+ -> pi+ X) BR(X -> f) for f = gamma gamma (arXiv:2311.01837, prompt ALP search in
K+ -> pi+ gamma gamma) and f = mu mu (K+ -> pi+ mu+ mu-, JHEP 11 (2022) 011; reinterpreted in
JHEP 11 (2025) 143) as a function of m_X and of the X lifetime. A card stores the limit for an
X that decays at once (``BR_lim(m)``) and an effective decay region [L_1, L_2] (lab distance of
the X decay from the kaon decay); for an X of proper decay length c tau::

    N_sig(m, g) = N_K A(m) BR(K+ -> pi+ X; m, g) BR(X -> f; m, g) P_in(m, c tau)
    P_in        = < exp(-L_1 m / (|p_X| c tau)) - exp(-L_2 m / (|p_X| c tau)) >

averaged over the decays whose pi+ passes the momentum window
(:mod:`~darkreach.experiments.kaon.pion_escape`), N_K A(m) = S_up / BR_lim(m) (the tables fix
only the product). L_2 may depend on m_X (the card's ``decay_end_table``: the NA62 grids are
described by one prompt window only with a mass-dependent effective length, which absorbs the
acceptance for displaced vertices). Prompt search: L_1 = 0, so P_in -> 1 for c tau -> 0 and
P_in ~ L_2 m / (p c tau) for a long-lived X. Displaced search: L_1 > 0, P_in -> 0 both ways.

**Edges in the coupling.** The production rate grows like g^2 and c tau falls like 1/g^2.

* Prompt: N_sig = N_1 g^2 P_in(g) rises monotonically (P_in rises with g), so only a
  **lower edge** exists; where X is long lived there, N_sig ~ g^4 L_2 / lambda and the edge
  scales as (BR_lim / L_2)^(1/4), not (BR_lim)^(1/2). No upper edge: a shorter lifetime only
  makes the decay more prompt (the upper reach is the model's validity, not the search's).
* Displaced (L_1 > 0): a lower edge where X is long lived and an **upper edge** where X decays
  before L_1 (exp(-L_1/lambda) kills the yield).

Model-independent entry point: :meth:`KaonPionVisible.branching_ratio_limit` (m, c tau and the
branching fraction into the card's final state). Masses in MeV, lengths in mm (hepunits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.kaon.common import curve
from darkreach.experiments.kaon.pion_escape import LabKinematics
from darkreach.experiments.kaon.pion_invisible import PRODUCTION as ALL_PRODUCTION
from darkreach.experiments.kaon.pion_invisible import check_coupling
from darkreach.experiments.kaon.pion_visible_schema import KaonPionVisibleCard
from darkreach.physics.decay import decay_in_volume_probability
from darkreach.production import kaon_to_pion
from darkreach.results import ReachCurve
from darkreach.solve import coupling_edges
from darkreach.units import MeV
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = ["PRODUCTION", "KaonPionVisible", "KaonPionVisibleCard", "decay_probability"]

#: model name -> (BR(K+ -> pi+ X) at unit model coupling, power p of the coupling in the BR,
#: largest coupling): as in ``kaon-pion-invisible`` (dark-scalar: sin^2 theta < 1;
#: alp-gluon-visible: c_GG/Lambda in 1/GeV, BR ~ 0.8 (c_GG/Lambda x GeV)^2)
PRODUCTION: dict[str, tuple[Callable[[FloatArray], FloatArray], float, float]] = {
    name: ALL_PRODUCTION[name] for name in ("dark-scalar", "alp-gluon-visible")
}


def _check_ctau(ctau: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    ct = np.broadcast_to(np.asarray(ctau, dtype=np.float64), shape)
    bad = np.isnan(ct) | (ct < 0.0)
    if np.any(bad):
        raise InvalidParameterError("ctau", f"{float(ct[bad][0]):g} mm", ">= 0 mm (0: prompt)")
    return np.asarray(ct)


def decay_probability(
    kinematics: LabKinematics, masses: ArrayLike, ctau: ArrayLike, start: float, end: ArrayLike
) -> FloatArray:
    """P(X decays between ``start`` and ``end`` [mm] from the kaon decay) for proper decay
    length ``ctau`` [mm] (>= 0, broadcast with ``masses`` [MeV]; 0 decays at once, inf never),
    averaged over the decays passing the pi+ window (module docstring); ``end`` may be one
    length per mass.

    >>> kin = LabKinematics(75e3, 15e3, 35e3)
    >>> float(decay_probability(kin, 250.0, 0.0, 0.0, 1e3)[0])
    1.0
    """
    m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    ct = _check_ctau(ctau, m.shape)
    p_x, weight = kinematics.lab_momenta(m)
    lam = ct[:, None] * p_x / m[:, None]
    stop = np.broadcast_to(np.asarray(end, dtype=np.float64), m.shape)[:, None]
    inside = decay_in_volume_probability(start, stop, lam)
    return np.asarray(np.sum(weight * inside, axis=1))


class KaonPionVisible(CardExperiment[KaonPionVisibleCard]):
    """K+ -> pi+ X, X -> f, bound to one card (module docstring).

    >>> from darkreach.experiments.registry import get_experiment
    >>> get_experiment("na62-kpigg-prompt").final_state
    'gamma gamma'
    """

    supported_models = tuple(PRODUCTION)

    @cached_property
    def kinematics(self) -> LabKinematics:
        """Beam momentum and pi+ window in hepunits."""
        return self.card.kinematics.lab()

    @property
    def final_state(self) -> str:
        """The X final state of the card (a model channel key)."""
        return self.card.region.final_state

    @cached_property
    def lengths(self) -> tuple[float, float]:
        """(decay_start, decay_end) [mm] (decay_end: the card's scalar value)."""
        return self.card.region.lengths()

    def decay_end(self, masses: FloatArray) -> FloatArray:
        """decay_end [mm] at each mass: the card's ``decay_end_table`` if any, else decay_end."""
        table = self.card.region.decay_end_table
        if table is None:
            return np.full(masses.shape, self.lengths[1])
        return table(masses)

    def mass_range(self) -> tuple[float, float]:
        """Open kinematic range (0, m_K - m_pi) [MeV] (NaN outside the card's region)."""
        return 0.0, kaon_to_pion.mass_max()

    def region_text(self) -> str:
        """``name: lo-hi MeV``."""
        lo, hi = self.card.region.bounds()
        return f"{self.card.region.name}: {lo / MeV:g}-{hi / MeV:g} MeV"

    def default_masses(self, points: int = 200) -> FloatArray:
        """A linear mass grid [MeV] inside the region."""
        lo, hi = self.card.region.bounds()
        return np.linspace(lo * (1.0 + 1e-9), hi * (1.0 - 1e-9), max(points, 2))

    def inside(self, masses: FloatArray) -> NDArray[np.bool_]:
        """Mask of the masses inside the region (edges included)."""
        lo, hi = self.card.region.bounds()
        return np.asarray(np.isfinite(masses) & (masses >= lo) & (masses <= hi))

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Masses [MeV] as a 1-d array inside the region, else a one-line error."""
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        if m.ndim != 1:
            raise InvalidParameterError("masses", m.shape, "a 1-d array of masses")
        ok = self.inside(m)
        if not np.all(ok):
            raise InvalidParameterError(
                "mass",
                f"{float(m[~ok][0]) / MeV:g} MeV",
                f"{self.region_text()} (card {self.name})",
            )
        return m

    # ------------------------------------------------------------------ model independent
    def prompt_limit(self, masses: ArrayLike) -> FloatArray:
        """The card's BR(K+ -> pi+ X) BR(X -> f) limit for c tau = 0 (P_in = 1)."""
        return self.card.region.br_limit(self.check_masses(masses))

    def branching_ratio_limit(
        self, masses: ArrayLike, ctau: ArrayLike = 0.0, final_fraction: ArrayLike = 1.0
    ) -> FloatArray:
        """Upper limit on BR(K+ -> pi+ X) for X of mass m [MeV], proper decay length ``ctau``
        [mm] (>= 0) and BR(X -> f) = ``final_fraction`` (0 < . <= 1): BR_lim / (BR_f P_in)
        (inf where X never decays inside the region)."""
        m = self.check_masses(masses)
        frac = np.broadcast_to(np.asarray(final_fraction, dtype=np.float64), m.shape)
        bad = ~(np.isfinite(frac) & (frac > 0.0) & (frac <= 1.0))
        if np.any(bad):
            raise InvalidParameterError("final_fraction", float(frac[bad][0]), "0 < BR_f <= 1")
        p_in = decay_probability(self.kinematics, m, ctau, self.lengths[0], self.decay_end(m))
        with np.errstate(divide="ignore"):
            return np.asarray(self.card.region.br_limit(m) / (frac * p_in))

    # ------------------------------------------------------------------ model side
    def _unit_br(self, model: Model, masses: FloatArray) -> FloatArray:
        self.require_model(model)
        return np.asarray(PRODUCTION[model.name][0](masses), dtype=np.float64)

    def seen_fraction(
        self,
        model: Model,
        masses: FloatArray,
        coupling: FloatArray,
        geometry: tuple[FloatArray, FloatArray] | None = None,
    ) -> FloatArray:
        """BR(X -> f) P_in of the model's X at each (mass, coupling); ``geometry`` = the
        (|p_X|, weight) of :meth:`LabKinematics.lab_momenta` at ``masses`` (precomputed)."""
        p_x, weight = self.kinematics.lab_momenta(masses) if geometry is None else geometry
        ctau = np.asarray(model.decay_length(masses, coupling, masses), dtype=np.float64)
        lam = ctau[:, None] * p_x / masses[:, None]
        start, end = self.lengths[0], self.decay_end(masses)[:, None]
        p_in = np.sum(weight * decay_in_volume_probability(start, end, lam), 1)
        ratios = model.branching_ratios(masses, coupling)
        br_f = ratios.get(self.final_state, np.zeros(masses.shape))
        return np.asarray(np.nan_to_num(np.asarray(br_f, dtype=np.float64)) * p_in)

    def _check_coupling(
        self, model: Model, coupling: ArrayLike, shape: tuple[int, ...]
    ) -> FloatArray:
        return check_coupling(model.name, coupling, shape)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events S_up BR BR_f P_in / BR_lim(m) at masses [MeV] inside the region."""
        m = self.check_masses(masses)
        unit = self._unit_br(model, m)
        c = self._check_coupling(model, coupling, m.shape)
        power = PRODUCTION[model.name][1]
        rate = unit * c**power * self.seen_fraction(model, m, c)
        return np.asarray(self.card.statistics.signal_limit * rate / self.prompt_limit(m))

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Excluded coupling interval at each mass [MeV]: the lower edge and, for a displaced
        region, the upper edge (``coupling_upper``); NaN outside the region. Only the card's
        CL is accepted (``method`` is ignored: the limits are the collaboration's)."""
        if cl is not None and check_cl(cl) != self.card.statistics.cl:
            raise InvalidParameterError(
                "cl", cl, f"{self.card.statistics.cl:g} (the CL of the published tables)"
            )
        m_all = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        if m_all.ndim != 1:
            raise InvalidParameterError("masses", m_all.shape, "a 1-d array of masses")
        inside = self.inside(m_all)
        if not np.any(inside):
            self.check_masses(m_all)  # raises, naming the first mass and the region
        m = m_all[inside]
        s_up = self.card.statistics.signal_limit
        n1 = s_up * self._unit_br(model, m) / self.card.region.br_limit(m)
        p_x, weight = self.kinematics.lab_momenta(m)
        _, power, top = PRODUCTION[model.name]

        def probability(g: FloatArray, idx: NDArray[np.intp]) -> FloatArray:
            c = np.asarray(g) ** (2.0 / power)
            return self.seen_fraction(model, m[idx], c, (p_x[idx], weight[idx]))

        low, high = coupling_edges(n1, probability, s_up, g_max=float(top ** (power / 2.0)))
        lower, upper = low ** (2.0 / power), high ** (2.0 / power)
        full_up = np.full(m_all.shape, np.nan)
        full_up[inside] = upper
        start, end = self.lengths[0], float(np.max(self.decay_end(m)))
        notes = [
            f"region {self.region_text()}, X -> {self.final_state}",
            f"published {self.card.statistics.cl:.0%} CL prompt BR limits divided by "
            f"BR(X -> f) P(decay in {start / 1e3:g}-{end / 1e3:g} m) of the model",
        ]
        out = curve(self, model, m_all, inside, lower, self.card.statistics.cl, "published", notes)
        return replace(out, coupling_upper=full_up if np.any(np.isfinite(upper)) else None)
