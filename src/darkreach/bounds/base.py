"""What a bound is (:class:`Bound`) and what evaluating one gives (:class:`BoundCurve`).

Units: masses in MeV (hepunits), couplings dimensionless (``g`` of the L_mu - L_tau Z', the
model's own coupling otherwise).

Shape of an excluded region. A :class:`BoundCurve` describes, at each mass, the excluded
couplings as one interval ``[coupling, coupling_upper]``:

- ``coupling``: lower edge of the excluded region (NaN where the bound excludes nothing at
  that mass).
- ``coupling_upper``: upper edge, or ``None`` for the whole curve when the region is open
  upwards (all couplings above ``coupling`` are excluded). Where an array is given, NaN at a
  mass means "open upwards at that mass".

Examples: the CCFR trident and the g-2 exclusion exclude every coupling above a line (open,
``coupling_upper=None``). The N_eff bound excludes every coupling for which the Z' reached
equilibrium with the neutrinos, for masses below a threshold: its lower edge is the
equilibrium coupling g_eq(m) below the threshold mass and NaN above, again open upwards. A
beam-dump style island (excluded between a lower and an upper coupling) is the case that
needs ``coupling_upper``; user files with three columns (DarkCast ``mass lower upper``)
produce it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.text import plain_text

__all__ = ["Bound", "BoundCurve", "BoundKind"]

BoundKind = Literal["computed", "shipped", "user"]
_KINDS = ("computed", "shipped", "user")


@dataclass(frozen=True)
class Bound:
    """Description of one existing bound (no numbers: see :class:`BoundCurve`).

    ``models``: model names (``darkreach.models.registry``) the bound applies to.
    ``reference``: the citation of the physics or data (journal and/or arXiv, figure).
    ``notes``: what is approximated, in one or two sentences.
    """

    name: str
    title: str
    models: tuple[str, ...]
    kind: BoundKind
    reference: str
    arxiv: str = ""
    notes: str = ""
    #: for kind "user": where to download the curve, and the mass unit of that file
    download: str = ""
    mass_unit: str = "GeV"

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InvalidParameterError("kind", self.kind, ", ".join(_KINDS))
        if not self.models:
            raise InvalidParameterError("models", self.models, "at least one model name")


@dataclass(frozen=True)
class BoundCurve:
    """One evaluated bound: the excluded coupling interval at each mass (module docstring).

    ``label`` is a mathtext label for plots; :attr:`plain_label` is the same in plain text
    (terminal, CSV, JSON).
    """

    name: str
    label: str
    model: str
    mass_MeV: FloatArray  # noqa: N815 - unit in the name, as in the JSON key
    coupling: FloatArray
    reference: str
    coupling_upper: FloatArray | None = None
    notes: str = ""
    extra: dict[str, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        mass = np.asarray(self.mass_MeV, dtype=np.float64)
        low = np.asarray(self.coupling, dtype=np.float64)
        if mass.ndim != 1 or low.shape != mass.shape:
            raise InvalidParameterError(
                "coupling", f"shape {low.shape}", f"a 1-d array of the mass shape {mass.shape}"
            )
        object.__setattr__(self, "mass_MeV", mass)
        object.__setattr__(self, "coupling", low)
        if self.coupling_upper is not None:
            high = np.asarray(self.coupling_upper, dtype=np.float64)
            if high.shape != mass.shape:
                raise InvalidParameterError(
                    "coupling_upper", f"shape {high.shape}", f"the mass shape {mass.shape}"
                )
            object.__setattr__(self, "coupling_upper", high)

    def on_grid(self, grid: ArrayLike) -> BoundCurve:
        """This curve interpolated (log-log) onto ``grid`` (MeV); NaN outside its mass range."""
        import dataclasses

        masses = np.asarray(grid, dtype=np.float64)

        def interpolate(values: FloatArray) -> FloatArray:
            ok = np.isfinite(values) & (values > 0)
            if ok.sum() < 2:
                return np.full_like(masses, np.nan)
            known = self.mass_MeV[ok]
            order = np.argsort(known)
            out = np.exp(np.interp(np.log(masses), np.log(known[order]), np.log(values[ok][order])))
            inside = (masses >= known.min()) & (masses <= known.max())
            return np.asarray(np.where(inside, out, np.nan), dtype=np.float64)

        upper = None if self.coupling_upper is None else interpolate(self.coupling_upper)
        return dataclasses.replace(
            self, mass_MeV=masses, coupling=interpolate(self.coupling), coupling_upper=upper
        )

    @property
    def plain_label(self) -> str:
        """The label without mathtext markup."""
        return plain_text(self.label)

    def excluded(self, mass: ArrayLike, coupling: ArrayLike) -> FloatArray:
        """1.0 where (mass, coupling) lies in the excluded region, 0.0 elsewhere.

        Edges are interpolated log-log between the curve's masses; outside the mass range,
        and where an edge is NaN, nothing is excluded.
        """
        m = np.asarray(mass, dtype=np.float64)
        g = np.asarray(coupling, dtype=np.float64)
        low = _loglog(m, self.mass_MeV, self.coupling)
        inside = np.isfinite(low) & (g >= low)
        if self.coupling_upper is not None:
            high = _loglog(m, self.mass_MeV, self.coupling_upper)
            inside &= ~(np.isfinite(high) & (g > high))
        return inside.astype(np.float64)


def _loglog(x: FloatArray, xs: FloatArray, ys: FloatArray) -> FloatArray:
    """Log-log interpolation of ys(xs) at x; NaN outside [xs[0], xs[-1]] or near NaN ys."""
    order = np.argsort(xs)
    xs, ys = xs[order], ys[order]
    with np.errstate(divide="ignore", invalid="ignore"):
        logy = np.where(ys > 0, np.log(np.where(ys > 0, ys, 1.0)), np.nan)
        out = np.exp(np.interp(np.log(x), np.log(xs), logy, left=np.nan, right=np.nan))
    return np.asarray(out, dtype=np.float64)
