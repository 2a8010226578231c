"""Lab spectra of neutral mesons from the 400 GeV/c SPS proton beam in the NA62 TAX (Cu), per POT.

Handbook electron_and_dump.md part B.3 ("meson spectra": the open item). Two sources share one
table shape, mesons per proton on target (POT) in bins of lab momentum p and polar angle theta
to the beam:

``"pythia8"``
    Tables generated once with Pythia 8 (``scripts/generate_meson_spectra.py``; provenance,
    version, seed, settings and licence in ``darkreach/data/meson_spectra/README.md``).
    Inelastic proton-nucleon collisions at 400 GeV/c on a nucleon at rest, p p and p n mixed in
    the copper proportion Z/A = 29/63.5; only the first proton-nucleon interaction is counted
    (cascade secondaries are neglected: they are soft and rarely inside the few-mrad NA62
    acceptance), and the proton interacts with probability ~1 in the ~22 lambda_I TAX, so
    "per POT" = "per inelastic pN interaction". Nuclear effects are not modelled.
``"bmpt"``
    The published BMPT parametrisation of the inclusive invariant cross sections of pi+ and pi-
    production by 400-450 GeV/c protons on beryllium (M. Bonesini, A. Marchionni, F. Pietropaolo,
    T. Tabarelli de Fatis, Eur. Phys. J. C 20 (2001) 13, arXiv:hep-ph/0101163), with
    pi0 = (pi+ + pi-)/2 (isospin), scaled from Be to Cu with the target-mass exponent
    alpha(x_F, p_T) that the paper uses for other targets, divided by the p-Cu inelastic cross
    section (per interacting proton); eta from m_T scaling of the pi0 (see :func:`bmpt_table`).
    Only ``pi0`` and ``eta`` exist for this source. ``"bmpt-be"``: the same on beryllium,
    without the A scaling (per p-Be interaction), to show the size of the nuclear correction.

The formula and parameters of BMPT are quoted from the paper as recalled and cross-checked
against a public implementation (aditya-marathe/msci-project pyosccalc/BMPTFlux.py, parameter
values only; that file writes a'(x_R) = a x_R^gamma, which contradicts the kaon case delta =
2 gamma, b' = a'^2/2, so the paper's a/x_R^gamma is used here): unverified: confirm before
relying. The normalisation cross sections are PDG nuclear interaction lengths (unverified).

Units: hepunits (momenta in MeV, angles in rad); tables are dimensionless counts per POT.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from particle import Particle

from darkreach.array_types import FloatArray
from darkreach.constants import m_pi0, m_proton
from darkreach.errors import InvalidParameterError
from darkreach.quadrature import gauss_legendre_on_bins
from darkreach.units import GeV

__all__ = [
    "ANGLE_EDGES",
    "MESONS",
    "MOMENTUM_EDGES",
    "PDG_IDS",
    "SOURCES",
    "MesonSpectrum",
    "bmpt_table",
    "load_spectrum",
    "read_spectrum_file",
    "sample_mesons",
    "spectrum_file",
]

#: The neutral mesons tabulated (names used everywhere in darkreach).
MESONS: tuple[str, ...] = ("pi0", "eta", "eta'", "omega", "rho0", "phi")
#: PDG Monte Carlo numbers of :data:`MESONS`.
PDG_IDS: dict[str, int] = {
    "pi0": 111,
    "eta": 221,
    "eta'": 331,
    "omega": 223,
    "rho0": 113,
    "phi": 333,
}
#: Known spectrum sources.
SOURCES: tuple[str, ...] = ("pythia8", "bmpt", "bmpt-be")
_BMPT_MESONS = ("pi0", "eta")

#: Lab momentum bin edges [MeV]: 55 log-spaced bins from 10 MeV to the 400 GeV beam momentum.
MOMENTUM_EDGES: FloatArray = np.geomspace(0.01, 400.0, 56) * GeV
#: Polar-angle bin edges [rad]: dense below 20 mrad (NA62 decay volume: theta <~ 10 mrad),
#: coarser up to 1 rad, and one overflow bin to pi.
_ANGLE_EDGES_MRAD = (
    *(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0),
    *(14.0, 16.0, 18.0, 20.0, 25.0, 30.0, 40.0, 50.0, 70.0, 100.0, 150.0, 200.0, 300.0),
    *(500.0, 1000.0, 1000.0 * math.pi),
)
ANGLE_EDGES: FloatArray = np.array(_ANGLE_EDGES_MRAD) * 1e-3
MOMENTUM_EDGES.setflags(write=False)
ANGLE_EDGES.setflags(write=False)

_FILE_KEYS: dict[str, str] = {
    "pi0": "pi0",
    "eta": "eta",
    "eta'": "etaprime",
    "omega": "omega",
    "rho0": "rho0",
    "phi": "phi",
}
_DATA_FILES: dict[str, str] = {"pythia8": "pythia8.npz"}


@dataclass(frozen=True)
class MesonSpectrum:
    """Mesons per POT in bins of lab momentum and polar angle (arrays are read-only).

    ``per_pot[i, j]`` counts mesons with ``momentum_edges[i] <= p < momentum_edges[i + 1]``
    (MeV) and ``angle_edges[j] <= theta < angle_edges[j + 1]`` (rad); ``stat_error`` is its
    absolute statistical (Monte Carlo) error, zero for an analytic parametrisation.
    """

    meson: str
    momentum_edges: FloatArray
    angle_edges: FloatArray
    per_pot: FloatArray
    stat_error: FloatArray
    source: str

    @property
    def multiplicity(self) -> float:
        """Total mesons per POT in the table (all bins)."""
        return float(self.per_pot.sum())

    def multiplicity_within(
        self, max_angle: float | None = None, min_momentum: float | None = None
    ) -> float:
        """Mesons per POT with theta < max_angle [rad] and p > min_momentum [MeV].

        A bin cut by a limit contributes the fraction of it that the sampler would keep:
        uniform in solid angle for theta, uniform in ln p for the momentum.
        """
        wt = _angle_fraction(self.angle_edges, max_angle)
        wp = _momentum_fraction(self.momentum_edges, min_momentum)
        return float(wp @ self.per_pot @ wt)


def _read_only(a: FloatArray) -> FloatArray:
    a = np.ascontiguousarray(a, dtype=np.float64)
    a.setflags(write=False)
    return a


def _angle_fraction(edges: FloatArray, max_angle: float | None) -> FloatArray:
    """Fraction of each theta bin's solid angle below ``max_angle`` (1 everywhere if None)."""
    if max_angle is None:
        return np.ones(edges.size - 1)
    u = np.sin(0.5 * edges) ** 2  # (1 - cos theta)/2, precise at small theta
    u_max = math.sin(0.5 * min(max_angle, math.pi)) ** 2
    return np.asarray(np.clip((u_max - u[:-1]) / (u[1:] - u[:-1]), 0.0, 1.0))


