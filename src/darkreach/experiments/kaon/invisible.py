"""NA62 K+ -> mu+ nu X with X invisible (kaon-invisible); the package docstring lists the others.

Three experiment types (handbook kaon_decays.md sections 4-7, statistics.md sections 3-5,
experiments.md section 3):

``kaon-invisible`` (:class:`KaonInvisible`)
    X invisible (or decaying beyond the detector): a distortion of the m_miss^2 spectrum at
    large m_miss^2. Signal S(m, g) = N_eff int_{cut} dm2 [dBR(K -> mu nu X)/dm2 (x) R] P_unseen,
    background B = N_eff [BR_IB(m2) x eps_veto x f_GTK (x) R + BR(K_mu2) peak (x) R], where
    N_eff = N_K A / prescale, R the Gaussian m_miss^2 resolution (detector_response) and (x)
    a convolution. The lower cut on the reconstructed m_miss^2 is optimised per mass for the
    cut-and-count criterion S / sqrt(B + kappa^2 B^2) = Z ([T1]); the binned Asimov likelihood
    Lambda(S) = 4 ([T1]) uses all bins above the smallest allowed cut.
``kaon-dimuon`` (:class:`KaonDimuon`)
    X -> mu+ mu-: a bump in the opposite-sign di-muon mass over K+ -> mu+ nu mu+ mu-. Sliding
    window of half-width w sigma_m(m) at each mass; S = N_eff BR(K -> mu nu X) BR(X -> mu mu)
    erf(w/sqrt 2), B = N_bkg n_pairs [F(m + w sigma) - F(m - w sigma)].
``kaon-hnl`` (:class:`KaonHNL`)
    K+ -> l+ N with N escaping: a peak at m_miss^2 = m_N^2 in a window of +- w sigma(m_N^2).

Speed: the true m_miss^2 spectrum is evaluated at fixed Gauss-Legendre nodes shared by all
masses (closed-form t integral, :mod:`darkreach.production.kaon`); smearing and the sum above
every candidate cut are one matrix product with a survival matrix computed once per card.

Statistics: :func:`darkreach.stats.cut_and_count_min_signal`,
:func:`darkreach.stats.binned_likelihood_min_signal` (Asimov data, optional correlated kappa) and
:func:`darkreach.stats.sliding_window_bump_hunt`, all vectorised over masses.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.detector_response import (
    SpectrometerResolution,
    gaussian_bin_matrix,
    gaussian_survival_matrix,
    mmiss2_resolution,
)
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import (
    ib_dbr_dm2miss,
)
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.results import ReachCurve
from darkreach.stats import (
    binned_likelihood_min_signal,
    cut_and_count_min_signal,
)
from darkreach.units import GeV
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.models.base import Model

from darkreach.experiments.kaon.common import curve, mass_grid, solve_coupling, unseen_fraction
from darkreach.experiments.kaon.schema import KaonInvisibleCard, sensitivity_z

GeV2 = GeV * GeV

# =========================================================================== invisible


class KaonInvisible(CardExperiment[KaonInvisibleCard]):
    """K+ -> mu+ nu X with X invisible, bound to one card (see module docstring).

    >>> from darkreach.experiments.registry import get_experiment
    >>> exp = get_experiment("na62-ultimate")
    >>> f"{exp.n_effective:.3g}"
    '3.5e+12'
    """

    supported_models = ("lmu-ltau", "lmu-ltau-dm", "scalar")
    #: Gauss-Legendre points per true m_miss^2 bin
    NODES_PER_BIN = 3

    #: cached tables that depend on the resolution and selection only, not on the background
    #: level; shared by :meth:`with_photon_veto_inefficiency`
    _LEVEL_FREE_TABLES = (
        "spectrometer",
        "cuts",
        "true_nodes",
        "survival",
        "likelihood_edges",
        "bin_matrix",
    )

    def with_photon_veto_inefficiency(self, value: float) -> KaonInvisible:
        """This experiment with ``background.photon_veto_inefficiency = value`` (same source
        and status), sharing the resolution tables already computed (calibration fits)."""
        if not (math.isfinite(value) and value > 0):
            raise InvalidParameterError("photon_veto_inefficiency", value, "finite and > 0")
        bkg = self.card.background
        veto = bkg.photon_veto_inefficiency.model_copy(update={"value": float(value)})
        card = self.card.model_copy(
            update={"background": bkg.model_copy(update={"photon_veto_inefficiency": veto})}
        )
        new = KaonInvisible(card)
        for name in self._LEVEL_FREE_TABLES:
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name]
        return new

    # ------------------------------------------------------------------ fixed tables
    @cached_property
    def n_effective(self) -> float:
        """N_eff = N_K A / prescale."""
        return self.card.kaons.effective()

    @cached_property
    def spectrometer(self) -> SpectrometerResolution:
        return self.card.resolution.spectrometer()

    @cached_property
    def cuts(self) -> FloatArray:
        """Candidate lower cuts on the reconstructed m_miss^2 [MeV^2]."""
        sel = self.card.selection
        lo = sel.cut_min.quantity("energy2", "selection.cut_min")
        hi = (
            sel.cut_max.quantity("energy2", "selection.cut_max")
            if sel.cut_max is not None
            else kaon.m2miss_max()
        )
        step = sel.bin_width.quantity("energy2", "selection.bin_width")
        n = max(2, math.ceil((hi - lo) / step) + 1)
        return np.linspace(lo, hi, n)

    @cached_property
    def true_nodes(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """True m_miss^2 nodes, weights and resolutions sigma(s) [MeV^2].

        Nodes cover [max(cut_min - 8 sigma, cut_min/10), (m_K - m_mu)^2]; the spectrum below
        is more than ~7 sigma from any cut and is dropped.
        """
        lo_cut = float(self.cuts[0])
        sigma0 = float(mmiss2_resolution(np.array(lo_cut), self.spectrometer))
        lo = max(lo_cut - 8.0 * sigma0, 0.1 * lo_cut)
        step = self.card.selection.bin_width.quantity("energy2", "selection.bin_width")
        n_bins = max(4, math.ceil((kaon.m2miss_max() - lo) / step))
        edges = np.linspace(lo, kaon.m2miss_max(), n_bins + 1)
        nodes2d, weights2d = gauss_legendre_on_bins(edges, self.NODES_PER_BIN)
        nodes, weights = nodes2d.ravel(), weights2d.ravel()
        return nodes, weights, mmiss2_resolution(nodes, self.spectrometer)

    @cached_property
    def survival(self) -> FloatArray:
        """P(reconstructed m_miss^2 > cut_j | true node i) [n_nodes, n_cuts]."""
        nodes, _, sigma = self.true_nodes
        return gaussian_survival_matrix(nodes, sigma, self.cuts)

    @cached_property
    def likelihood_edges(self) -> FloatArray:
        """Reconstructed m_miss^2 bin edges of the binned likelihood [MeV^2]."""
        sel = self.card.selection
        width = (
            sel.likelihood_bin_width.quantity("energy2", "selection.likelihood_bin_width")
            if sel.likelihood_bin_width is not None
            else 5.0 * sel.bin_width.quantity("energy2", "selection.bin_width")
        )
        lo, hi = float(self.cuts[0]), kaon.m2miss_max() + 4.0 * float(self.true_nodes[2][-1])
        n = max(1, math.ceil((hi - lo) / width))
        return np.linspace(lo, hi, n + 1)

    @cached_property
    def bin_matrix(self) -> FloatArray:
        nodes, _, sigma = self.true_nodes
        return gaussian_bin_matrix(nodes, sigma, self.likelihood_edges)

    @cached_property
    def _background_true(self) -> FloatArray:
        """Background BR weights at the true nodes (IB x veto inefficiency x GTK factor)."""
        nodes, weights, _ = self.true_nodes
        bkg = self.card.background
        factor = bkg.photon_veto_inefficiency.number() * bkg.gtk_factor.number()
        return np.asarray(ib_dbr_dm2miss(nodes) * weights * factor, dtype=np.float64)

    def _kmu2_peak(self, edges_or_cuts: FloatArray, cumulative: bool) -> FloatArray:
        if not self.card.background.kmu2_peak:
            return np.zeros(edges_or_cuts.size - (0 if cumulative else 1))
        sigma0 = float(mmiss2_resolution(np.array(0.0), self.spectrometer))
        if cumulative:
            return np.asarray(kaon.BR_K_MU2 * ndtr(-edges_or_cuts / sigma0))
        return np.asarray(kaon.BR_K_MU2 * np.diff(ndtr(edges_or_cuts / sigma0)))

    @cached_property
    def background_above(self) -> FloatArray:
        """Expected background events above each candidate cut."""
        ib = self._background_true @ self.survival
        return np.asarray(self.n_effective * (ib + self._kmu2_peak(self.cuts, True)))

    @cached_property
    def background_bins(self) -> FloatArray:
        """Expected background events in each likelihood bin."""
        ib = self._background_true @ self.bin_matrix
        return np.asarray(self.n_effective * (ib + self._kmu2_peak(self.likelihood_edges, False)))

    # ------------------------------------------------------------------ model side
    def _check_model(self, model: Model) -> kaon.Shape:
        self.require_model(model)
        return kaon.shape_for_model(model)

    def mass_range(self) -> tuple[float, float]:
        """Open interval (0, m_K - m_mu) [MeV] of X masses with sensitivity (reach grids)."""
        return 0.0, kaon.mass_max()

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Masses [MeV] as a 1-d array in (0, m_K - m_mu)."""
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        if m.ndim != 1:
            raise InvalidParameterError("masses", m.shape, "a 1-d array of masses")
        return kaon._check_mass(m)

    def true_spectrum(self, shape: kaon.Shape, masses: FloatArray) -> FloatArray:
        """BR per unit coupling^2 carried by each true node [n_mass, n_nodes]."""
        nodes, weights, _ = self.true_nodes
        dens = kaon.dbr_dm2miss(shape, nodes[None, :], masses[:, None])
        return np.asarray(dens * weights[None, :], dtype=np.float64)

    def signal_above(self, shape: kaon.Shape, masses: FloatArray) -> FloatArray:
        """Signal events per unit coupling^2 above each cut [n_mass, n_cuts] (X unseen)."""
        return np.asarray(self.n_effective * (self.true_spectrum(shape, masses) @ self.survival))

    def optimise_cut(
        self,
        shape: kaon.Shape,
        masses: FloatArray,
        z: float | None = None,
        min_signal: float | None = None,
    ) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
        """Per-mass lower cut minimising S_min(cut)/S_1(cut) (cut-and-count, [T1]).

        Returns (cut [MeV^2], S_1 at the cut [events per g^2], B at the cut, S_min).
        """
        stats = self.card.statistics
        zz = stats.z if z is None else z
        kappa = self.card.background.systematic.number()
        s1 = self.signal_above(shape, masses)
        floor = stats.min_signal if min_signal is None else min_signal
        smin = np.maximum(cut_and_count_min_signal(self.background_above, kappa, zz), floor)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(s1 > 0, smin[None, :] / s1, np.inf)
        best = np.argmin(ratio, axis=1)
        rows = np.arange(masses.size)
        return self.cuts[best], s1[rows, best], self.background_above[best], smin[best]

    def _fraction_fn(self, model: Model, masses: FloatArray) -> Any:
        sel = self.card.selection
        length = sel.escape_length.quantity("length", "selection.escape_length")
        momentum = sel.x_momentum.quantity("energy", "selection.x_momentum")
        return lambda g: unseen_fraction(model, masses, g, length, momentum)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events at the per-mass optimised cut for each mass [MeV] and coupling."""
        shape = self._check_model(model)
        m = self.check_masses(masses)
        g = np.broadcast_to(kaon._check_coupling(coupling), m.shape)
        _, s1, _, _ = self.optimise_cut(shape, m)
        return np.asarray(s1 * g**2 * self._fraction_fn(model, m)(g), dtype=np.float64)

    def spectra(self, model: Model, masses: ArrayLike, coupling: float) -> dict[str, FloatArray]:
        """Reconstructed m_miss^2 spectra (events per likelihood bin) for plots.

        Keys: ``edges`` [MeV^2], ``background``, ``signal`` [n_mass, n_bins] at ``coupling``
        (X unseen probability included) and ``cut`` [MeV^2] (optimised per mass).
        """
        shape = self._check_model(model)
        m = self.check_masses(masses)
        g = np.full(m.shape, float(kaon._check_coupling(coupling)))
        sig = self.n_effective * (self.true_spectrum(shape, m) @ self.bin_matrix)
        sig = sig * (g**2 * self._fraction_fn(model, m)(g))[:, None]
        cut, _, _, _ = self.optimise_cut(shape, m)
        return {
            "edges": self.likelihood_edges,
            "background": self.background_bins,
            "signal": np.asarray(sig),
            "cut": cut,
        }

    def _threshold(
        self, shape: kaon.Shape, m: FloatArray, cl: float | None, method: str | None
    ) -> tuple[FloatArray, FloatArray, str, list[str]]:
        """(S_1, S_min, label, notes) with the threshold reached at g^2 S_1 P_unseen = S_min."""
        stats = self.card.statistics
        method = stats.method if method is None else method
        kappa = self.card.background.systematic.number()
        notes: list[str] = [
            f"N_K A / prescale = {self.n_effective:.3g}, kappa = {kappa:g}",
            "expected sensitivity (Asimov / median background); Gaussian m_miss^2 resolution",
        ]
        if method == "cut-and-count":
            z = stats.z_value(cl)
            _, s1, _, smin = self.optimise_cut(shape, m, z)
            notes.append(f"S/sqrt(B + kappa^2 B^2) = {z:.3g}, m_miss^2 cut optimised per mass")
            return s1, smin, f"cut-and-count Z={z:.3g}", notes
        if method == "likelihood":
            eps = self.n_effective * (self.true_spectrum(shape, m) @ self.bin_matrix)
            bkg = np.broadcast_to(self.background_bins, eps.shape)
            smin = np.asarray(
                binned_likelihood_min_signal(
                    eps, bkg, threshold=stats.likelihood_threshold, kappa=kappa
                ),
                dtype=np.float64,
            )
            total = eps.sum(axis=1)
            with np.errstate(divide="ignore"):
                smin = np.maximum(smin, np.where(total > 0, stats.min_signal / total, np.inf))
            notes.append(f"binned Asimov likelihood Lambda(S) = {stats.likelihood_threshold:g}")
            return np.ones_like(m), smin, "likelihood", notes
        if method in ("cls", "classical", "fc"):
            from darkreach.stats import upper_limit

            level = stats.cl if cl is None else check_cl(cl)
            z = sensitivity_z(level)
            floor = float(upper_limit(0, 0.0, cl=level, method=method))  # type: ignore[arg-type]
            _, s1, _, smin = self.optimise_cut(shape, m, z, floor)
            notes.append(
                f"{method} approximated: S_min = max(Phi^-1(CL) sqrt(B + kappa^2 B^2), {floor:.3g})"
            )
            return s1, smin, f"{method} (asymptotic)", notes
        raise InvalidParameterError(
            "method", repr(method), "cut-and-count, likelihood, cls, classical, fc"
        )

    def branching_ratio_limit(
        self, shape: str, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> FloatArray:
        """BR(K+ -> mu+ nu X) at the sensitivity threshold, X invisible (model independent)."""
        sh = kaon._check_shape(shape)
        m = self.check_masses(masses)
        s1, smin, _, _ = self._threshold(sh, m, cl, method)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(s1 > 0, smin / s1, np.nan)
        return np.asarray(ratio * kaon.branching_ratio(sh, m), dtype=np.float64)

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Coupling at the sensitivity threshold at each mass [MeV]; NaN where unreachable.

        ``method``: "cut-and-count" (per-mass optimised cut, Z from the card, or
        Z = Phi^-1(cl) when ``cl`` is given), "likelihood" (Asimov Lambda(S) = threshold), or
        "cls"/"classical"/"fc", approximated by Z = Phi^-1(CL) with the n = 0 limit as floor.
        Masses outside (0, m_K - m_mu) give NaN.
        """
        shape = self._check_model(model)
        m_all, inside = mass_grid(masses, *self.mass_range())
        m = m_all[inside]
        s1, smin, label, notes = self._threshold(shape, m, cl, method)
        coupling = solve_coupling(m, s1, smin, self._fraction_fn(model, m))
        cl_out = self.card.statistics.cl if cl is None else cl
        return curve(self, model, m_all, inside, coupling, cl_out, label, notes)
