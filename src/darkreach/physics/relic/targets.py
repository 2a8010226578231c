"""Thermal-relic targets: the mediator coupling giving Omega h^2 = 0.12, and the variable y.

Handbook relic.md sections 2, 3 and 6. For each dark-matter mass m_chi (mediator mass
M = ratio * m_chi, dark coupling alpha_D) the coupling of the mediator to the Standard Model
(g of the L_mu-L_tau Z', or eps of the dark photon) is found such that the freeze-out
abundance (:mod:`~darkreach.physics.relic.boltzmann`) equals the observed one.

**The variable y** (conventions a, b, c; default b) is defined in
:mod:`~darkreach.physics.relic.yconventions`; its functions are re-exported here.

Scope and cut-offs:

- Dark photon: e, mu, tau and hadrons; the hadronic final state replaces the quark sum by
  ``e^2 R(s)`` (relic.md 1) with R from :mod:`darkreach.physics.hadrons` (VMD below 1.8 GeV,
  perturbative QCD above; its accuracy, 5-25 % in R depending on the region, is stated
  there). The rho, omega and phi peaks are quadrature breakpoints. The dark photon needs
  m_chi > m_e.
- L_mu-L_tau: nu_mu, nu_tau (left-handed or Dirac per the model), mu, tau. The loop-induced
  e+e- channel (~2e-5 of the neutrino rate) is neglected.
- Mass ratio M/m_chi < 2.5: near or past the resonance; the target depends on the width and
  on alpha_D (relic.md 5), and kinetic decoupling (not modelled) matters; warned. For
  M < m_chi the secluded channel chi chi -> V V opens and is not included; warned.
- Pseudo-Dirac: relative splitting ``delta = (m_2 - m_1)/m_1`` (default 0), equal-mass
  kinematics at the mean mass for the chi_1 chi_2 cross section, chi_2 in chemical equilibrium
  with chi_1 through freeze-out and decaying afterwards (see the annihilation and boltzmann
  modules); intended for delta <~ 0.1.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import BoolArray, FloatArray
from darkreach.constants import m_e
from darkreach.errors import InvalidParameterError
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.lmu_ltau import LmuLtauZPrime
from darkreach.physics.hadrons import dark_photon_quarks
from darkreach.physics.relic.annihilation import (
    DM_KINDS,
    FinalState,
    Width,
    final_states_from_couplings,
    hadronic_final_state,
    resonance_position,
    thermal_average,
)
from darkreach.physics.relic.boltzmann import (
    OMEGA_H2_OBSERVED,
    BoltzmannProblem,
    SolverSettings,
    dark_states,
)
from darkreach.physics.relic.dof import DofTable, load_dof_table
from darkreach.physics.relic.yconventions import (
    DEFAULT_Y_CONVENTION,
    MEDIATORS,
    Mediator,
    YConvention,
    _check_alpha_d,
    _check_convention,
    _check_mediator,
    _check_ratio,
    coupling_from_y,
    y_axis_label,
    y_definition,
    y_from_coupling,
)
from darkreach.validate import checked_array

__all__ = [
    "BROAD_WIDTH",
    "DEFAULT_Y_CONVENTION",
    "DM_ALIASES",
    "MASS_RANGE",
    "MASS_RANGE_TEXT",
    "MEDIATORS",
    "Mediator",
    "RelicTargets",
    "RelicWarning",
    "YConvention",
    "coupling_from_y",
    "normalise_dm_kind",
    "omega_h2_at",
    "relic_targets",
    "y_axis_label",
    "y_definition",
    "y_from_coupling",
]

#: Dark-matter masses [MeV] accepted for relic targets: 10 keV to 10 TeV. Below, freeze-out
#: happens long after BBN (and the single-temperature bath assumption fails); above, the
#: shipped dof table ends (12.6 TeV) and the coupling approaches the perturbative limit.
MASS_RANGE: tuple[float, float] = (0.01, 1e7)
MASS_RANGE_TEXT = "0.01 MeV <= m_chi <= 10 TeV (1e7 MeV)"
#: Gamma(mediator -> DM)/M above which a warning says the Breit-Wigner form is unreliable.
BROAD_WIDTH: float = 0.5
#: Accepted spellings of the dark-matter types.
DM_ALIASES: dict[str, str] = {"scalar": "complex-scalar"} | {k: k for k in DM_KINDS}
#: Initial guess of the SM coupling for the width (refined by fixed-point iterations).
_COUPLING_GUESS = 1e-4


class RelicWarning(UserWarning):
    """A relic target is outside the regime where it is reliable (resonance, hadrons, ...)."""


def normalise_dm_kind(kind: str) -> str:
    """``"scalar"`` -> ``"complex-scalar"``; other names checked against the four types."""
    if kind not in DM_ALIASES:
        raise InvalidParameterError("dm", repr(kind), "scalar, majorana, pseudo-dirac, dirac")
    return DM_ALIASES[kind]


@dataclass(frozen=True)
class RelicTargets:
    """Thermal targets for one DM type and mediator over a set of masses.

    ``m_chi`` [MeV]; ``coupling`` is g (L_mu-L_tau) or eps (dark photon) giving
    ``omega_h2_target``; ``omega_h2_check`` the relic density recomputed at that coupling
    with tighter numerical settings (NaN if not computed); ``converged`` whether the
    coupling search met its tolerance; ``complete`` whether all relevant final states are
    included (always true since the dark photon has its hadronic channel). Masses of the
    mediator are
    ``ratio * m_chi``.
    """

    mediator: str
    dm_kind: str
    ratio: float
    alpha_d: float
    delta: float
    neutrinos: str
    y_convention: str
    omega_h2_target: float
    dof_table: str
    m_chi: FloatArray
    coupling: FloatArray
    omega_h2_check: FloatArray
    converged: BoolArray
    complete: BoolArray
    notes: tuple[str, ...] = field(default_factory=tuple)
    running_width: bool = True

    @property
    def mediator_mass(self) -> FloatArray:
        """M = ratio * m_chi [MeV]."""
        return np.asarray(self.ratio * self.m_chi, dtype=np.float64)

    @property
    def coupling_symbol(self) -> str:
        """``"g"`` or ``"epsilon"``."""
        return "epsilon" if self.mediator == "dark-photon" else "g"

    def y(self, convention: str | None = None) -> FloatArray:
        """y in ``convention`` (default: the one the targets were requested in)."""
        return y_from_coupling(
            self.coupling,
            mediator=self.mediator,
            alpha_d=self.alpha_d,
            ratio=self.ratio,
            convention=convention or self.y_convention,
        )

    @property
    def label(self) -> str:
        """Short legend text, e.g. ``"complex scalar"``."""
        names = {
            "complex-scalar": "complex scalar",
            "majorana": "Majorana",
            "pseudo-dirac": "pseudo-Dirac",
            "dirac": "Dirac",
        }
        text = names[self.dm_kind]
        if self.dm_kind == "pseudo-dirac":
            text += rf" ($\Delta/m_\chi$ = {self.delta:g})"
        return text


def _build_model(
    mediator: str,
    kind: str,
    ratio: float,
    alpha_d: float,
    delta: float,
    neutrinos: str,
    m_chi: float | None = None,
) -> LmuLtauZPrime | DarkPhoton:
    dm = DarkMatter(
        kind=kind,  # type: ignore[arg-type]
        mass_ratio=ratio,
        alpha_d=alpha_d,
        delta=delta,
        m_chi=m_chi,
    )
    if mediator == "dark-photon":
        return DarkPhoton(dark_matter=dm)
    return LmuLtauZPrime(neutrinos=neutrinos, dark_matter=dm)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Setup:
    mediator: str
    kind: str
    ratio: float
    alpha_d: float
    delta: float
    neutrinos: str
    running_width: bool
    model: LmuLtauZPrime | DarkPhoton
    settings: SolverSettings
    table: DofTable

    @property
    def resonance_u(self) -> float | None:
        u = resonance_position(self.ratio, self.kind, self.delta)
        return u if u > 0.0 else None

    def width(self, m_chi: float, coupling: float) -> float:
        """Total mediator width at its pole [MeV]."""
        return float(self.model.total_width(self.ratio * m_chi, coupling))

    def propagator_width(self, m_chi: float, coupling: float) -> Width:
        """Constant pole width, or Gamma(sqrt(s)) with the dark-matter mass held fixed."""
        if not self.running_width:
            return self.width(m_chi, coupling)
        fixed = _build_model(
            self.mediator, self.kind, self.ratio, self.alpha_d, self.delta, self.neutrinos, m_chi
        )

        def running(sqrt_s: FloatArray) -> FloatArray:
            return fixed.total_width(sqrt_s, coupling)

        return running

    def final_states(self) -> tuple[FinalState, ...]:
        """Leptons from the model's couplings; the dark photon adds hadrons (R ratio)."""
        states = final_states_from_couplings(self.model.fermion_couplings())
        if self.mediator == "dark-photon":
            states = (*states, hadronic_final_state(dark_photon_quarks(1.0)))
        return states

    def sigma_v_eff(self, m_chi: float, coupling: float) -> FloatArray:
        """<sigma v>_eff per unit coupling^2 on the settings' x grid [MeV^-2]; the width is
        evaluated at ``coupling``."""
        x = self.settings.sigma_v_grid(self.resonance_u)
        width = self.propagator_width(m_chi, coupling)
        sv = thermal_average(
            x,
            m_chi,
            kind=self.kind,
            alpha_d=self.alpha_d,
            mediator_mass=self.ratio * m_chi,
            width=width,
            final_states=self.final_states(),
            coupling=1.0,
            delta=self.delta,
        )
        states = dark_states(self.kind, self.delta)
        return np.asarray(sv * states.sigma_v_factor(x), dtype=np.float64)

    def problem(self, masses: FloatArray, sigma_v: FloatArray) -> BoltzmannProblem:
        return BoltzmannProblem.build(
            masses,
            self.settings.sigma_v_grid(self.resonance_u),
            sigma_v,
            self.settings.ode_grid(self.resonance_u),
            dark_states(self.kind, self.delta),
            self.table,
        )


