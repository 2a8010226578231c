"""NA62 kaon-decay searches: K+ -> mu+ nu X (invisible, di-muon) and K+ -> l+ N (HNL).

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
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field, model_validator
from scipy.special import ndtr, ndtri

from darkreach.array_types import FloatArray
from darkreach.constants import m_K_charged, m_mu
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.detector_response import (
    SpectrometerResolution,
    dimuon_mass_resolution,
    gaussian_bin_matrix,
    gaussian_survival_matrix,
    mmiss2_resolution,
)
from darkreach.experiments.schema import CardHeader, Sourced, StrictModel
from darkreach.physics.decay import unseen_probability
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import (
    DIMUON_SHAPES,
    dimuon_background_density,
    ib_dbr_dm2miss,
)
from darkreach.results import ReachCurve
from darkreach.stats import (
    binned_likelihood_min_signal,
    cut_and_count_min_signal,
    sliding_window_bump_hunt,
)
from darkreach.units import GeV
from darkreach.validate import check_cl

if TYPE_CHECKING:
    from darkreach.models.base import Model

__all__ = [
    "KaonDimuon",
    "KaonDimuonCard",
    "KaonHNL",
    "KaonHNLCard",
    "KaonInvisible",
    "KaonInvisibleCard",
]

GeV2 = GeV * GeV


# =========================================================================== statistics


def _median_expected_limit(background: FloatArray, cl: float, method: str) -> FloatArray:
    """Median expected Poisson upper limit on s for each background (statistics.md 5)."""
    from scipy.stats import poisson

    from darkreach.stats.poisson import upper_limit

    out = np.empty_like(background)
    cache: dict[tuple[int, float], float] = {}
    for i, b in enumerate(background.flat):
        n = int(poisson.ppf(0.5, b)) if b > 0 else 0
        key = (n, round(float(b), 12))
        if key not in cache:
            cache[key] = float(upper_limit(n, float(b), cl=cl, method=method))  # type: ignore[arg-type]
        out.flat[i] = cache[key]
    return out


# =========================================================================== card schema

Method = Literal["cut-and-count", "likelihood", "cls", "classical", "fc"]


class KaonSample(StrictModel):
    """The kaon sample: number of K+ decays (or of recorded K_mu2 events) and acceptance."""

    decays: Sourced | None = Field(default=None, description="K+ decays in the fiducial volume")
    kmu2_events: Sourced | None = Field(
        default=None, description="recorded K+ -> mu+ nu events (after prescale and acceptance)"
    )
    acceptance: Sourced = Field(description="signal acceptance incl. trigger efficiency")
    prescale: Sourced = Field(description="trigger downscaling D: 1 event in D is kept")

    @model_validator(mode="after")
    def _one_normalisation(self) -> KaonSample:
        if (self.decays is None) == (self.kmu2_events is None):
            raise ValueError("give exactly one of kaons.decays and kaons.kmu2_events")
        for field in ("decays", "kmu2_events", "acceptance", "prescale"):
            value = getattr(self, field)
            if value is not None and not value.number(f"kaons.{field}") > 0:
                raise ValueError(f"kaons.{field} must be > 0, got {value.value!r}")
        if self.acceptance.number() > 1:
            raise ValueError(f"kaons.acceptance must be <= 1, got {self.acceptance.value!r}")
        if self.prescale.number() < 1:
            raise ValueError(f"kaons.prescale must be >= 1, got {self.prescale.value!r}")
        return self

    def n_decays(self) -> float:
        """N_K: given, or N(K_mu2 recorded) x prescale / (acceptance x BR(K_mu2)) (K-12)."""
        if self.decays is not None:
            return self.decays.number("kaons.decays")
        assert self.kmu2_events is not None
        return (
            self.kmu2_events.number("kaons.kmu2_events")
            * self.prescale.number()
            / (self.acceptance.number() * kaon.BR_K_MU2)
        )

    def effective(self) -> float:
        """N_eff = N_K A / prescale: kaon decays that count for the signal."""
        return self.n_decays() * self.acceptance.number() / self.prescale.number()


class ResolutionSection(StrictModel):
    """Beam (GTK or nominal beam) and STRAW resolutions; see detector_response."""

    beam_momentum: Sourced
    beam_momentum_resolution: Sourced = Field(description="relative, 1 sigma")
    beam_angle_resolution: Sourced = Field(description="rad per projection")
    muon_resolution_constant: Sourced = Field(description="a in sigma_p/p = a (+) b p")
    muon_resolution_slope: Sourced = Field(description="b in 1/GeV")
    muon_angle_constant: Sourced = Field(description="rad")
    muon_angle_scattering: Sourced = Field(description="rad GeV (multiple scattering / p)")
    muon_momentum_min: Sourced
    muon_momentum_max: Sourced

    def spectrometer(self) -> SpectrometerResolution:
        """The resolution parameters in hepunits."""
        return SpectrometerResolution(
            beam_momentum=self.beam_momentum.quantity("energy", "resolution.beam_momentum"),
            beam_momentum_resolution=self.beam_momentum_resolution.number(),
            beam_angle_resolution=self.beam_angle_resolution.number(),
            muon_resolution_constant=self.muon_resolution_constant.number(),
            muon_resolution_slope=self.muon_resolution_slope.number() / GeV,
            muon_angle_constant=self.muon_angle_constant.number(),
            muon_angle_scattering=self.muon_angle_scattering.number() * GeV,
            muon_momentum_range=(
                self.muon_momentum_min.quantity("energy", "resolution.muon_momentum_min"),
                self.muon_momentum_max.quantity("energy", "resolution.muon_momentum_max"),
            ),
        )


class InvisibleBackground(StrictModel):
    """Background model of the invisible search (kaon_decays.md 5)."""

    photon_veto_inefficiency: Sourced
    gtk_factor: Sourced = Field(description="background reduction from measuring the kaon")
    kmu2_peak: bool = Field(default=True, description="add the resolution-smeared K_mu2 peak")
    systematic: Sourced = Field(description="kappa, fractional background normalisation")


class MissingMassSelection(StrictModel):
    """Reconstructed m_miss^2 region and the range of the optimised lower cut."""

    cut_min: Sourced = Field(description="smallest lower cut on m_miss^2 (e.g. the L1 cut)")
    cut_max: Sourced | None = None
    bin_width: Sourced = Field(description="width of the true and reconstructed m_miss^2 bins")
    likelihood_bin_width: Sourced | None = None
    escape_length: Sourced = Field(description="X must not decay visibly within this length")
    x_momentum: Sourced = Field(description="typical lab momentum of X (decay length)")


class KaonStatistics(StrictModel):
    """Sensitivity criterion ([T1]; statistics.md 3-5)."""

    method: Method = "cut-and-count"
    z: float = Field(default=2.0, gt=0.0, description="Z of S/sqrt(B + kappa^2 B^2) = Z")
    likelihood_threshold: float = Field(default=4.0, gt=0.0)
    min_signal: float = Field(
        default=0.0, ge=0.0, description="floor on S_min (e.g. 2.303, the n = 0 Poisson limit)"
    )
    cl: float = Field(default=0.9, gt=0.0, lt=1.0)
    note: str = ""

    def z_value(self, cl: float | None) -> float:
        """Z of the cut-and-count criterion: the card's, or Phi^-1(CL) when a CL is given."""
        return self.z if cl is None else float(ndtri(check_cl(cl)))

    def window_min_signal(
        self,
        background: FloatArray,
        kappa: float,
        cl: float | None,
        method: str | None,
        search: str,
    ) -> tuple[FloatArray, str]:
        """S_min in a mass window and a label: cut-and-count with systematics (floored at
        ``min_signal``) or the median expected Poisson limit (statistics.md 3, 5)."""
        method = self.method if method is None else method
        if method == "cut-and-count":
            z = self.z_value(cl)
            smin = np.maximum(cut_and_count_min_signal(background, kappa, z), self.min_signal)
            return smin, f"{search}, cut-and-count Z={z:.3g}"
        if method in ("cls", "classical", "fc"):
            level = self.cl if cl is None else check_cl(cl)
            smin = _median_expected_limit(background, level, method)
            return smin, f"{search}, median expected {method}"
        raise InvalidParameterError("method", repr(method), "cut-and-count, cls, classical, fc")


