"""Card sections of the NA62 kaon searches (kaon-invisible, kaon-dimuon, kaon-hnl)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field, model_validator
from scipy.special import ndtri

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.experiments.detector_response import (
    SpectrometerResolution,
)
from darkreach.experiments.invisible import EfficiencyTable
from darkreach.experiments.schema import CardHeader, Sourced, StrictModel
from darkreach.production import kaon
from darkreach.production.kaon_backgrounds import (
    DIMUON_SHAPES,
)
from darkreach.stats import (
    cut_and_count_min_signal,
)
from darkreach.units import GeV
from darkreach.validate import check_cl

if TYPE_CHECKING:
    pass

from darkreach.experiments.kaon.common import median_expected_limit

GeV2 = GeV * GeV

# =========================================================================== card schema

Method = Literal["cut-and-count", "likelihood", "cls", "classical", "fc"]


def sensitivity_z(cl: float) -> float:
    """Z = Phi^-1(CL) of a Gaussian sensitivity criterion; needs 0.5 < CL < 1 (Z > 0).

    >>> round(sensitivity_z(0.9), 4)
    1.2816
    """
    level = check_cl(cl)
    if not level > 0.5:
        raise InvalidParameterError(
            "cl", cl, "0.5 < CL < 1 for this card's sensitivity criterion (Z = Phi^-1(CL) > 0)"
        )
    return float(ndtri(level))


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
        return self.z if cl is None else sensitivity_z(cl)

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
            smin = median_expected_limit(background, level, method)
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
    mass_min: Sourced | None = Field(
        default=None, description="lower end of the searched m_N range (default: 0)"
    )
    mass_max: Sourced | None = Field(
        default=None, description="upper end of the searched m_N range (default: m_K - m_l)"
    )


class KaonHNLCard(CardHeader):
    """Card of a K+ -> l+ N peak search."""

    type: Literal["kaon-hnl"]
    lepton: Literal["mu", "e"]
    kaons: KaonSample
    resolution: ResolutionSection
    background: HNLBackground
    selection: HNLSelection
    statistics: KaonStatistics = KaonStatistics()
    signal_acceptance: EfficiencyTable | None = Field(
        default=None,
        description="signal acceptance in m_N; when given it replaces kaons.acceptance for the "
        "signal (the backgrounds keep N_K A / prescale as their normalisation)",
    )

    @model_validator(mode="after")
    def _search_range_inside(self) -> KaonHNLCard:
        top = kaon.hnl_mass_max(self.lepton)
        sel = self.selection
        lo = sel.mass_min.quantity("energy", "selection.mass_min") if sel.mass_min else 0.0
        hi = sel.mass_max.quantity("energy", "selection.mass_max") if sel.mass_max else top
        if not (0.0 <= lo < hi <= top):
            raise ValueError(
                f"need 0 <= selection.mass_min < selection.mass_max <= m_K - m_l = {top:.2f} MeV,"
                f" got {lo:g} and {hi:g} MeV"
            )
        return self