def _setup(
    mediator: str,
    dm: str,
    ratio: float,
    alpha_d: float,
    delta: float,
    neutrinos: str,
    settings: SolverSettings | None,
    table: DofTable | None,
    running_width: bool = True,
) -> _Setup:
    _check_mediator(mediator)
    kind = normalise_dm_kind(dm)
    _check_alpha_d(alpha_d)
    _check_ratio(ratio)
    model = _build_model(mediator, kind, ratio, alpha_d, delta, neutrinos)
    return _Setup(
        mediator=mediator,
        kind=kind,
        ratio=ratio,
        alpha_d=alpha_d,
        delta=delta,
        neutrinos=neutrinos,
        running_width=running_width,
        model=model,
        settings=settings or SolverSettings(),
        table=table or load_dof_table(),
    )


def _check_masses(masses: ArrayLike, mediator: str) -> FloatArray:
    """Masses m_chi [MeV] as a 1-D array: finite, > 0 and inside :data:`MASS_RANGE`
    (dark photon: above m_e)."""
    m = np.atleast_1d(checked_array(masses, "mass", unit="MeV"))
    if m.ndim != 1 or m.size == 0:
        raise InvalidParameterError("mass", masses, "one or more masses")
    low, high = MASS_RANGE
    outside = (m < low) | (m > high)
    if np.any(outside):
        raise InvalidParameterError("mass", f"{m[outside][0]:g} MeV", MASS_RANGE_TEXT)
    if mediator == "dark-photon" and np.any(m <= m_e):
        raise InvalidParameterError(
            "mass",
            f"{m[m <= m_e][0]:g} MeV",
            f"> m_e = {m_e:.4f} MeV for the dark photon (no open channel at rest below)",
        )
    return m