class KaonInvisibleCard(CardHeader):
    """Card of the K+ -> mu+ nu X (X invisible) search."""

    type: Literal["kaon-invisible"]
    kaons: KaonSample
    resolution: ResolutionSection
    background: InvisibleBackground
    selection: MissingMassSelection
    statistics: KaonStatistics = KaonStatistics()

    @model_validator(mode="after")
    def _cuts_inside(self) -> KaonInvisibleCard:
        top = kaon.m2miss_max()
        lo = self.selection.cut_min.quantity("energy2", "selection.cut_min")
        hi = (
            self.selection.cut_max.quantity("energy2", "selection.cut_max")
            if self.selection.cut_max is not None
            else top
        )
        if not (0.0 < lo < hi <= top):
            raise ValueError(
                f"need 0 < selection.cut_min < selection.cut_max <= (m_K - m_mu)^2 = "
                f"{top / GeV2:.5f} GeV2, got {lo / GeV2:g} and {hi / GeV2:g} GeV2"
            )
        return self


# =========================================================================== shared pieces


def _gl_nodes_on_bins(edges: FloatArray, order: int) -> tuple[FloatArray, FloatArray]:
    """Gauss-Legendre nodes and weights of ``order`` points in every bin of ``edges``."""
    x, w = np.polynomial.legendre.leggauss(order)
    lo, hi = edges[:-1, None], edges[1:, None]
    nodes = 0.5 * (lo + hi) + 0.5 * (hi - lo) * x[None, :]
    weights = 0.5 * (hi - lo) * w[None, :]
    return nodes.ravel(), weights.ravel()


