"""The ``beam-dump`` experiment type: visible decays of X produced in a proton dump.

Signal (handbook electron_and_dump.md B.4, statistics.md 6.2)::

    N(m, g) = N_POT sum_channels eff_c BR(X -> c)(m, g)
              sum_mechanisms S_mech(m) g^2 sum_b,k W_mech,c[b, k] P_b,k(lambda_b(m, g))

with S_mech the production strength per unit coupling^2 (BR(P -> gamma X) or BR(V -> P X)
per g^2 from :mod:`darkreach.production.meson_decays`; the proton coupling eps_p^2 per g^2
for bremsstrahlung), ``W`` the Monte Carlo acceptance tables of :mod:`.simulation` and
``P`` the analytic accepted decay probability of :mod:`.decay_integral` with
``lambda_b = (p_b/m) hbar c / Gamma_tot(m, g)``.

At each mass the excluded couplings form an interval [g_low, g_high]: few decays in the
volume below (N ~ g^4), decays before the volume above (exponential). Both edges are found on
a logarithmic grid refined by bisection (:func:`darkreach.solve.coupling_interval`); islands
inside the grid are merged (the notes say so if any is seen). Observed events count at X
masses within their window (NA62 2021: one event at 411 MeV).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from darkreach.array_types import FloatArray
from darkreach.cache import cache_key, cached_array
from darkreach.constants import hbarc, m_e, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.experiments.base import CardExperiment
from darkreach.experiments.dump.decay_integral import accepted_decay_probability
from darkreach.experiments.dump.geometry import DetectorPlane, DumpGeometry
from darkreach.experiments.dump.schema import BeamDumpCard
from darkreach.experiments.dump.simulation import (
    MECHANISMS,
    AcceptanceTable,
    FinalState,
    SimulationSettings,
    momentum_edges,
    particle_mass,
    simulate_mass,
)
from darkreach.models.base import Model
from darkreach.results import ReachCurve
from darkreach.solve import coupling_interval
from darkreach.validate import checked_array

__all__ = ["BeamDump"]

DAUGHTER_MASS = {"mu mu": m_mu, "e e": m_e}
#: coupling range scanned for the two edges (dimensionless model coupling)
G_RANGE = (1e-12, 1.0)
#: highest X mass [MeV] for proton bremsstrahlung (the quasi-real approximation needs
#: m << E_p; the time-like proton form factor is not applied by default)
BREM_MASS_MAX = 2000.0


@dataclass(frozen=True)
class _Widths:
    """Total width and channel branching ratios as functions of the coupling."""

    total: Callable[[FloatArray], FloatArray]
    ratios: Callable[[FloatArray], FloatArray]  # (n_mass, n_channel)


class BeamDump(CardExperiment[BeamDumpCard]):
    """A ``beam-dump`` card bound to its Monte Carlo acceptance (tables cached per mass)."""

    supported_models = ("dark-photon", "b-l", "lmu-ltau")

    def __init__(self, card: BeamDumpCard) -> None:
        super().__init__(card)
        dump = card.dump
        spectrometer = card.spectrometer

        def length(value: object, field: str) -> float:
            return 0.0 if value is None else value.quantity("length", field)  # type: ignore[attr-defined]

        self.geometry = DumpGeometry(
            z_dump=length(dump.z, "dump.z"),
            beam_x=length(dump.beam_x, "dump.beam_x"),
            beam_y=length(dump.beam_y, "dump.beam_y"),
            z_start=length(card.decay_volume.z_start, "decay_volume.z_start"),
            z_end=length(card.decay_volume.z_end, "decay_volume.z_end"),
            magnet_z=length(spectrometer.magnet_z, "spectrometer.magnet_z"),
            pt_kick=spectrometer.pt_kick.quantity("energy", "spectrometer.pt_kick"),
        )
        planes = {
            plane.name: DetectorPlane(
                name=plane.name,
                z=length(plane.z, "z"),
                r_min=length(plane.r_min, "r_min"),
                r_max=length(plane.r_max, "r_max"),
                half_width=None
                if plane.half_width is None
                else length(plane.half_width, "half_width"),
            )
            for plane in spectrometer.planes
        }
        self.final_states = tuple(
            FinalState(
                channel=channel.final_state,
                daughter_mass=DAUGHTER_MASS[channel.final_state],
                planes=tuple(planes[name] for name in channel.planes),
            )
            for channel in card.channels
        )
        production = card.production
        sim = card.simulation
        self.settings = SimulationSettings(
            samples=sim.samples,
            seed=sim.seed,
            decay_nodes=sim.decay_nodes,
            momentum_bins=sim.momentum_bins,
            meson_source=production.meson_spectra,
            brem_z_range=(production.brem_z_min, production.brem_z_max),
            brem_pt_max=1000.0
            if production.brem_pt_max is None
            else production.brem_pt_max.quantity("energy", "production.brem_pt_max"),
            beam_energy=card.beam.energy.quantity("energy", "beam.energy"),
        )
        self.pot = card.beam.on_target.number("beam.on_target")
        self._tables: dict[int, AcceptanceTable] = {}
        self._check_spectra()

    def _check_spectra(self) -> None:
        """Read every meson spectrum the card needs now: a bad file or source fails early."""
        from darkreach.production.meson_spectra import load_spectrum

        source = self.card.production.meson_spectra
        for mechanism in self.card.production.mechanisms:
            spec = MECHANISMS[mechanism]
            if spec is None:
                continue
            try:
                load_spectrum(spec[0], source)
            except InvalidParameterError as exc:
                field = "production.meson_spectra"
                if exc.field == "meson":  # a shipped source without this meson
                    raise InvalidParameterError(
                        field,
                        source,
                        f"a source with {spec[0]} for mechanism {mechanism!r} ({source} has "
                        f"{exc.allowed})",
                    ) from None
                raise InvalidParameterError(field, source, exc.allowed, exc.hint) from None

    # ----------------------------------------------------------------- kinematic range
    def mass_range(self) -> tuple[float, float]:
        """(lowest, highest) X mass [MeV] with a visible channel and a production mechanism."""
        low = min(2.0 * state.daughter_mass for state in self.final_states)
        highs = []
        for mechanism in self.card.production.mechanisms:
            spec = MECHANISMS[mechanism]
            if spec is None:
                highs.append(BREM_MASS_MAX)
            else:
                highs.append(particle_mass(spec[0]) - particle_mass(spec[1]))
        return low, max(highs)

    def check_masses(self, masses: ArrayLike) -> FloatArray:
        """Masses [MeV] as a flat array; one-line error outside every channel's threshold."""
        m = checked_array(masses, "mass", unit="MeV").reshape(-1)
        low, _ = self.mass_range()
        if np.any(m <= low):
            channels = ", ".join(state.channel for state in self.final_states)
            raise InvalidParameterError(
                "mass",
                f"{float(np.min(m)):g} MeV",
                f"> {low:.4g} MeV (no {channels} decay below threshold for card {self.name})",
            )
        return m

    # ----------------------------------------------------------------- Monte Carlo
    def simulation_masses(self) -> FloatArray:
        """The fixed mass grid [MeV] on which the Monte Carlo runs (log-spaced, per card).

        Tables at other masses are interpolated linearly in ln m between the two neighbours
        (the acceptance per produced X is smooth in m; production thresholds enter through
        the production strength, evaluated at the exact mass). The grid depends on the card
        only, so a mass gives the same result whatever grid the user asks for.
        """
        low, high = self.mass_range()
        decades = math.log10(high / low)
        points = max(2, math.ceil(decades * self.card.simulation.masses_per_decade) + 1)
        return np.geomspace(low * (1.0 + 1e-9), high * (1.0 - 1e-9), points)

    def _grid_table(self, index: int) -> AcceptanceTable:
        """The Monte Carlo table at simulation-grid mass ``index``: from memory, then from
        the disk cache (:mod:`darkreach.cache`; the key holds every simulation input, the
        spectra's content and darkreach's source), else simulated."""
        table = self._tables.get(index)
        if table is not None:
            return table
        mass = float(self.simulation_masses()[index])
        mechanisms = self.card.production.mechanisms
        keys = [(mech, state.channel) for mech in mechanisms for state in self.final_states]
        bins, nodes = self.settings.momentum_bins, self.settings.decay_nodes

        def compute() -> FloatArray:
            fresh = simulate_mass(mass, self.geometry, self.final_states, mechanisms, self.settings)
            packed = np.empty((len(keys), bins * nodes + 2))
            for row, key in enumerate(keys):
                packed[row, :-2] = fresh.weights[key].ravel()
                packed[row, -2:] = fresh.moments[key]
            return packed

        key = cache_key(
            what="beam-dump acceptance",
            mass=mass,
            geometry=repr(self.geometry),
            final_states=repr(self.final_states),
            mechanisms=list(mechanisms),
            settings=repr(self.settings),
            spectra=self._spectra_digest(),
        )
        packed = cached_array(key, compute, shape=(len(keys), bins * nodes + 2))
        z_nodes = np.linspace(self.geometry.z_start, self.geometry.z_end, nodes)
        edges = momentum_edges(self.settings)
        table = AcceptanceTable(
            mass=mass,
            z_nodes=z_nodes,
            momentum=np.sqrt(edges[:-1] * edges[1:]),
            weights={k: packed[row, :-2].reshape(bins, nodes) for row, k in enumerate(keys)},
            moments={
                k: (float(packed[row, -2]), float(packed[row, -1])) for row, k in enumerate(keys)
            },
        )
        self._tables[index] = table
        return table

    def _spectra_digest(self) -> str:
        """SHA-256 of the meson-spectrum file the card uses (shipped or its own), or the source
        name for a parametrisation (computed from code: covered by the source fingerprint)."""
        import hashlib

        from darkreach.production.meson_spectra import spectrum_file

        source = self.card.production.meson_spectra
        path = spectrum_file(source)
        if path is None:
            return source
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return source

    def acceptance_table(self, mass: float) -> AcceptanceTable:
        """The acceptance table at ``mass`` [MeV], interpolated from the simulation grid."""
        grid = self.simulation_masses()
        x = math.log(min(max(float(mass), grid[0]), grid[-1]))
        log_grid = np.log(grid)
        i = int(np.clip(np.searchsorted(log_grid, x) - 1, 0, grid.size - 2))
        t = (x - log_grid[i]) / (log_grid[i + 1] - log_grid[i])
        lo, hi = self._grid_table(i), self._grid_table(i + 1)
        weights: dict[tuple[str, str], FloatArray] = {}
        moments: dict[tuple[str, str], tuple[float, float]] = {}
        for key in lo.weights:
            # a mechanism closing between the nodes (parent mass threshold) has an empty table
            # on one side: take the open side (the threshold itself is in the strength)
            a, b = (1.0 - t), t
            if not lo.weights[key].any() and hi.weights[key].any():
                a, b = 0.0, 1.0
            elif lo.weights[key].any() and not hi.weights[key].any():
                a, b = 1.0, 0.0
            weights[key] = a * lo.weights[key] + b * hi.weights[key]
            moments[key] = (
                a * lo.moments[key][0] + b * hi.moments[key][0],
                a * lo.moments[key][1] + b * hi.moments[key][1],
            )
        return AcceptanceTable(
            mass=float(mass), z_nodes=lo.z_nodes, momentum=lo.momentum, weights=weights,
            moments=moments,
        )  # fmt: skip

    def production_strength(self, model: Model, masses: FloatArray) -> dict[str, FloatArray]:
        """Production strength per unit coupling^2 of each mechanism at each mass."""
        from darkreach.production.meson_decays import channel_branching_ratio
        from darkreach.production.proton_brem import (
            isoscalar_fraction,
            proton_coupling,
            proton_form_factor,
        )

        strengths: dict[str, FloatArray] = {}
        for mechanism in self.card.production.mechanisms:
            spec = MECHANISMS[mechanism]
            if spec is None:
                coupling = np.asarray(proton_coupling(model, masses), dtype=float)
                strength = np.where(masses < BREM_MASS_MAX, coupling**2, 0.0)
                if self.card.production.brem_form_factor == "vmd":
                    # the isoscalar share of eps_p is a property of the model (mass-free)
                    isoscalar = float(np.ravel(isoscalar_fraction(model, masses))[0])
                    form = np.asarray(proton_form_factor(masses, isoscalar), dtype=float)
                    strength = strength * form
                strengths[mechanism] = strength
            else:
                strengths[mechanism] = np.asarray(
                    channel_branching_ratio(spec[2], masses, model), dtype=float
                )
        return strengths

    def unit_tables(self, model: Model, masses: FloatArray) -> tuple[FloatArray, FloatArray]:
        """(W, p): accepted X per POT per g^2, shape (mass, channel, bin, node); bin momenta."""
        strengths = self.production_strength(model, masses)
        tables = [self.acceptance_table(float(m)) for m in masses]
        n_bins = self.settings.momentum_bins
        w = np.zeros((masses.size, len(self.final_states), n_bins, self.settings.decay_nodes))
        for i, table in enumerate(tables):
            for j, state in enumerate(self.final_states):
                for mechanism, strength in strengths.items():
                    w[i, j] += strength[i] * table.weights[(mechanism, state.channel)]
        return w, tables[0].momentum if tables else np.zeros(n_bins)

    def efficiencies(self, masses: FloatArray) -> FloatArray:
        """Selection efficiency of each channel at each mass, shape (mass, channel)."""
        return np.stack([c.efficiency(masses) for c in self.card.channels], axis=-1)

    def mc_relative_error(self, model: Model, masses: FloatArray) -> FloatArray:
        """Relative Monte Carlo error of the long-lifetime yield at each mass (0 if empty)."""
        m = self.check_masses(masses)
        strengths = self.production_strength(model, m)
        efficiency = self.efficiencies(m)
        errors = np.zeros(m.size)
        for i, mass in enumerate(m):
            table = self.acceptance_table(float(mass))
            total = 0.0
            square = 0.0
            for j, state in enumerate(self.final_states):
                for mechanism, strength in strengths.items():
                    s1, s2 = table.moments[(mechanism, state.channel)]
                    total += efficiency[i, j] * strength[i] * s1
                    square += (efficiency[i, j] * strength[i]) ** 2 * s2
            errors[i] = np.sqrt(square) / total if total > 0 else 0.0
        return errors

    # ----------------------------------------------------------------- yields
    def _widths(self, model: Model, masses: FloatArray) -> _Widths:
        """Gamma_tot(g) and BR(channel)(g); precomputed when they scale as g^2 (the usual)."""
        channels = [state.channel for state in self.final_states]

        def ratios_at(g: FloatArray) -> FloatArray:
            ratios = model.branching_ratios(masses, g)
            return np.stack(
                [np.nan_to_num(np.asarray(ratios.get(c, 0.0 * g)), nan=0.0) for c in channels],
                axis=-1,
            ) * np.ones((masses.size, 1))

        g1 = np.full(masses.size, 1e-6)
        g2 = np.full(masses.size, 1e-3)
        total1 = np.asarray(model.total_width(masses, g1), dtype=float)
        total2 = np.asarray(model.total_width(masses, g2), dtype=float)
        ratio1 = ratios_at(g1)
        ratio2 = ratios_at(g2)
        scales = np.allclose(total2, total1 * 1e6, rtol=1e-9, atol=0.0) and np.allclose(
            ratio1, ratio2, rtol=1e-9, atol=1e-15
        )
        if scales:
            gamma1 = total1 / 1e-12

            def total(g: FloatArray) -> FloatArray:
                return np.asarray(gamma1 * g * g, dtype=float)

            return _Widths(total=total, ratios=lambda g: ratio1)
        return _Widths(
            total=lambda g: np.asarray(model.total_width(masses, g), dtype=float),
            ratios=ratios_at,
        )

    def _yield_function(
        self, model: Model, masses: FloatArray
    ) -> Callable[[FloatArray], FloatArray]:
        """g (n_mass,) -> N (n_mass,) for fixed masses (tables and widths prepared once)."""
        self.require_model(model)
        w, momentum = self.unit_tables(model, masses)
        w = w * self.efficiencies(masses)[:, :, None, None]
        widths = self._widths(model, masses)
        z0 = self.geometry.z_dump
        z_nodes = np.linspace(self.geometry.z_start, self.geometry.z_end, self.settings.decay_nodes)
        keep = np.any(w > 0.0, axis=(0, 1, 3))  # momentum bins with any accepted weight
        w = w[:, :, keep, :]
        p = momentum[keep]

        def yields(g: FloatArray) -> FloatArray:
            g = np.asarray(g, dtype=float)
            gamma = widths.total(g)
            safe = np.where(gamma > 0.0, gamma, 1.0)
            ctau = np.where(gamma > 0.0, hbarc / safe, np.inf)
            lam = (p[None, :] / masses[:, None]) * ctau[:, None]  # (mass, bin)
            prob = accepted_decay_probability(z_nodes, w, z0, lam[:, None, :])
            per_channel = prob.sum(axis=-1)  # (mass, channel)
            n = self.pot * g * g * np.sum(per_channel * widths.ratios(g), axis=-1)
            return np.asarray(n, dtype=float)

        return yields

    def signal_yield(self, model: Model, masses: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """Expected signal events after selection at each mass [MeV] and coupling."""
        self.require_model(model)
        m = self.check_masses(masses)
        g = np.broadcast_to(np.asarray(coupling, dtype=float), m.shape).copy()
        if np.any(~np.isfinite(g) | (g < 0)):
            raise InvalidParameterError("coupling", float(np.min(g)), ">= 0")
        return self._yield_function(model, m)(g)

    # ----------------------------------------------------------------- statistics
    def observed_counts(self, masses: FloatArray) -> FloatArray:
        """Observed events counted at each X mass (sum over channels of events in window)."""
        counts = np.zeros(masses.size)
        for channel in self.card.channels:
            for event in channel.observed_events:
                centre = event.mass.quantity("energy", "observed_events.mass")
                half = event.window.quantity("energy", "observed_events.window")
                counts += np.abs(masses - centre) <= half
        return counts

    def calibration_inputs(
        self, masses: FloatArray, cl: float, method: str
    ) -> tuple[FloatArray, FloatArray]:
        """(event limit s_up, efficiency) at ``masses`` [MeV] for :mod:`darkreach.calibrate`:
        one channel only (the event limit varies with mass where events were observed)."""
        if len(self.card.channels) != 1:
            raise InvalidParameterError(
                "CARD",
                self.name,
                "a beam-dump card with one channel (calibrate each channel's own card)",
            )
        return self.signal_limits(masses, cl, method), self.efficiencies(masses)[:, 0]

    def signal_limits(self, masses: FloatArray, cl: float, method: str) -> FloatArray:
        """The event limit s_up at each mass: observed (data) or expected median."""
        from darkreach.stats import expected_limits, upper_limit

        stats = self.card.statistics
        b = float(sum(c.background.number() for c in self.card.channels))
        db = float(
            np.sqrt(
                sum(
                    c.background.uncertainty_quantity("dimensionless") ** 2
                    for c in self.card.channels
                )
            )
        )
        db = db if b > 0.0 else 0.0
        if self.card.kind != "data":
            median = expected_limits(
                b,
                cl=cl,
                method=method,  # type: ignore[arg-type]
                background_uncertainty=db,
            ).median
            return np.full(masses.size, median)
        counts = self.observed_counts(masses).astype(int)
        limits = {
            n: upper_limit(
                int(n),
                b,
                cl=cl,
                method=method,  # type: ignore[arg-type]
                background_uncertainty=db,
                signal_uncertainty=stats.signal_uncertainty,
            )
            for n in sorted(set(counts.tolist()))
        }
        return np.array([limits[int(n)] for n in counts])

    @staticmethod
    def _gaps(
        yields: Callable[[FloatArray], FloatArray],
        limit: FloatArray,
        g_low: FloatArray,
        g_high: FloatArray,
        points: int = 33,
    ) -> NDArray[np.bool_]:
        """Masses where N(g) < s_up somewhere strictly between the edges (islands)."""
        closed = np.isfinite(g_low) & np.isfinite(g_high)
        gaps = np.zeros(g_low.size, dtype=bool)
        if not closed.any():
            return gaps
        lo = np.where(closed, np.log(np.where(closed, g_low, 1.0)), 0.0)
        hi = np.where(closed, np.log(np.where(closed, g_high, 1.0)), 0.0)
        for t in np.linspace(0.0, 1.0, points)[1:-1]:
            g = np.exp(lo + t * (hi - lo))
            gaps |= closed & (yields(g) < limit * (1.0 - 1e-9))
        return gaps

    def reach(
        self, model: Model, masses: ArrayLike, *, cl: float | None = None, method: str | None = None
    ) -> ReachCurve:
        """Lower and upper edges of the excluded (or reachable) coupling at each mass [MeV].

        Masses below the lightest channel's threshold or above the production range get NaN
        (so cards can share a grid); both edges are NaN where nothing is excluded.
        """
        self.require_model(model)
        m = checked_array(masses, "mass", unit="MeV").reshape(-1)
        cl = self.card.statistics.cl if cl is None else cl
        method = self.card.statistics.method if method is None else method
        if method not in ("classical", "cls", "fc"):
            raise InvalidParameterError(
                "method", method, f"classical, cls, fc for card {self.name}"
            )
        if not 0.0 < cl < 1.0:
            raise InvalidParameterError("cl", cl, "0 < CL < 1")
        low, high = self.mass_range()
        inside = np.flatnonzero((m > low) & (m < high))
        if inside.size == 0:
            channels = ", ".join(state.channel for state in self.final_states)
            raise InvalidParameterError(
                "mass",
                f"{float(m.min()):g} MeV"
                if m.min() == m.max()
                else f"{float(m.min()):g}-{float(m.max()):g} MeV",
                f"{low:.4g}-{high:.4g} MeV for card {self.name} ({channels} decays and its "
                "production mechanisms)",
            )
        lower = np.full(m.size, np.nan)
        upper = np.full(m.size, np.nan)
        notes: list[str] = []
        if inside.size:
            m_in = m[inside]
            limit = self.signal_limits(m_in, cl, method)
            yields = self._yield_function(model, m_in)
            g_low, g_high = coupling_interval(
                yields, limit, m_in.size, g_min=G_RANGE[0], g_max=G_RANGE[1],
                grid_points=97, iterations=32,
            )  # fmt: skip
            lower[inside] = g_low
            upper[inside] = g_high
            gaps = self._gaps(yields, limit, g_low, g_high)
            if gaps.any():
                listed = ", ".join(f"{v:.4g}" for v in m_in[gaps][:5])
                notes.append(
                    f"the excluded couplings are not one interval at {int(gaps.sum())} "
                    f"mass(es) ({listed} MeV ...): the yield dips below the limit between "
                    "the edges; coupling/coupling_upper give the outer edges"
                )
            error = self.mc_relative_error(model, m_in)
            finite = np.isfinite(g_low)
            if np.any(finite):
                worst = float(np.max(error[finite]))
                notes.append(
                    f"Monte Carlo: {self.settings.samples} X per mechanism and mass (seed "
                    f"{self.settings.seed}); largest statistical error of the lower edge "
                    f"{100 * worst / 4:.1f} % (N ~ g^4 there; the upper edge moves much less)"
                )
        mechanisms = ", ".join(self.card.production.mechanisms)
        notes.append(
            f"production: {mechanisms} (meson spectra: {self.card.production.meson_spectra}); "
            f"{self.pot:.3g} POT; decay volume {self.geometry.distance_to_start / 1000:.1f}-"
            f"{self.geometry.distance_to_end / 1000:.1f} m from the dump"
        )
        return ReachCurve(
            card=self.name,
            card_title=self.title,
            model=model.name,
            model_label=model.label,
            coupling_symbol=model.coupling_symbol,
            masses=m,
            coupling=lower,
            cl=cl,
            method=method,
            kind=self.card.curve_kind,
            coupling_upper=upper,
            notes=tuple(notes),
        )