def _regime_warnings(setup: _Setup, masses: FloatArray) -> tuple[str, ...]:
    notes = []
    if setup.ratio <= 1.0:
        notes.append(
            f"M/m_chi = {setup.ratio:g} <= 1: chi chi -> mediator pairs (secluded annihilation) "
            "is open and not included; this is not the relic target"
        )
    elif setup.ratio <= 2.0:
        notes.append(
            f"M/m_chi = {setup.ratio:g} <= 2: past the resonance (m_chi >= M/2); the mediator "
            "cannot decay to dark matter and the target is sensitive to the mass ratio"
        )
    elif setup.ratio < 2.5:
        notes.append(
            f"M/m_chi = {setup.ratio:g} < 2.5: near the resonance; the target depends on the "
            "mediator width and alpha_D, and kinetic decoupling (not modelled) matters "
            "(relic.md 5)"
        )
    dm_width = float(setup.model.total_width(setup.ratio, 0.0)) / setup.ratio
    if dm_width > BROAD_WIDTH:
        notes.append(
            f"broad mediator: Gamma(-> dark matter)/M = {dm_width:.2g} > {BROAD_WIDTH:g} "
            f"(alpha_D = {setup.alpha_d:g}); a Breit-Wigner propagator is unreliable"
        )
    if setup.kind == "pseudo-dirac" and setup.delta > 0.1:
        notes.append(
            f"pseudo-Dirac splitting delta = {setup.delta:g} > 0.1: the equal-mass "
            "approximation of the chi_1 chi_2 cross section is stretched"
        )
    for note in notes:
        warnings.warn(note, RelicWarning, stacklevel=3)
    return tuple(notes)