def _unseen_probability(
    model: Model, masses: FloatArray, coupling: FloatArray, length: float, momentum: float
) -> FloatArray:
    """P(X not seen) = BR_inv + (1 - BR_inv) exp(-L / lambda) (statistics.md 6.1)."""
    br_inv = np.asarray(model.invisible_fraction(masses, coupling), dtype=np.float64)
    p = np.full(masses.shape, momentum)
    lam = np.asarray(model.decay_length(masses, coupling, p), dtype=np.float64)
    return unseen_probability(br_inv, length, lam)


def _solve_coupling(
    masses: FloatArray,
    unit_yield: FloatArray,
    signal_min: FloatArray,
    fraction: Any,
    coupling_power: float = 2.0,
) -> FloatArray:
    """Smallest coupling with yield = unit_yield c^p f(c) >= signal_min at each mass.

    Closed form c = (S_min / (N_1 f))^(1/p) when f does not depend on c (checked at two
    couplings); otherwise the vectorised log-grid + bisection of :mod:`darkreach.solve`.
    """
    ok = np.isfinite(signal_min) & (unit_yield > 0)
    f1 = fraction(np.full(masses.shape, 1e-6))
    f2 = fraction(np.full(masses.shape, 1e-2))
    if np.allclose(f1, f2, rtol=1e-9, atol=0.0):
        with np.errstate(divide="ignore", invalid="ignore"):
            c = (signal_min / (unit_yield * f1)) ** (1.0 / coupling_power)
        return np.where(ok & (f1 > 0), c, np.nan)
    from darkreach.solve import coupling_interval

    def yield_fn(c: FloatArray) -> FloatArray:
        return np.asarray(unit_yield * c**coupling_power * fraction(c), dtype=np.float64)

    low, _ = coupling_interval(
        yield_fn, np.where(ok, signal_min, np.inf), masses.size, g_min=1e-12, g_max=10.0
    )
    return np.where(ok, low, np.nan)


def _mass_grid(masses: ArrayLike, low: float, high: float) -> tuple[FloatArray, NDArray[np.bool_]]:
    """1-d mass array [MeV] and the mask of masses inside the open range (low, high).

    Non-finite or non-positive masses are errors; masses outside the kinematic range of a
    card are not (overlays share one grid): the reach is NaN there.
    """
    m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    if m.ndim != 1:
        raise InvalidParameterError("masses", m.shape, "a 1-d array of masses")
    bad = ~np.isfinite(m) | (m <= 0.0)
    if np.any(bad):
        raise InvalidParameterError("mass", f"{float(m[bad][0]):g} MeV", "finite and > 0 MeV")
    return m, (m > low) & (m < high)


