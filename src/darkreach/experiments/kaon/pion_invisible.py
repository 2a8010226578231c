"""K+ -> pi+ X with X escaping the detector: ``kaon-pion-invisible`` (:class:`KaonPionInvisible`).

Handbook kaon_decays.md section 8, bounds_and_new_channels.md 2.1-2.6. The published NA62
limits are model independent: an upper limit BR_lim(m_X) on BR(K+ -> pi+ X) for an X that
escapes with certainty, in mass regions (R1: 0-110 MeV and R2: 154-260 MeV over
K+ -> pi+ nu nubar; the pi0 window 110-155 MeV over K+ -> pi+ pi0, pi0 -> invisible). For an X
that can decay visibly, the signal is reduced by the probability that it is not seen::

    N_sig(m, g) = N_K A(m) BR(K+ -> pi+ X; m, g) P_unseen(m, g)
    P_unseen    = BR_inv + (1 - BR_inv) < exp(-L m / (|p_X| c tau)) >

with N_K A(m) = S_up / BR_lim(m) (S_up the card's ``statistics.signal_limit``: the published
limit tables fix only the product, so the card stores BR_lim, not N_K A), L the effective
escape length of the region and the average over the decays whose pi+ passes the momentum
window (:mod:`~darkreach.experiments.kaon.pion_escape`). A point (m, g) is excluded when
N_sig >= S_up, i.e. ``BR P_unseen >= BR_lim(m)``: the lower edge where the rate is large
enough, an upper edge (``coupling_upper``) where X decays inside the detector.

Model-independent entry points (bring any X): :meth:`KaonPionInvisible.branching_ratio_limit`
(mass and proper decay length c tau, optionally an invisible fraction) and
:func:`darkreach.experiments.kaon.generic_x.kaon_pion_limit`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.kaon.common import curve
from darkreach.experiments.kaon.pion_escape import LabKinematics, escape_probability
from darkreach.experiments.kaon.pion_schema import KaonPionInvisibleCard
from darkreach.physics.decay import survival_probability
from darkreach.production import kaon_to_pion
from darkreach.results import ReachCurve
from darkreach.solve import coupling_edges
from darkreach.units import GeV, MeV
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = ["PRODUCTION", "KaonPionInvisible", "KaonPionInvisibleCard"]

#: model name -> (BR(K+ -> pi+ X) at unit model coupling, power p of the coupling in the BR,
#: largest coupling): dark-scalar BR = 1.73e-3 sin^2 theta (2 p/m_K) (p = 1, sin^2 theta < 1);
#: alp-gluon BR ~ 0.8 (c_GG/Lambda x GeV)^2 (p = 2, c_GG/Lambda <= 1/GeV)
PRODUCTION: dict[str, tuple[Callable[[FloatArray], FloatArray], float, float]] = {
    "dark-scalar": (lambda m: kaon_to_pion.br_k_to_pi_scalar(m, 1.0), 1.0, 1.0 - 1e-9),
    "alp-gluon": (lambda m: kaon_to_pion.br_k_to_pi_alp(m, 1.0 / GeV), 2.0, 1.0),
    # the same ALP decaying to gamma gamma (kaon-pion-visible): escapes only if long lived
    "alp-gluon-visible": (lambda m: kaon_to_pion.br_k_to_pi_alp(m, 1.0 / GeV), 2.0, 1.0),
}


def check_coupling(model_name: str, coupling: ArrayLike, shape: tuple[int, ...]) -> FloatArray:
    """The coupling broadcast to ``shape``; one-line error outside [0, the model's largest]
    (sin^2 theta < 1 for the dark scalar). Shared by the K+ -> pi+ X experiment types."""
    c = np.broadcast_to(np.asarray(coupling, dtype=np.float64), shape)
    top = PRODUCTION[model_name][2]
    bad = ~(np.isfinite(c) & (c >= 0.0) & (c <= top))
    if np.any(bad):
        allowed = (
            "0 <= sin^2 theta < 1 (theta < 1)"
            if model_name == "dark-scalar"
            else f"0 <= coupling <= {top:g}"
        )
        raise InvalidParameterError("coupling", f"{float(c[bad][0]):g}", allowed)
    return np.asarray(c)


class KaonPionInvisible(CardExperiment[KaonPionInvisibleCard]):
    """K+ -> pi+ X, X escaping, bound to one card (module docstring).

    >>> from darkreach.experiments.registry import get_experiment
    >>> exp = get_experiment("na62-kpix-2016-2018")
    >>> exp.region_text()
    'R1: 0-110 MeV, pi0: 110-155 MeV, R2: 154-260 MeV'
    """

    supported_models = tuple(PRODUCTION)

    @cached_property
    def kinematics(self) -> LabKinematics:
        """Beam momentum and pi+ window in hepunits."""
        return self.card.kinematics.lab()

    @cached_property
    def regions(self) -> list[tuple[str, float, float, float]]:
        """(name, m_min, m_max [MeV], escape length [mm]) of each region."""
        out = []
        for r in self.card.regions:
            lo, hi = r.bounds()
            length = r.escape_length.quantity("length", f"regions.{r.name}.escape_length")
            out.append((r.name, lo, hi, length))
        return out

    def region_text(self) -> str:
        """The allowed regions as text, e.g. ``R1: 0-110 MeV, R2: 154-260 MeV``."""
        return ", ".join(f"{n}: {lo / MeV:g}-{hi / MeV:g} MeV" for n, lo, hi, _ in self.regions)

    def mass_range(self) -> tuple[float, float]:
        """Open kinematic range (0, m_K - m_pi) [MeV]: overlay grids may span it (NaN
        outside the regions); :meth:`default_masses` stays inside the regions."""
        return 0.0, kaon_to_pion.mass_max()

    def default_masses(self, points: int = 200) -> FloatArray:
        """A mass grid [MeV] inside the regions only (points shared in proportion to width;
        log-spaced from 1 MeV in a region starting at 0)."""
        widths = np.array([hi - lo for _, lo, hi, _ in self.regions])
        parts = []
        for (_, lo, hi, _), w in zip(self.regions, widths, strict=True):
            n = max(2, round(points * w / widths.sum()))
            low, high = max(lo, 1.0 * MeV) * (1.0 + 1e-9), hi * (1.0 - 1e-9)
            grid = np.geomspace(low, high, n) if lo == 0.0 else np.linspace(low, high, n)
            parts.append(grid)
        return np.unique(np.concatenate(parts))

    def inside(self, masses: FloatArray) -> NDArray[np.bool_]:
        """[n_region, n_mass] mask of the masses inside each region (edges included)."""
        return np.array([(masses >= lo) & (masses <= hi) for _, lo, hi, _ in self.regions])

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Masses [MeV] as a 1-d array, each inside one of the card's regions, else a
        one-line error naming ``mass`` and the regions."""
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        if m.ndim != 1:
            raise InvalidParameterError("masses", m.shape, "a 1-d array of masses")
        ok = np.isfinite(m) & np.any(self.inside(m), axis=0)
        if not np.all(ok):
            bad = float(m[~ok][0])
            raise InvalidParameterError(
                "mass", f"{bad / MeV:g} MeV", f"{self.region_text()} (card {self.name})"
            )
        return m

    # ------------------------------------------------------------------ model independent
    def _per_region(self, masses: FloatArray, escape: Callable[[float], FloatArray]) -> FloatArray:
        """min over the regions containing each mass of BR_lim(m) / P(m; L_region)."""
        best = np.full(masses.shape, np.inf)
        for (_, _, _, length), table, mask in zip(
            self.regions, self.card.regions, self.inside(masses), strict=True
        ):
            if not np.any(mask):
                continue
            with np.errstate(divide="ignore"):
                limit = table.br_limit(masses) / escape(length)
            best = np.where(mask, np.minimum(best, limit), best)
        return best

    def stable_limit(self, masses: ArrayLike) -> FloatArray:
        """BR(K+ -> pi+ X) upper limit for an X that always escapes (the card's tables)."""
        m = self.check_masses(masses)
        return self._per_region(m, lambda _length: np.ones(m.shape))

    def branching_ratio_limit(
        self, masses: ArrayLike, ctau: ArrayLike = np.inf, invisible_fraction: ArrayLike = 0.0
    ) -> FloatArray:
        """Upper limit on BR(K+ -> pi+ X) for X of mass m [MeV] and proper decay length
        ``ctau`` [mm] (inf: stable), decaying invisibly with probability
        ``invisible_fraction``: ``BR_lim(m) / P_unseen`` (inf where X never escapes)."""
        m = self.check_masses(masses)
        ct = np.broadcast_to(np.asarray(ctau, dtype=np.float64), m.shape)
        br_inv = np.broadcast_to(np.asarray(invisible_fraction, dtype=np.float64), m.shape)
        if np.any(~np.isfinite(br_inv) | (br_inv < 0.0) | (br_inv > 1.0)):
            bad = float(br_inv[~((br_inv >= 0.0) & (br_inv <= 1.0))][0])
            raise InvalidParameterError("invisible_fraction", bad, "0 <= BR_inv <= 1")

        def unseen(length: float) -> FloatArray:
            p = escape_probability(self.kinematics, m, ct, length)
            return np.asarray(br_inv + (1.0 - br_inv) * p)

        return self._per_region(m, unseen)

    # ------------------------------------------------------------------ model side
    def _unit_br(self, model: Model, masses: FloatArray) -> FloatArray:
        self.require_model(model)
        return np.asarray(PRODUCTION[model.name][0](masses), dtype=np.float64)

    def _geometry(self, masses: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(|p_X| [n, NODES], weights [n, NODES], escape length of the first region holding
        each mass [n])."""
        p_x, weight = self.kinematics.lab_momenta(masses)
        lengths = np.full(masses.shape, np.nan)
        for (_, _, _, length), mask in zip(self.regions, self.inside(masses), strict=True):
            lengths = np.where(np.isnan(lengths) & mask, length, lengths)
        return p_x, weight, lengths

    def unseen_fraction(
        self,
        model: Model,
        masses: FloatArray,
        coupling: FloatArray,
        geometry: tuple[FloatArray, FloatArray, FloatArray] | None = None,
    ) -> FloatArray:
        """P_unseen of the model's X at each (mass, coupling) in the first region containing
        the mass: BR_inv + (1 - BR_inv) <exp(-L / lambda(p_X))>, lambda from
        ``model.decay_length`` at the lab momenta of X (``geometry``: :meth:`_geometry` of
        ``masses``, precomputed by the caller)."""
        p_x, weight, lengths = self._geometry(masses) if geometry is None else geometry
        # c tau = decay length at p = m (one model call per point), boosted by |p_X| / m
        ctau = np.asarray(model.decay_length(masses, coupling, masses), dtype=np.float64)
        lam = ctau[:, None] * p_x / masses[:, None]
        escape = np.sum(weight * survival_probability(lengths[:, None], lam), axis=1)
        br_inv = np.nan_to_num(
            np.asarray(model.invisible_fraction(masses, coupling), dtype=np.float64), nan=1.0
        )
        return np.asarray(br_inv + (1.0 - br_inv) * escape)

    def _check_coupling(
        self, model: Model, coupling: ArrayLike, shape: tuple[int, ...]
    ) -> FloatArray:
        return check_coupling(model.name, coupling, shape)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events S_up BR P_unseen / BR_lim(m) (module docstring) at masses [MeV]
        inside the regions and couplings (sin^2 theta for ``dark-scalar``, < 1)."""
        unit = self._unit_br(model, np.atleast_1d(np.asarray(masses, dtype=np.float64)))
        m = self.check_masses(masses)
        c = self._check_coupling(model, coupling, m.shape)
        s_up = self.card.statistics.signal_limit
        power = PRODUCTION[model.name][1]
        rate = unit * c**power * self.unseen_fraction(model, m, c)
        return np.asarray(s_up * rate / self.stable_limit(m))

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Excluded coupling interval at each mass [MeV]: lower edge and, where X decays
        inside the detector, the upper edge (``coupling_upper``). NaN outside the regions
        (an overlay grid); a grid with no mass inside any region is an error.

        ``cl``/``method``: the published tables are 90 % CL limits; only the card's CL is
        accepted and ``method`` is ignored (the limit method is the collaboration's).
        """
        if cl is not None and check_cl(cl) != self.card.statistics.cl:
            raise InvalidParameterError(
                "cl", cl, f"{self.card.statistics.cl:g} (the CL of the published tables)"
            )
        m_all = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        if m_all.ndim != 1:
            raise InvalidParameterError("masses", m_all.shape, "a 1-d array of masses")
        inside = np.isfinite(m_all) & np.any(self.inside(m_all), axis=0)
        if not np.any(inside):
            self.check_masses(m_all)  # raises, naming the first mass and the regions
        m = m_all[inside]
        unit = self._unit_br(model, m)
        s_up = self.card.statistics.signal_limit
        n1 = s_up * unit / self.stable_limit(m)  # events per unit coupling, X escaping

        p_x, weight, lengths = self._geometry(m)

        _, power, top = PRODUCTION[model.name]

        # coupling_edges solves g^2 N_1 P(g) = S_up; the model coupling c = g^(2/p)
        def probability(g: FloatArray, idx: NDArray[np.intp]) -> FloatArray:
            geometry = (p_x[idx], weight[idx], lengths[idx])
            c = np.asarray(g) ** (2.0 / power)
            return self.unseen_fraction(model, m[idx], c, geometry)

        g_max = float(top ** (power / 2.0))
        low, high = coupling_edges(n1, probability, s_up, g_max=g_max)
        lower, upper = low ** (2.0 / power), high ** (2.0 / power)
        full_up = np.full(m_all.shape, np.nan)
        full_up[inside] = upper
        notes = [
            f"regions {self.region_text()}",
            "published 90 % CL BR limits for an escaping X, divided by P_unseen of the model "
            "at the X lab momenta (pi+ window) and the card's escape lengths",
        ]
        out = curve(self, model, m_all, inside, lower, self.card.statistics.cl, "published", notes)
        from dataclasses import replace

        return replace(out, coupling_upper=full_up if np.any(np.isfinite(upper)) else None)