def _solve_couplings(
    setup: _Setup,
    masses: FloatArray,
    omega_h2: float,
    progress: Callable[[int, int], None] | None,
) -> tuple[FloatArray, BoolArray]:
    """Coupling per mass, with fixed-point iterations for the coupling-dependent width."""
    n = masses.size
    guess = np.full(n, _COUPLING_GUESS)
    widths = np.array([setup.width(m, g) for m, g in zip(masses, guess, strict=True)])
    at = guess.copy()  # coupling at which the width is evaluated
    coupling = np.full(n, np.nan)
    converged = np.zeros(n, dtype=bool)
    todo = np.arange(n)
    sigma_v = np.empty((n, setup.settings.sigma_v_grid(setup.resonance_u).size))
    for iteration in range(setup.settings.max_width_iterations):
        for count, i in enumerate(todo):
            sigma_v[i] = setup.sigma_v_eff(float(masses[i]), float(at[i]))
            if progress is not None and iteration == 0:
                progress(count + 1, n)
        problem = setup.problem(masses[todo], sigma_v[todo])
        scale, ok = problem.solve_scale(omega_h2, tolerance=setup.settings.tolerance)
        new = np.sqrt(scale)
        old = coupling[todo]
        coupling[todo] = new
        converged[todo] = ok
        new_widths = np.array(
            [setup.width(float(masses[i]), float(g)) for i, g in zip(todo, new, strict=True)]
        )
        # the width matters only with a physical resonance; iterate where it changed
        changed = np.abs(new_widths - widths[todo]) > 1e-6 * new_widths
        moved = ~np.isfinite(old) | (
            np.abs(np.log(new / np.where(np.isfinite(old), old, 1.0))) > 1e-7
        )
        widths[todo] = new_widths
        at[todo] = new
        if setup.resonance_u is None:
            break
        again = changed & moved
        if not np.any(again):
            break
        todo = todo[again]
    else:
        converged[todo] = False
        warnings.warn(
            f"coupling search did not converge for {todo.size} mass(es) (width fixed-point); "
            "at a narrow resonance with a width dominated by the SM coupling the target is set "
            "by alpha_D rather than by the coupling",
            RelicWarning,
            stacklevel=3,
        )
    if not np.all(converged):
        bad = masses[~converged]
        warnings.warn(
            f"no converged relic coupling for {bad.size} mass(es), e.g. m_chi = {bad[0]:.4g} MeV",
            RelicWarning,
            stacklevel=3,
        )
    return coupling, converged