def _curve(
    exp: Any,
    model: Model,
    masses: FloatArray,
    inside: NDArray[np.bool_],
    coupling: FloatArray,
    cl: float,
    label: str,
    notes: list[str],
) -> ReachCurve:
    full = np.full(masses.shape, np.nan)
    full[inside] = coupling
    if not np.all(inside):
        notes = [*notes, "NaN outside the kinematic range of the card"]
    return ReachCurve(
        card=exp.name,
        card_title=exp.title,
        model=model.name,
        model_label=model.label,
        coupling_symbol=model.coupling_symbol,
        masses=masses,
        coupling=full,
        cl=cl,
        method=label,
        kind="expected",
        notes=tuple(notes),
    )


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
        nodes, weights = _gl_nodes_on_bins(edges, self.NODES_PER_BIN)
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
        return lambda g: _unseen_probability(model, masses, g, length, momentum)

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
            z = float(ndtri(level))
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
        m_all, inside = _mass_grid(masses, 0.0, kaon.mass_max())
        m = m_all[inside]
        s1, smin, label, notes = self._threshold(shape, m, cl, method)
        coupling = _solve_coupling(m, s1, smin, self._fraction_fn(model, m))
        cl_out = self.card.statistics.cl if cl is None else cl
        return _curve(self, model, m_all, inside, coupling, cl_out, label, notes)


# =========================================================================== di-muon


class DimuonSample(StrictModel):
    """Normalisation of the di-muon search through the expected SM background count."""

    background_events: Sourced = Field(description="expected K -> mu nu mu mu events")
    background_branching_ratio: Sourced = Field(description="SM BR(K+ -> mu+ nu mu+ mu-)")


class DimuonResolution(StrictModel):
    """Per-track momentum resolution and typical muon momenta."""

    muon_resolution_constant: Sourced
    muon_resolution_slope: Sourced = Field(description="1/GeV")
    muon_momentum: Sourced = Field(description="typical momentum of each muon")


class DimuonBackground(StrictModel):
    shape: str = "kroll-wada"
    shape_source: Sourced
    pairs_per_event: int = Field(default=2, ge=1, le=2)
    systematic: Sourced

    @model_validator(mode="after")
    def _shape_known(self) -> DimuonBackground:
        if self.shape not in DIMUON_SHAPES:
            raise ValueError(f"background.shape must be one of {', '.join(DIMUON_SHAPES)}")
        return self


class DimuonSelection(StrictModel):
    window_half_width: Sourced = Field(description="in units of the mass resolution sigma")


class KaonDimuonCard(CardHeader):
    """Card of the K+ -> mu+ nu X, X -> mu+ mu- bump hunt."""

    type: Literal["kaon-dimuon"]
    sample: DimuonSample
    resolution: DimuonResolution
    background: DimuonBackground
    selection: DimuonSelection
    statistics: KaonStatistics = KaonStatistics()


class KaonDimuon(CardExperiment[KaonDimuonCard]):
    """Sliding-window bump hunt in the di-muon mass of K+ -> mu+ nu mu+ mu- (section 6)."""

    supported_models = ("lmu-ltau", "lmu-ltau-dm", "scalar")

    @cached_property
    def n_effective(self) -> float:
        """N_K A = N_bkg / BR_SM (signal and background acceptance taken equal)."""
        smp = self.card.sample
        return smp.background_events.number() / smp.background_branching_ratio.number()

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        lo, hi = 2.0 * m_mu, m_K_charged - m_mu
        bad = ~np.isfinite(m) | (m <= lo) | (m >= hi)
        if np.any(bad):
            value = float(m[bad][0])
            raise KinematicallyForbiddenError(
                "mass", f"{value:g} MeV", f"2 m_mu = {lo:.2f} < m < m_K - m_mu = {hi:.2f} MeV"
            )
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
        m_all, inside = _mass_grid(masses, 2.0 * m_mu, m_K_charged - m_mu)
        m = m_all[inside]
        stats = self.card.statistics
        kappa = self.card.background.systematic.number()
        b, eff, w = self.window(m)
        smin, label = stats.window_min_signal(b, kappa, cl, method, "bump hunt")
        unit = self.n_effective * kaon.branching_ratio(shape, m) * eff
        coupling = _solve_coupling(m, unit, smin, self._mumu_fraction(model, m))
        notes = [
            f"window +-{w:g} sigma_m, N_K A = {self.n_effective:.3g}",
            f"background shape {self.card.background.shape} (assumption), kappa = {kappa:g}",
            "X -> mu mu assumed prompt; no look-elsewhere correction",
        ]
        cl_out = stats.cl if cl is None else cl
        return _curve(self, model, m_all, inside, coupling, cl_out, label, notes)


