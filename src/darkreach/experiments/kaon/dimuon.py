"""K+ -> mu+ nu X, X -> mu+ mu-: sliding-window bump hunt in the di-muon mass (kaon_decays.md 6)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_mu
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.detector_response import (
    dimuon_mass_resolution,
)
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import (
    dimuon_background_density,
)
from darkreach.results import ReachCurve
from darkreach.stats import (
    sliding_window_bump_hunt,
)
from darkreach.units import GeV
from darkreach.validate import masses_in_window

if TYPE_CHECKING:
    from darkreach.models.base import Model

from darkreach.experiments.kaon.common import curve, mass_grid, solve_coupling
from darkreach.experiments.kaon.schema import KaonDimuonCard

GeV2 = GeV * GeV

# =========================================================================== di-muon


class KaonDimuon(CardExperiment[KaonDimuonCard]):
    """Sliding-window bump hunt in the di-muon mass of K+ -> mu+ nu mu+ mu- (section 6)."""

    supported_models = ("lmu-ltau", "lmu-ltau-dm", "scalar")

    @cached_property
    def n_effective(self) -> float:
        """N_K A = N_bkg / BR_SM (signal and background acceptance taken equal)."""
        smp = self.card.sample
        return smp.background_events.number() / smp.background_branching_ratio.number()

    def mass_range(self) -> tuple[float, float]:
        """Open interval (2 m_mu, m_K - m_mu) [MeV] of X masses with sensitivity."""
        return 2.0 * m_mu, m_K_charged - m_mu

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        lo, hi = 2.0 * m_mu, m_K_charged - m_mu
        allowed = f"2 m_mu = {lo:.2f} < m < m_K - m_mu = {hi:.2f} MeV"
        m = masses_in_window(masses, lo, hi, allowed)
        return m

    def sigma(self, masses: FloatArray) -> FloatArray:
        res = self.card.resolution
        p = res.muon_momentum.quantity("energy", "resolution.muon_momentum")
        return dimuon_mass_resolution(
            masses,
            p,
            p,
            res.muon_resolution_constant.number(),
            res.muon_resolution_slope.number() / GeV,
        )

    def window(self, masses: FloatArray) -> tuple[FloatArray, FloatArray, float]:
        """(background in the window, signal fraction in the window, half-width w in sigma).

        :func:`darkreach.stats.sliding_window_bump_hunt` with the background density
        N_bkg x pairs x the normalised di-muon mass density (shape: an assumption).
        """
        w = self.card.selection.window_half_width.number()
        bkg = self.card.background
        norm = self.card.sample.background_events.number() * bkg.pairs_per_event

        def density(x: FloatArray) -> FloatArray:
            return norm * dimuon_background_density(x, bkg.shape)

        win = sliding_window_bump_hunt(masses, self.sigma(masses), density, half_width=w)
        return (
            np.asarray(win.background, dtype=np.float64),
            np.asarray(win.signal_fraction, dtype=np.float64),
            w,
        )

    def _check_model(self, model: Model) -> kaon.Shape:
        self.require_model(model)
        return kaon.shape_for_model(model)

    def _mumu_fraction(self, model: Model, masses: FloatArray) -> Any:
        def fraction(g: FloatArray) -> FloatArray:
            ratios = model.branching_ratios(masses, g)
            br = ratios.get("mu mu", np.zeros(masses.shape))
            return np.nan_to_num(np.asarray(br, dtype=np.float64))

        return fraction

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events in the mass window at each mass [MeV] and coupling."""
        shape = self._check_model(model)
        m = self.check_masses(masses)
        g = np.broadcast_to(kaon._check_coupling(coupling), m.shape)
        _, eff, _ = self.window(m)
        unit = self.n_effective * kaon.branching_ratio(shape, m) * eff
        return np.asarray(unit * g**2 * self._mumu_fraction(model, m)(g))

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Coupling at the sensitivity threshold of the sliding-window bump hunt.

        Masses outside (2 m_mu, m_K - m_mu) give NaN.
        """
        shape = self._check_model(model)
        m_all, inside = mass_grid(masses, *self.mass_range())
        m = m_all[inside]
        stats = self.card.statistics
        kappa = self.card.background.systematic.number()
        b, eff, w = self.window(m)
        smin, label = stats.window_min_signal(b, kappa, cl, method, "bump hunt")
        unit = self.n_effective * kaon.branching_ratio(shape, m) * eff
        coupling = solve_coupling(m, unit, smin, self._mumu_fraction(model, m))
        notes = [
            f"window +-{w:g} sigma_m, N_K A = {self.n_effective:.3g}",
            f"background shape {self.card.background.shape} (assumption), kappa = {kappa:g}",
            "X -> mu mu assumed prompt; no look-elsewhere correction",
        ]
        cl_out = stats.cl if cl is None else cl
        return curve(self, model, m_all, inside, coupling, cl_out, label, notes)