def omega_h2_at(
    masses: ArrayLike,
    coupling: ArrayLike,
    *,
    dm: str = "complex-scalar",
    mediator: str = "lmu-ltau",
    ratio: float = 3.0,
    alpha_d: float = 0.5,
    delta: float = 0.0,
    neutrinos: str = "left",
    running_width: bool = True,
    settings: SolverSettings | None = None,
    table: DofTable | None = None,
) -> FloatArray:
    """Omega h^2 for given masses m_chi [MeV] and couplings (g or eps), one per mass.

    Arguments as :func:`relic_targets`; the width is evaluated at the given coupling.
    """
    setup = _setup(mediator, dm, ratio, alpha_d, delta, neutrinos, settings, table, running_width)
    m = _check_masses(masses, mediator)
    g = np.broadcast_to(np.asarray(coupling, dtype=np.float64), m.shape)
    if np.any(~(np.isfinite(g) & (g > 0))):
        raise InvalidParameterError("coupling", float(np.min(g)), "finite and > 0")
    sigma_v = np.array(
        [setup.sigma_v_eff(float(mi), float(gi)) for mi, gi in zip(m, g, strict=True)]
    )
    return setup.problem(m, sigma_v).omega_h2(g * g)


def relic_targets(
    masses: ArrayLike,
    *,
    dm: str = "complex-scalar",
    mediator: str = "lmu-ltau",
    ratio: float = 3.0,
    alpha_d: float = 0.5,
    delta: float = 0.0,
    neutrinos: str = "left",
    running_width: bool = True,
    y_convention: str = DEFAULT_Y_CONVENTION,
    omega_h2: float = OMEGA_H2_OBSERVED,
    check: bool = True,
    settings: SolverSettings | None = None,
    table: DofTable | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RelicTargets:
    """Thermal targets: the coupling giving Omega h^2 = ``omega_h2`` for each m_chi [MeV].

    ``dm``: ``"scalar"``/``"complex-scalar"``, ``"majorana"``, ``"pseudo-dirac"``,
    ``"dirac"``; ``mediator``: ``"lmu-ltau"`` (coupling g) or ``"dark-photon"`` (eps);
    ``ratio`` = M/m_chi; ``alpha_d`` = g_chi^2/(4 pi); ``delta`` the pseudo-Dirac relative
    splitting; ``neutrinos`` the L_mu-L_tau neutrino counting (``"left"``/``"dirac"``);
    ``running_width``: energy-dependent width sqrt(s) Gamma(sqrt(s)) in the propagator
    (default) or the constant pole width of relic.md 1 (see
    :mod:`~darkreach.physics.relic.annihilation`);
    ``check`` recomputes Omega h^2 at the found couplings with tighter numerical settings;
    ``progress(done, total)`` is called after each mass's thermal average. Regime problems
    (near/past resonance, missing hadrons) emit :class:`RelicWarning` and are kept in
    ``notes``. See the module docstring for the physics scope.
    """
    _check_convention(y_convention)
    if not (math.isfinite(omega_h2) and omega_h2 > 0):
        raise InvalidParameterError("omega_h2", omega_h2, "> 0")
    setup = _setup(mediator, dm, ratio, alpha_d, delta, neutrinos, settings, table, running_width)
    m = _check_masses(masses, mediator)
    notes = _regime_warnings(setup, m)
    coupling, converged = _solve_couplings(setup, m, omega_h2, progress)
    if check:
        omega_check = np.full(m.size, np.nan)
        ok = np.isfinite(coupling)
        if np.any(ok):
            omega_check[ok] = omega_h2_at(
                m[ok],
                coupling[ok],
                dm=setup.kind,
                mediator=mediator,
                ratio=ratio,
                alpha_d=alpha_d,
                delta=delta,
                neutrinos=neutrinos,
                running_width=running_width,
                settings=setup.settings.tighter(),
                table=setup.table,
            )
    else:
        omega_check = np.full(m.size, np.nan)
    complete = np.ones(m.size, dtype=bool)
    return RelicTargets(
        mediator=mediator,
        dm_kind=setup.kind,
        ratio=ratio,
        alpha_d=alpha_d,
        delta=delta,
        neutrinos=neutrinos if mediator == "lmu-ltau" else "-",
        y_convention=y_convention,
        omega_h2_target=omega_h2,
        dof_table=setup.table.name,
        m_chi=m,
        coupling=coupling,
        omega_h2_check=omega_check,
        converged=converged,
        complete=complete,
        notes=notes,
        running_width=running_width,
    )
