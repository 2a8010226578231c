"""Thermal-relic targets: the mediator coupling giving Omega h^2 = 0.12, and the variable y.

Handbook relic.md sections 2, 3 and 6. For each dark-matter mass m_chi (mediator mass
M = ratio * m_chi, dark coupling alpha_D) the coupling of the mediator to the Standard Model
(g of the L_mu-L_tau Z', or eps of the dark photon) is found such that the freeze-out
abundance (:mod:`~darkreach.physics.relic.boltzmann`) equals the observed one.

**The variable y.** With g_SM the mediator's coupling to the muon (g for L_mu-L_tau,
eps e for the dark photon) and r = m_chi/M, relic.md 2 lists three conventions:

- ``"a"``: ``y = g_SM^2 alpha_D r^4``
- ``"b"``: ``y = g_SM^2 alpha_D r^4 / (4 pi alpha)`` (for the dark photon exactly the standard
  ``y = eps^2 alpha_D r^4``, verified: [T1], [T4], [T5])
- ``"c"``: ``y = g_SM^2 g_chi^2 r^4`` (NA64mu talks [T2], [T5], verified; M^3 y curves)

with y_c = 4 pi y_a and y_b = y_a/(4 pi alpha) (validation RE-6).

**Default: convention (b).** Reasons: (1) for the dark photon it *is* the standard y of the
literature, so one definition serves both mediators and L_mu-L_tau curves can be overlaid on
dark-photon y-plots (NA64e, ESPP PPG) without rescaling; (2) sigma v ~ 16 pi^2 alpha y/m^2
depends on y only, so an L_mu-L_tau target with neutrino final states coincides with the
dark-photon target with e+e- only (relic.md 2, validation RE-4) and targets of different
mediators are directly comparable; (3) it differs from the NA64mu convention (c) by only
16 pi^2 alpha = 1.152, whereas (a) differs by 4 pi. Convention (b) for the L_mu-L_tau Z' has
no pinned primary source (relic.md 2: unverified: confirm before relying); every plot prints
the convention on its axis, and all three values are returned.

Scope and cut-offs:

- Dark photon: the final states are e, mu, tau only (no R-ratio data are shipped). Targets
  are flagged ``complete`` only for m_chi < m_pi+ (139.6 MeV), where the thermal tail above
  the pi+ pi- threshold changes sigma v by well under 1 % (estimate, unverified; pi0 gamma,
  open above m_pi0, has an R-ratio contribution at the per-mille level off the omega peak,
  unverified). Above, the leptons-only coupling is an upper bound on the true target and a
  :class:`RelicWarning` is issued. The dark photon needs m_chi > m_e.
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

import csv
import io
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike

from darkreach._version import __version__
from darkreach.array_types import BoolArray, FloatArray
from darkreach.constants import alpha_em, m_e, m_pi_charged
from darkreach.errors import InvalidParameterError
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.lmu_ltau import LmuLtauZPrime
from darkreach.physics.relic.annihilation import (
    DM_KINDS,
    Width,
    final_states_from_couplings,
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

__all__ = [
    "BROAD_WIDTH",
    "DEFAULT_Y_CONVENTION",
    "DM_ALIASES",
    "HADRONIC_CUTOFF",
    "MEDIATORS",
    "Mediator",
    "RelicTargets",
    "RelicWarning",
    "YConvention",
    "coupling_from_y",
    "normalise_dm_kind",
    "omega_h2_at",
    "relic_targets",
    "targets_csv_text",
    "y_axis_label",
    "y_definition",
    "y_from_coupling",
]

Mediator = Literal["lmu-ltau", "dark-photon"]
MEDIATORS: tuple[str, ...] = get_args(Mediator)
YConvention = Literal["a", "b", "c"]
Y_CONVENTIONS: tuple[str, ...] = get_args(YConvention)
#: The default y convention (see the module docstring for the reasons).
DEFAULT_Y_CONVENTION: YConvention = "b"
#: Dark-photon targets are complete (leptons suffice) only below this m_chi [MeV].
HADRONIC_CUTOFF: float = m_pi_charged
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


def _check_mediator(mediator: str) -> None:
    if mediator not in MEDIATORS:
        raise InvalidParameterError("mediator", repr(mediator), ", ".join(MEDIATORS))


def _check_convention(convention: str) -> None:
    if convention not in Y_CONVENTIONS:
        raise InvalidParameterError("y convention", repr(convention), "a, b, c (relic.md 2)")


def _check_alpha_d(alpha_d: float) -> None:
    if not (math.isfinite(alpha_d) and 0.0 < alpha_d < 4.0 * math.pi):
        raise InvalidParameterError("alpha_D", alpha_d, "0 < alpha_D < 4 pi")


def _check_ratio(ratio: float) -> None:
    if not (math.isfinite(ratio) and ratio > 0.0):
        raise InvalidParameterError("ratio", ratio, "m_mediator/m_chi finite and > 0")


def _sm_coupling_sq(coupling: FloatArray, mediator: str) -> FloatArray:
    """g_SM^2: g^2 (L_mu-L_tau) or (eps e)^2 = 4 pi alpha eps^2 (dark photon)."""
    if mediator == "dark-photon":
        return np.asarray(4.0 * math.pi * alpha_em * coupling * coupling, dtype=np.float64)
    return np.asarray(coupling * coupling, dtype=np.float64)


def _y_per_g_sm_sq(alpha_d: float, ratio: float, convention: str) -> float:
    r4 = ratio**-4
    if convention == "a":
        return alpha_d * r4
    if convention == "b":
        return alpha_d * r4 / (4.0 * math.pi * alpha_em)
    return 4.0 * math.pi * alpha_d * r4


def y_from_coupling(
    coupling: ArrayLike,
    *,
    mediator: str,
    alpha_d: float,
    ratio: float,
    convention: str = DEFAULT_Y_CONVENTION,
) -> FloatArray:
    """y from the mediator coupling (g or eps) in convention a, b or c (relic.md 2).

    ``ratio`` = M/m_chi (so r = 1/ratio). Dimensionless in and out.
    """
    _check_mediator(mediator)
    _check_convention(convention)
    _check_alpha_d(alpha_d)
    _check_ratio(ratio)
    g = np.asarray(coupling, dtype=np.float64)
    return np.asarray(
        _sm_coupling_sq(g, mediator) * _y_per_g_sm_sq(alpha_d, ratio, convention),
        dtype=np.float64,
    )


def coupling_from_y(
    y: ArrayLike,
    *,
    mediator: str,
    alpha_d: float,
    ratio: float,
    convention: str = DEFAULT_Y_CONVENTION,
) -> FloatArray:
    """Inverse of :func:`y_from_coupling`: g (L_mu-L_tau) or eps (dark photon)."""
    _check_mediator(mediator)
    _check_convention(convention)
    _check_alpha_d(alpha_d)
    _check_ratio(ratio)
    g_sm_sq = np.asarray(y, dtype=np.float64) / _y_per_g_sm_sq(alpha_d, ratio, convention)
    if mediator == "dark-photon":
        g_sm_sq = g_sm_sq / (4.0 * math.pi * alpha_em)
    return np.asarray(np.sqrt(g_sm_sq), dtype=np.float64)


def y_definition(mediator: str, convention: str = DEFAULT_Y_CONVENTION) -> str:
    """Plain-text definition of y, e.g. ``"y = g^2 alpha_D (m_chi/m_Z')^4 / (4 pi alpha)"``."""
    _check_mediator(mediator)
    _check_convention(convention)
    coupling, med = ("(eps e)^2", "m_A'") if mediator == "dark-photon" else ("g^2", "m_Z'")
    if mediator == "dark-photon" and convention == "b":
        return "y = eps^2 alpha_D (m_chi/m_A')^4  [convention (b)]"
    body = {
        "a": f"{coupling} alpha_D (m_chi/{med})^4",
        "b": f"{coupling} alpha_D (m_chi/{med})^4 / (4 pi alpha)",
        "c": f"{coupling} g_chi^2 (m_chi/{med})^4",
    }[convention]
    return f"y = {body}  [convention ({convention})]"


def y_axis_label(mediator: str, convention: str = DEFAULT_Y_CONVENTION) -> str:
    """Axis label (mathtext) stating the y definition, e.g. for plots."""
    _check_mediator(mediator)
    _check_convention(convention)
    if mediator == "dark-photon":
        coupling, med = r"(\epsilon e)^2", "A'"
        if convention == "b":
            return r"$y = \epsilon^2\,\alpha_D\,(m_\chi/m_{A'})^4$  [convention (b)]"
    else:
        coupling, med = "g^2", "Z'"
    ratio = rf"(m_\chi/m_{{{med}}})^4"
    if convention == "a":
        body = rf"{coupling}\,\alpha_D\,{ratio}"
    elif convention == "b":
        body = rf"\frac{{{coupling}}}{{4\pi\alpha}}\,\alpha_D\,{ratio}"
    else:
        body = rf"{coupling}\,g_\chi^2\,{ratio}"
    return rf"$y = {body}$  [convention ({convention})]"


@dataclass(frozen=True)
class RelicTargets:
    """Thermal targets for one DM type and mediator over a set of masses.

    ``m_chi`` [MeV]; ``coupling`` is g (L_mu-L_tau) or eps (dark photon) giving
    ``omega_h2_target``; ``omega_h2_check`` the relic density recomputed at that coupling
    with tighter numerical settings (NaN if not computed); ``converged`` whether the
    coupling search met its tolerance; ``complete`` whether all relevant final states are
    included (dark photon: m_chi below the hadronic cut-off). Masses of the mediator are
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
        return DarkPhoton(dark_matter=dm, warn_hadrons=False)
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
            final_states=final_states_from_couplings(self.model.fermion_couplings()),
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
    m = np.atleast_1d(np.asarray(masses, dtype=np.float64))
    if m.ndim != 1 or m.size == 0:
        raise InvalidParameterError("mass", masses, "one or more masses")
    bad = ~(np.isfinite(m) & (m > 0.0))
    if np.any(bad):
        raise InvalidParameterError("mass", float(m[bad][0]), "finite and > 0 MeV")
    if mediator == "dark-photon" and np.any(m <= m_e):
        raise InvalidParameterError(
            "mass",
            float(m[m <= m_e][0]),
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
    if setup.mediator == "dark-photon" and np.any(masses >= HADRONIC_CUTOFF):
        notes.append(
            f"dark photon: hadronic final states are not included; targets for m_chi >= "
            f"{HADRONIC_CUTOFF:.1f} MeV (m_pi+) are leptons-only upper bounds on the coupling"
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
    if mediator == "dark-photon":
        complete = m < HADRONIC_CUTOFF
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


def targets_csv_text(targets: Sequence[RelicTargets]) -> str:
    """CSV text of one or several target sets, with a self-describing ``#`` header.

    Columns: ``dm, m_chi_MeV, m_mediator_MeV, coupling, y_a, y_b, y_c, omega_h2_check,
    converged, complete``.
    """
    buffer = io.StringIO()
    buffer.write(f"# darkreach {__version__} thermal-relic targets (handbook relic.md)\n")
    for t in targets:
        buffer.write(
            f"# dm: {t.dm_kind}; mediator: {t.mediator}; coupling: {t.coupling_symbol}; "
            f"M/m_chi: {t.ratio:g}; alpha_D: {t.alpha_d:g}; delta: {t.delta:g}; "
            f"neutrinos: {t.neutrinos}; Omega h^2: {t.omega_h2_target:g}; dof: {t.dof_table}; "
            f"width: {'running' if t.running_width else 'constant'}\n"
        )
        for note in t.notes:
            buffer.write(f"#   {t.dm_kind}: {note}\n")
    buffer.write(
        "# y_a = g_SM^2 alpha_D (m_chi/M)^4; y_b = y_a/(4 pi alpha); y_c = 4 pi y_a; "
        "g_SM = g (L_mu-L_tau) or eps e (dark photon); default convention: "
        f"({DEFAULT_Y_CONVENTION})\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "dm",
            "m_chi_MeV",
            "m_mediator_MeV",
            "coupling",
            "y_a",
            "y_b",
            "y_c",
            "omega_h2_check",
            "converged",
            "complete",
        ]
    )

    def fmt(value: float) -> str:
        return f"{value:.6e}" if math.isfinite(value) else ""

    for t in targets:
        ys = [t.y(c) for c in Y_CONVENTIONS]
        for i, mass in enumerate(t.m_chi):
            writer.writerow(
                [
                    t.dm_kind,
                    fmt(mass),
                    fmt(t.mediator_mass[i]),
                    fmt(t.coupling[i]),
                    *(fmt(y[i]) for y in ys),
                    fmt(t.omega_h2_check[i]),
                    int(t.converged[i]),
                    int(t.complete[i]),
                ]
            )
    return buffer.getvalue()
