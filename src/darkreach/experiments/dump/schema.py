"""The ``beam-dump`` card: proton beam, dump, decay volume, detector planes and channels.

Every number is a :class:`~darkreach.experiments.schema.Sourced` table (value, source,
status). Lengths along the beam are positions z from the nominal kaon target (handbook
electron_and_dump.md B.2); radii and half-widths are transverse sizes. Each channel names its
final state (``"mu mu"`` or ``"e e"``), the detector planes both tracks must cross, its
selection efficiency, background and (for data) the observed events with their mass windows.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from darkreach.experiments.invisible import Efficiency
from darkreach.experiments.schema import (
    MAX_BACKGROUND_EVENTS,
    CardHeader,
    Sourced,
    StrictModel,
)

__all__ = [
    "BeamDumpCard",
    "DumpChannel",
    "DumpProduction",
    "DumpSimulation",
    "DumpStatistics",
    "ObservedEvent",
]

#: Longest length a beam-dump card may state (a decay volume of 10 km is a typo).
MAX_LENGTH_MM = 10_000_000.0
Mechanism = Literal["pi0", "eta", "eta'", "omega", "phi", "proton-brem"]
FinalStateName = Literal["mu mu", "e e"]


def _length(value: Sourced, field: str, *, allow_negative: bool = False) -> float:
    length = value.quantity("length", field)
    low = -MAX_LENGTH_MM if allow_negative else 0.0
    if not low <= length <= MAX_LENGTH_MM:
        raise ValueError(
            f"{field} = {value.value!r} is invalid; allowed: {'+-' if allow_negative else '0 to '}"
            "10 km"
        )
    return length


class DumpBeam(StrictModel):
    """The proton beam: energy and protons on target (POT)."""

    particle: Literal["p"] = "p"
    energy: Sourced
    on_target: Sourced = Field(description="protons on target (POT)")

    @model_validator(mode="after")
    def _values(self) -> DumpBeam:
        energy = self.energy.quantity("energy", "beam.energy")
        if not 1_000.0 < energy <= 10_000_000.0:
            raise ValueError(
                f"beam.energy = {self.energy.value!r} is invalid; allowed: 1 GeV to 10 TeV"
            )
        pot = self.on_target.number("beam.on_target")
        if not 0.0 < pot <= 1e22:
            raise ValueError(
                f"beam.on_target = {self.on_target.value!r} is invalid; allowed: 0 < POT <= 1e22"
            )
        return self


class Dump(StrictModel):
    """Where the protons interact: material, z of the dump face, beam spot (x, y)."""

    material: str = Field(min_length=1)
    z: Sourced
    beam_x: Sourced | None = None
    beam_y: Sourced | None = None

    @model_validator(mode="after")
    def _values(self) -> Dump:
        _length(self.z, "dump.z")
        for name in ("beam_x", "beam_y"):
            value = getattr(self, name)
            if value is not None:
                _length(value, f"dump.{name}", allow_negative=True)
        return self


class DecayVolume(StrictModel):
    """The fiducial decay volume from ``z_start`` to ``z_end`` (positions along the beam)."""

    z_start: Sourced
    z_end: Sourced

    @model_validator(mode="after")
    def _values(self) -> DecayVolume:
        start = _length(self.z_start, "decay_volume.z_start")
        end = _length(self.z_end, "decay_volume.z_end")
        if not end > start:
            raise ValueError(
                f"decay_volume.z_end = {self.z_end.value!r} is invalid; allowed: > z_start = "
                f"{self.z_start.value!r} (L2 > L1)"
            )
        return self


class Plane(StrictModel):
    """A detector plane both tracks must cross: annulus r_min..r_max (optional square)."""

    name: str = Field(min_length=1)
    z: Sourced
    r_min: Sourced
    r_max: Sourced
    half_width: Sourced | None = None

    @model_validator(mode="after")
    def _values(self) -> Plane:
        _length(self.z, f"spectrometer.planes[{self.name}].z")
        r_min = _length(self.r_min, f"spectrometer.planes[{self.name}].r_min")
        r_max = _length(self.r_max, f"spectrometer.planes[{self.name}].r_max")
        if not r_max > r_min:
            raise ValueError(
                f"spectrometer.planes[{self.name}].r_max = {self.r_max.value!r} is invalid; "
                f"allowed: > r_min = {self.r_min.value!r}"
            )
        return self


class Spectrometer(StrictModel):
    """The dipole magnet (thin-lens p_T kick at its centre) and the detector planes."""

    magnet_z: Sourced
    pt_kick: Sourced
    planes: tuple[Plane, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _values(self) -> Spectrometer:
        _length(self.magnet_z, "spectrometer.magnet_z")
        kick = self.pt_kick.quantity("energy", "spectrometer.pt_kick")
        if not 0.0 <= kick <= 10_000.0:
            raise ValueError(
                f"spectrometer.pt_kick = {self.pt_kick.value!r} is invalid; allowed: 0 to 10 GeV"
            )
        names = [plane.name for plane in self.planes]
        if len(set(names)) != len(names):
            raise ValueError(f"spectrometer.planes names must be unique, got {names}")
        return self


class ObservedEvent(StrictModel):
    """An observed candidate: its mass; it counts at X masses within ``window`` of it."""

    mass: Sourced
    window: Sourced

    @model_validator(mode="after")
    def _values(self) -> ObservedEvent:
        for name in ("mass", "window"):
            value = getattr(self, name).quantity("energy", f"observed_events.{name}")
            if not 0.0 < value < 100_000.0:
                raise ValueError(
                    f"observed_events.{name} = {getattr(self, name).value!r} is invalid; "
                    "allowed: 0 < value < 100 GeV"
                )
        return self


class DumpChannel(StrictModel):
    """One visible final state of X with its selection, background and observed events."""

    final_state: FinalStateName
    planes: tuple[str, ...] = Field(min_length=1)
    efficiency: Efficiency = Field(
        description="selection efficiency beyond the geometric acceptance: a constant or a "
        "table in X mass (log-linear), e.g. calibrated to the published curve"
    )
    background: Sourced
    observed_events: tuple[ObservedEvent, ...] = ()

    @model_validator(mode="after")
    def _values(self) -> DumpChannel:
        b = self.background.number("channels.background")
        if not 0.0 <= b <= MAX_BACKGROUND_EVENTS:
            raise ValueError(
                f"channels.background = {self.background.value!r} is invalid; allowed: "
                f"[0, {MAX_BACKGROUND_EVENTS:g}] events"
            )
        return self


class DumpProduction(StrictModel):
    """Production mechanisms and their inputs (meson spectra, bremsstrahlung region)."""

    mechanisms: tuple[Mechanism, ...] = Field(min_length=1)
    meson_spectra: str = Field(
        default="pythia8",
        description="shipped table name (pythia8, bmpt) or a CSV file (see docs/dump.md)",
    )
    brem_z_min: float = Field(default=0.1, gt=0.0, lt=1.0)
    brem_z_max: float = Field(default=0.9, gt=0.0, lt=1.0)
    brem_pt_max: Sourced | None = None
    brem_form_factor: Literal["none", "vmd"] = "none"

    @model_validator(mode="after")
    def _values(self) -> DumpProduction:
        if not self.brem_z_max > self.brem_z_min:
            raise ValueError(
                f"production.brem_z_max = {self.brem_z_max} is invalid; allowed: > brem_z_min = "
                f"{self.brem_z_min}"
            )
        if len(set(self.mechanisms)) != len(self.mechanisms):
            raise ValueError(f"production.mechanisms must be unique, got {self.mechanisms}")
        return self


class DumpSimulation(StrictModel):
    """Monte Carlo settings: X per mechanism and simulated mass (after generation cuts),
    seed, decay-position nodes, X momentum bins, simulated masses per decade."""

    samples: int = Field(default=10_000, ge=100, le=2_000_000)
    seed: int = Field(default=20210, ge=0, lt=2**32)
    decay_nodes: int = Field(default=7, ge=3, le=65)
    momentum_bins: int = Field(default=300, ge=10, le=2000)
    masses_per_decade: int = Field(default=16, ge=2, le=1000)


class DumpStatistics(StrictModel):
    """Confidence level, method and relative signal uncertainty of the limits."""

    cl: float = Field(default=0.9, gt=0.0, lt=1.0)
    method: Literal["classical", "cls", "fc"] = "cls"
    signal_uncertainty: float = Field(default=0.0, ge=0.0, lt=1.0)


class BeamDumpCard(CardHeader):
    """A proton beam-dump data set or projection (type ``beam-dump``)."""

    type: Literal["beam-dump"]
    beam: DumpBeam
    dump: Dump
    decay_volume: DecayVolume
    spectrometer: Spectrometer
    channels: tuple[DumpChannel, ...] = Field(min_length=1)
    production: DumpProduction
    simulation: DumpSimulation = DumpSimulation()
    statistics: DumpStatistics = DumpStatistics()

    @model_validator(mode="after")
    def _consistent(self) -> BeamDumpCard:
        dump_z = self.dump.z.quantity("length", "dump.z")
        start = self.decay_volume.z_start.quantity("length", "decay_volume.z_start")
        if not start > dump_z:
            raise ValueError(
                f"decay_volume.z_start = {self.decay_volume.z_start.value!r} is invalid; "
                f"allowed: > dump.z = {self.dump.z.value!r}"
            )
        names = {plane.name for plane in self.spectrometer.planes}
        end = self.decay_volume.z_end.quantity("length", "decay_volume.z_end")
        for channel in self.channels:
            unknown = [name for name in channel.planes if name not in names]
            if unknown:
                raise ValueError(
                    f"channels.planes = {unknown[0]!r} is invalid; allowed: one of "
                    f"{', '.join(sorted(names))}"
                )
            if self.kind != "data" and channel.observed_events:
                raise ValueError("channels.observed_events is only allowed in data cards")
        for plane in self.spectrometer.planes:
            if plane.z.quantity("length", "z") <= end:
                raise ValueError(
                    f"spectrometer.planes[{plane.name}].z = {plane.z.value!r} is invalid; "
                    f"allowed: > decay_volume.z_end = {self.decay_volume.z_end.value!r}"
                )
        finals = [channel.final_state for channel in self.channels]
        if len(set(finals)) != len(finals):
            raise ValueError(f"channels final_state must be unique, got {finals}")
        return self