def _momentum_fraction(edges: FloatArray, min_momentum: float | None) -> FloatArray:
    """Fraction of each ln p bin above ``min_momentum`` (1 everywhere if None)."""
    if min_momentum is None:
        return np.ones(edges.size - 1)
    lg = np.log(edges)
    lo = math.log(min_momentum) if min_momentum > 0 else -math.inf
    return np.asarray(np.clip((lg[1:] - lo) / (lg[1:] - lg[:-1]), 0.0, 1.0))


def _check_meson(meson: object, allowed: tuple[str, ...] = MESONS) -> str:
    if not isinstance(meson, str) or meson not in allowed:
        raise InvalidParameterError("meson", meson, ", ".join(allowed))
    return meson


def _bad_file(path: object, why: str) -> InvalidParameterError:
    return InvalidParameterError(
        "meson spectrum file",
        path,
        "an .npz with momentum_edges_gev, angle_edges_rad, <meson>_per_pot, "
        "<meson>_stat_error, source",
        why,
    )


def read_spectrum_file(path: str | Path, meson: str) -> MesonSpectrum:
    """Read one meson's table from an .npz file in the shipped format.

    Keys: ``momentum_edges_gev`` (n_p + 1, GeV, increasing, > 0), ``angle_edges_rad``
    (n_t + 1, rad, increasing, in [0, pi]), ``<key>_per_pot`` and ``<key>_stat_error``
    (n_p, n_t, finite, >= 0) with key pi0, eta, etaprime, omega, rho0, phi, and ``source``
    (a string). Anything else: InvalidParameterError in one line, naming the file and the fault.
    """
    key = _FILE_KEYS[_check_meson(meson)]
    try:
        with np.load(path, allow_pickle=False) as npz:
            data = {name: np.asarray(npz[name]) for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise _bad_file(path, f"unreadable: {type(exc).__name__}") from None
    needed = ("momentum_edges_gev", "angle_edges_rad", f"{key}_per_pot", f"{key}_stat_error")
    missing = [name for name in (*needed, "source") if name not in data]
    if missing:
        raise _bad_file(path, "missing " + ", ".join(missing))
    try:
        p_edges, t_edges, table, error = (np.asarray(data[k], dtype=np.float64) for k in needed)
    except (TypeError, ValueError):
        raise _bad_file(path, "non-numeric arrays") from None
    if p_edges.ndim != 1 or t_edges.ndim != 1 or p_edges.size < 2 or t_edges.size < 2:
        raise _bad_file(path, "edges must be 1-d with >= 2 entries")
    if not (np.all(np.isfinite(p_edges)) and p_edges[0] > 0 and np.all(np.diff(p_edges) > 0)):
        raise _bad_file(path, "momentum edges must be finite, > 0 and increasing")
    if not (t_edges[0] >= 0 and t_edges[-1] <= math.pi + 1e-9 and np.all(np.diff(t_edges) > 0)):
        raise _bad_file(path, "angle edges must increase within [0, pi]")
    shape = (p_edges.size - 1, t_edges.size - 1)
    for name, arr in ((f"{key}_per_pot", table), (f"{key}_stat_error", error)):
        if arr.shape != shape:
            raise _bad_file(path, f"{name} has shape {arr.shape}, expected {shape}")
        if not np.all(np.isfinite(arr) & (arr >= 0)):
            raise _bad_file(path, f"{name} must be finite and >= 0")
    return MesonSpectrum(
        meson=meson,
        momentum_edges=_read_only(p_edges * GeV),
        angle_edges=_read_only(t_edges),
        per_pot=_read_only(table),
        stat_error=_read_only(error),
        source=str(data["source"]),
    )


def spectrum_file(source: str) -> Path | None:
    """The ``.npz`` file behind ``source``: the path itself for a user table (a name ending in
    ``.npz``), the shipped table of a tabulated source, None for a parametrisation."""
    if source.endswith(".npz"):
        return Path(source)
    if source not in _DATA_FILES:
        return None
    return Path(str(resources.files("darkreach") / "data" / "meson_spectra" / _DATA_FILES[source]))


@lru_cache(maxsize=32)
def load_spectrum(meson: str, source: str = "pythia8") -> MesonSpectrum:
    """The spectrum of ``meson`` (one of :data:`MESONS`) from ``source`` (cached).

    ``source``: ``"pythia8"`` (all six mesons; shipped tables), ``"bmpt"`` / ``"bmpt-be"``
    (``pi0`` and ``eta``; computed from the parametrisation on the same grid), or the path of
    a user table in the shipped format (ending in ``.npz``, read by :func:`read_spectrum_file`).
    """
    if not isinstance(source, str) or not (source in SOURCES or source.endswith(".npz")):
        raise InvalidParameterError("source", source, ", ".join(SOURCES) + " or a .npz file")
    if source in ("bmpt", "bmpt-be"):
        _check_meson(meson, _BMPT_MESONS)
        return bmpt_table(meson, target="Cu" if source == "bmpt" else "Be")
    _check_meson(meson)
    path = spectrum_file(source)
    assert path is not None
    return read_spectrum_file(path, meson)


def sample_mesons(
    spectrum: MesonSpectrum,
    n: int,
    rng: np.random.Generator,
    *,
    max_angle: float | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``n`` mesons drawn from ``spectrum``: (momentum [MeV], theta [rad], weight).

    A bin is chosen with probability proportional to its ``per_pot`` (restricted to
    theta < ``max_angle`` if given: the cut bin keeps its solid-angle fraction); inside the bin
    ln p is uniform and the direction uniform in solid angle (u = sin^2(theta/2) uniform), which
    follows the physical dN/dOmega ~ const at small theta better than uniform theta. All weights
    are equal, mesons per POT per sampled meson, so ``weight.sum()`` is the multiplicity
    (within ``max_angle``). Deterministic for a given ``rng`` state; vectorised.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InvalidParameterError("n", n, "an integer >= 1")
    if not isinstance(rng, np.random.Generator):
        raise InvalidParameterError("rng", type(rng).__name__, "a numpy.random.Generator")
    if max_angle is not None and not (math.isfinite(max_angle) and max_angle > 0):
        raise InvalidParameterError("max_angle", max_angle, "None or finite and > 0 rad")
    frac_t = _angle_fraction(spectrum.angle_edges, max_angle)
    table = spectrum.per_pot * frac_t[None, :]
    total = float(table.sum())
    if not total > 0:
        raise InvalidParameterError(
            "max_angle", max_angle, f"an angle with mesons in the {spectrum.meson} table"
        )
    cdf = np.cumsum(table.ravel())
    flat = np.searchsorted(cdf, rng.random(n) * cdf[-1], side="right")
    flat = np.minimum(flat, cdf.size - 1)
    ip, it = np.divmod(flat, table.shape[1])
    lp = np.log(spectrum.momentum_edges)
    momentum = np.exp(lp[ip] + rng.random(n) * (lp[ip + 1] - lp[ip]))
    u_edges = np.sin(0.5 * spectrum.angle_edges) ** 2
    u_hi = u_edges[1:]
    if max_angle is not None:
        u_hi = np.minimum(u_hi, math.sin(0.5 * min(max_angle, math.pi)) ** 2)
    u = u_edges[it] + rng.random(n) * (u_hi[it] - u_edges[it])
    theta = 2.0 * np.arcsin(np.sqrt(u))
    weight = np.full(n, total / n)
    return momentum, theta, weight


# ---------------------------------------------------------------------------------------------
# BMPT parametrisation (Bonesini et al., Eur. Phys. J. C 20 (2001) 13, arXiv:hep-ph/0101163)
# ---------------------------------------------------------------------------------------------

#: BMPT pi+ parameters, p-Be at 400-450 GeV/c (paper Table 2 as recalled; unverified):
#: E d3sigma/dp3 = A (1 - x_R)^alpha (1 + B x_R) x_R^-beta (1 + a' p_T + b' p_T^2) exp(-a' p_T),
#: a' = a / x_R^gamma, b' = a^2 / (2 x_R^delta)  [mb GeV^-2 c^3, p_T in GeV/c];
#: pi+/pi- = r0 (1 + x_R)^r1.
BMPT_PI_PLUS: dict[str, float] = {
    "A": 62.3,
    "B": 1.57,
    "alpha": 3.45,
    "beta": 0.517,
    "a": 6.10,
    "gamma": 0.153,
    "delta": 0.478,
    "r0": 1.05,
    "r1": 2.65,
}
#: BMPT beam momentum [GeV/c] (the parametrisation is in x_R, so it is used at 400 GeV/c).
BEAM_MOMENTUM = 400.0 * GeV
#: Inelastic p-A cross sections [mb] from PDG nuclear interaction lengths lambda_I = 77.8
#: (Be) and 137.3 g/cm^2 (Cu): sigma = A / (N_A lambda_I) (unverified: confirm before relying).
SIGMA_INEL_MB: dict[str, float] = {"Be": 192.3, "Cu": 768.6}
_MASS_NUMBER: dict[str, float] = {"Be": 9.012, "Cu": 63.546}
#: eta/pi0 at equal m_T (asymptotic high-p_T ratio; PHENIX, Phys. Rev. C 75 (2007) 024909:
#: 0.48 +- 0.03; unverified: confirm before relying).
ETA_TO_PI0_MT = 0.48


def _bmpt_pi0(x_r: FloatArray, pt_gev: FloatArray) -> FloatArray:
    """BMPT (pi+ + pi-)/2 invariant cross section on Be [mb GeV^-2], 0 outside 0 < x_R < 1."""
    c = BMPT_PI_PLUS
    x = np.clip(x_r, 1e-12, 1.0 - 1e-12)
    a1 = c["a"] / x ** c["gamma"]
    b1 = c["a"] ** 2 / (2.0 * x ** c["delta"])
    pi_plus = (
        c["A"]
        * (1.0 - x) ** c["alpha"]
        * (1.0 + c["B"] * x)
        * x ** -c["beta"]
        * (1.0 + a1 * pt_gev + b1 * pt_gev**2)
        * np.exp(-a1 * pt_gev)
    )
    ratio = c["r0"] * (1.0 + x) ** c["r1"]  # pi+/pi-
    out = 0.5 * pi_plus * (1.0 + 1.0 / ratio)
    return np.where((x_r > 0) & (x_r < 1), out, 0.0)


def _mass_exponent(x_f: FloatArray, pt_gev: FloatArray) -> FloatArray:
    """Target-mass exponent alpha(x_F, p_T) = (0.74 - 0.55 x_F + 0.26 x_F^2)(0.98 + 0.21 p_T^2)

    used by BMPT (Sect. 4) to move p-Be cross sections to other targets (unverified). p_T is
    capped at 2 GeV/c, the end of the data it was fitted to (beyond, the meson yield is
    negligible and the uncapped exponent overflows)."""
    pt = np.minimum(pt_gev, 2.0)
    return (0.74 - 0.55 * x_f + 0.26 * x_f**2) * (0.98 + 0.21 * pt**2)


def _bmpt_density(meson: str, target: str, p: FloatArray, theta: FloatArray) -> FloatArray:
    """d^2N/(dp dtheta) per interacting proton [1/MeV/rad] at lab momentum p [MeV], theta."""
    mass = Particle.from_pdgid(PDG_IDS[meson]).mass  # MeV
    if mass is None:  # pragma: no cover - the particle table has both masses
        raise InvalidParameterError("meson", meson, "a meson with a known mass")
    m_gev, p_gev = mass / GeV, p / GeV
    mp = m_proton / GeV
    e_beam = math.hypot(BEAM_MOMENTUM / GeV, mp)
    s = 2.0 * mp * (e_beam + mp)
    sqrt_s = math.sqrt(s)
    gam, betagam = (e_beam + mp) / sqrt_s, (BEAM_MOMENTUM / GeV) / sqrt_s
    e_lab = np.hypot(p_gev, m_gev)
    p_l, p_t = p_gev * np.cos(theta), p_gev * np.sin(theta)
    e_star = gam * e_lab - betagam * p_l
    pl_star = gam * p_l - betagam * e_lab
    e_max = (s - (2.0 * mp) ** 2 + m_gev**2) / (2.0 * sqrt_s)  # recoil X >= two nucleons
    x_r = e_star / e_max
    if meson == "pi0":
        inv = _bmpt_pi0(x_r, p_t)
    else:  # eta: m_T scaling of the pi0 at equal m_T and x_R
        pt_equiv = np.sqrt(p_t**2 + m_gev**2 - (m_pi0 / GeV) ** 2)
        inv = ETA_TO_PI0_MT * _bmpt_pi0(x_r, pt_equiv)
    sigma = SIGMA_INEL_MB["Be"]
    if target == "Cu":
        x_f = np.clip(pl_star / (0.5 * sqrt_s), -1.0, 1.0)  # outside: kinematically empty
        ratio = _MASS_NUMBER["Cu"] / _MASS_NUMBER["Be"]
        inv = inv * ratio ** _mass_exponent(x_f, p_t)
        sigma = SIGMA_INEL_MB["Cu"]
    # d^3p / E = 2 pi p^2 sin(theta) dp dtheta / E  (GeV units), then per MeV.
    dn = inv / sigma * 2.0 * math.pi * p_gev**2 * np.sin(theta) / e_lab
    return np.asarray(dn / GeV)


def bmpt_table(meson: str, target: str = "Cu", order: int = 8) -> MesonSpectrum:
    """BMPT-based spectrum of ``pi0`` or ``eta`` per interacting proton on ``target`` (Cu, Be).

    The density is integrated over every (ln p, theta) bin of :data:`MOMENTUM_EDGES` x
    :data:`ANGLE_EDGES` with ``order``-point Gauss-Legendre rules. eta: E d3sigma/dp3 =
    0.48 x pi0 at the same x_R and the same m_T (m_T scaling). BMPT is fitted to
    x_R >~ 0.05 and p_T <~ 1-2 GeV/c; elsewhere it is an extrapolation.
    """
    _check_meson(meson, _BMPT_MESONS)
    if target not in SIGMA_INEL_MB:
        raise InvalidParameterError("target", target, ", ".join(SIGMA_INEL_MB))
    lp_nodes, lp_w = gauss_legendre_on_bins(np.log(MOMENTUM_EDGES), order)
    t_nodes, t_w = gauss_legendre_on_bins(ANGLE_EDGES, order)
    p = np.exp(lp_nodes)  # (n_p, k)
    dens = _bmpt_density(
        meson, target, p[:, None, :, None], t_nodes[None, :, None, :]
    )  # (n_p, n_t, k, k)
    table = np.einsum("ijkl,ik,jl->ij", dens * p[:, None, :, None], lp_w, t_w)
    zero = np.zeros_like(table)
    name = "bmpt" if target == "Cu" else "bmpt-be"
    return MesonSpectrum(
        meson=meson,
        momentum_edges=MOMENTUM_EDGES,
        angle_edges=ANGLE_EDGES,
        per_pot=_read_only(table),
        stat_error=_read_only(zero),
        source=f"{name}: BMPT EPJC 20 (2001) 13 pi+/pi- on Be, pi0 = (pi+ + pi-)/2"
        + (", A-scaled to Cu" if target == "Cu" else "")
        + (", eta by m_T scaling x 0.48" if meson == "eta" else ""),
    )
