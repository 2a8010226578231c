"""K+ -> l+ N with N escaping: a peak at m_miss^2 = m_N^2 (kaon_decays.md 7); coupling |U_l4|^2."""

from __future__ import annotations

import math
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from darkreach.array_types import FloatArray
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.detector_response import (
    SpectrometerResolution,
    mmiss2_resolution,
)
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import (
    ib_dbr_dm2miss,
)
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.results import ReachCurve
from darkreach.units import GeV
from darkreach.validate import masses_in_window

if TYPE_CHECKING:
    from darkreach.models.base import Model

from darkreach.experiments.kaon.common import curve, mass_grid, solve_coupling, unseen_fraction
from darkreach.experiments.kaon.schema import KaonHNLCard

GeV2 = GeV * GeV

# =========================================================================== HNL


class KaonHNL(CardExperiment[KaonHNLCard]):
    """K+ -> l+ N peak search in m_miss^2 (kaon_decays.md section 7); coupling |U_l4|^2."""

    def __init__(self, card: KaonHNLCard) -> None:
        super().__init__(card)
        self.supported_models = (f"hnl-{card.lepton}",)

    @cached_property
    def n_effective(self) -> float:
        return self.card.kaons.effective()

    @cached_property
    def spectrometer(self) -> SpectrometerResolution:
        return self.card.resolution.spectrometer()

    def mass_range(self) -> tuple[float, float]:
        """Open interval [MeV] of HNL masses with sensitivity: the searched range of the card
        (``selection.mass_min``, ``selection.mass_max``), by default (0, m_K - m_l)."""
        sel = self.card.selection
        low = sel.mass_min.quantity("energy", "selection.mass_min") if sel.mass_min else 0.0
        high = (
            sel.mass_max.quantity("energy", "selection.mass_max")
            if sel.mass_max
            else kaon.hnl_mass_max(self.card.lepton)
        )
        return low, high

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        top = kaon.hnl_mass_max(self.card.lepton)
        return masses_in_window(masses, 0.0, top, f"0 < m_N < m_K - m_l = {top:.2f} MeV")

    def window(self, masses: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(background in the m_miss^2 window, signal fraction, sigma(m_N^2) [MeV^2])."""
        w = self.card.selection.window_half_width.number()
        m2 = masses**2
        sig = mmiss2_resolution(m2, self.spectrometer)
        lo, hi = np.clip(m2 - w * sig, 1e-9, None), m2 + w * sig
        bkg = self.card.background
        b = bkg.flat_density.number() * (hi - lo) / GeV2
        if bkg.photon_veto_inefficiency is not None and self.card.lepton == "mu":
            inside = np.minimum(hi, kaon.m2miss_max())
            ib = np.where(
                lo < kaon.m2miss_max(),
                ib_window(lo, inside),
                0.0,
            )
            b = b + self.n_effective * bkg.photon_veto_inefficiency.number() * ib
        if bkg.kmu2_peak:
            sigma0 = float(mmiss2_resolution(np.array(0.0), self.spectrometer))
            b = b + self.n_effective * kaon.BR_K_MU2 * (ndtr(-lo / sigma0) - ndtr(-hi / sigma0))
        eff = np.full(masses.shape, math.erf(w / math.sqrt(2.0)))
        return np.asarray(b), eff, sig

    def signal_normalisation(self, masses: FloatArray) -> FloatArray:
        """N_K A(m_N) / prescale for the signal: ``signal_acceptance`` (a table in m_N) when the
        card has one, else the constant ``kaons.acceptance`` (then equal to ``n_effective``)."""
        table = self.card.signal_acceptance
        if table is None:
            return np.full(masses.shape, self.n_effective)
        kaons = self.card.kaons
        return kaons.n_decays() / kaons.prescale.number() * table(masses)

    def _check_model(self, model: Model) -> None:
        self.require_model(model)

    def _fraction_fn(self, model: Model, masses: FloatArray) -> Any:
        sel = self.card.selection
        length = sel.escape_length.quantity("length", "selection.escape_length")
        momentum = sel.n_momentum.quantity("energy", "selection.n_momentum")
        return lambda u2: unseen_fraction(model, masses, u2, length, momentum)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events in the window; ``coupling`` is |U_l4|^2."""
        self._check_model(model)
        m = self.check_masses(masses)
        u2 = np.broadcast_to(kaon._check_coupling(coupling, "mixing"), m.shape)
        _, eff, _ = self.window(m)
        unit = self.signal_normalisation(m) * kaon.hnl_branching_ratio(self.card.lepton, m, 1.0)
        unit = unit * eff
        return np.asarray(unit * u2 * self._fraction_fn(model, m)(u2))

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """|U_l4|^2 at the sensitivity threshold at each m_N [MeV] (NaN above m_K - m_l)."""
        self._check_model(model)
        m_all, inside = mass_grid(masses, *self.mass_range())
        m = m_all[inside]
        stats = self.card.statistics
        kappa = self.card.background.systematic.number()
        b, eff, _ = self.window(m)
        smin, label = stats.window_min_signal(b, kappa, cl, method, "peak window")
        unit = self.signal_normalisation(m) * kaon.hnl_branching_ratio(self.card.lepton, m, 1.0)
        unit = unit * eff
        coupling = solve_coupling(m, unit, smin, self._fraction_fn(model, m), coupling_power=1.0)
        notes = [
            f"N_K A / prescale = {self.n_effective:.3g}",
            "window +-w sigma(m_miss^2); N assumed to escape (lifetime from the model)",
        ]
        cl_out = stats.cl if cl is None else cl
        return curve(self, model, m_all, inside, coupling, cl_out, label, notes)


def ib_window(lo: FloatArray, hi: FloatArray, nodes: int = 8) -> FloatArray:
    """IB branching ratio with lo < m_miss^2 < hi (Gauss-Legendre; windows are narrow)."""
    edges = np.stack(np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float)), axis=-1)
    s, w = gauss_legendre_on_bins(edges, nodes)
    return np.asarray(np.sum(ib_dbr_dm2miss(s[..., 0, :]) * w[..., 0, :], axis=-1))