# =========================================================================== HNL


class HNLBackground(StrictModel):
    """Background under the HNL peak: IB (muon channel) plus a flat density."""

    photon_veto_inefficiency: Sourced | None = None
    kmu2_peak: bool = False
    flat_density: Sourced = Field(description="events per GeV^2 of m_miss^2 after selection")
    systematic: Sourced


class HNLSelection(StrictModel):
    window_half_width: Sourced = Field(description="in units of sigma(m_miss^2)")
    escape_length: Sourced
    n_momentum: Sourced = Field(description="typical lab momentum of N (decay length)")


class KaonHNLCard(CardHeader):
    """Card of a K+ -> l+ N peak search."""

    type: Literal["kaon-hnl"]
    lepton: Literal["mu", "e"]
    kaons: KaonSample
    resolution: ResolutionSection
    background: HNLBackground
    selection: HNLSelection
    statistics: KaonStatistics = KaonStatistics()


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

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
        top = kaon.hnl_mass_max(self.card.lepton)
        bad = ~np.isfinite(m) | (m <= 0) | (m >= top)
        if np.any(bad):
            value = float(m[bad][0])
            err = KinematicallyForbiddenError if value >= top else InvalidParameterError
            raise err("mass", f"{value:g} MeV", f"0 < m_N < m_K - m_l = {top:.2f} MeV")
        return m

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

    def _check_model(self, model: Model) -> None:
        self.require_model(model)

    def _fraction_fn(self, model: Model, masses: FloatArray) -> Any:
        sel = self.card.selection
        length = sel.escape_length.quantity("length", "selection.escape_length")
        momentum = sel.n_momentum.quantity("energy", "selection.n_momentum")
        return lambda u2: _unseen_probability(model, masses, u2, length, momentum)

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Signal events in the window; ``coupling`` is |U_l4|^2."""
        self._check_model(model)
        m = self.check_masses(masses)
        u2 = np.broadcast_to(kaon._check_coupling(coupling, "mixing"), m.shape)
        _, eff, _ = self.window(m)
        unit = self.n_effective * kaon.hnl_branching_ratio(self.card.lepton, m, 1.0) * eff
        return np.asarray(unit * u2 * self._fraction_fn(model, m)(u2))

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """|U_l4|^2 at the sensitivity threshold at each m_N [MeV] (NaN above m_K - m_l)."""
        self._check_model(model)
        m_all, inside = _mass_grid(masses, 0.0, kaon.hnl_mass_max(self.card.lepton))
        m = m_all[inside]
        stats = self.card.statistics
        kappa = self.card.background.systematic.number()
        b, eff, _ = self.window(m)
        smin, label = stats.window_min_signal(b, kappa, cl, method, "peak window")
        unit = self.n_effective * kaon.hnl_branching_ratio(self.card.lepton, m, 1.0) * eff
        coupling = _solve_coupling(m, unit, smin, self._fraction_fn(model, m), coupling_power=1.0)
        notes = [
            f"N_K A / prescale = {self.n_effective:.3g}",
            "window +-w sigma(m_miss^2); N assumed to escape (lifetime from the model)",
        ]
        cl_out = stats.cl if cl is None else cl
        return _curve(self, model, m_all, inside, coupling, cl_out, label, notes)


def ib_window(lo: FloatArray, hi: FloatArray, nodes: int = 8) -> FloatArray:
    """IB branching ratio with lo < m_miss^2 < hi (Gauss-Legendre; windows are narrow)."""
    x, w = np.polynomial.legendre.leggauss(nodes)
    lo2, hi2 = np.asarray(lo)[..., None], np.asarray(hi)[..., None]
    s = 0.5 * (lo2 + hi2) + 0.5 * (hi2 - lo2) * x
    return np.asarray(np.sum(ib_dbr_dm2miss(s) * 0.5 * (hi2 - lo2) * w, axis=-1))
