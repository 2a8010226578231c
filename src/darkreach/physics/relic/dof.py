"""Standard-Model effective degrees of freedom g_eff(T), h_eff(T) and g*^{1/2}(T).

Handbook relic.md section 4. The shipped table is the Drees-Hajkarim-Schmitz (DHS) set,
JCAP 06 (2015) 025, arXiv:1503.03513, in the MIT-licensed copy of the hazma 2.2.0 package
(``darkreach/data/gstar/smdof.dat``; provenance and licence in the README beside it).

Temperatures are photon temperatures in hepunits (MeV). Values are interpolated linearly in
ln T between the table rows (0.025-0.05 decades apart) and held at the edge values outside
the table (2e-5 GeV to 1.26e4 GeV): below 20 keV the SM content no longer changes, above
12.6 TeV the SM has all its 106.83 degrees of freedom.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
from hepunits import GeV
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError

__all__ = [
    "DEFAULT_TABLE",
    "DofTable",
    "g_eff",
    "gstar_sqrt",
    "gstar_sqrt_from_entropy",
    "h_eff",
    "load_dof_table",
]


#: Name of the default table (recorded with every relic target).
DEFAULT_TABLE = "dhs2015-hazma2.2.0"

_TABLE_FILES = {DEFAULT_TABLE: "smdof.dat"}
_TABLE_REFERENCES = {
    DEFAULT_TABLE: (
        "Drees, Hajkarim, Schmitz, JCAP 06 (2015) 025, arXiv:1503.03513; "
        "file smdof.dat from hazma 2.2.0 (MIT licence)"
    )
}


@dataclass(frozen=True, eq=False)
class DofTable:
    """A tabulated set of SM degrees of freedom versus photon temperature.

    ``temperature`` in MeV (increasing); ``gstar_sqrt`` is
    g*^{1/2} = (h_eff/sqrt(g_eff)) (1 + (T/3) d ln h_eff/dT) (relic.md 3.1); ``h_eff`` the
    entropy and ``g_eff`` the energy-density degrees of freedom. ``name`` and ``reference``
    are recorded with results. A user table with the same columns can be passed wherever a
    table is accepted.
    """

    name: str
    reference: str
    temperature: FloatArray
    gstar_sqrt: FloatArray
    h_eff: FloatArray
    g_eff: FloatArray

    def __post_init__(self) -> None:
        t = self.temperature
        arrays = (self.gstar_sqrt, self.h_eff, self.g_eff)
        if t.ndim != 1 or t.size < 2 or any(a.shape != t.shape for a in arrays):
            raise InvalidParameterError("dof table", self.name, "1-D columns of equal length >= 2")
        if not (np.all(np.diff(t) > 0) and t[0] > 0):
            raise InvalidParameterError("dof table", self.name, "increasing temperatures > 0")
        if not all(np.all(np.isfinite(a) & (a > 0)) for a in arrays):
            raise InvalidParameterError("dof table", self.name, "finite positive values")

    def _interp(self, column: FloatArray, temperature: ArrayLike) -> FloatArray:
        t = np.asarray(temperature, dtype=np.float64)
        if np.any(~(t > 0)):
            raise InvalidParameterError("temperature", float(np.min(t)), "> 0 MeV")
        return np.asarray(np.interp(np.log(t), np.log(self.temperature), column), dtype=np.float64)

    def gstar_sqrt_at(self, temperature: ArrayLike) -> FloatArray:
        """g*^{1/2}(T), T in MeV."""
        return self._interp(self.gstar_sqrt, temperature)

    def h_eff_at(self, temperature: ArrayLike) -> FloatArray:
        """h_eff(T) (entropy degrees of freedom), T in MeV."""
        return self._interp(self.h_eff, temperature)

    def g_eff_at(self, temperature: ArrayLike) -> FloatArray:
        """g_eff(T) (energy-density degrees of freedom), T in MeV."""
        return self._interp(self.g_eff, temperature)


@lru_cache(maxsize=4)
def load_dof_table(name: str = DEFAULT_TABLE) -> DofTable:
    """Load a shipped degrees-of-freedom table by name (only :data:`DEFAULT_TABLE` so far)."""
    if name not in _TABLE_FILES:
        raise InvalidParameterError("dof table", name, ", ".join(_TABLE_FILES))
    source = resources.files("darkreach") / "data" / "gstar" / _TABLE_FILES[name]
    with resources.as_file(source) as path:
        data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    temperature, gss, heff, geff = (np.ascontiguousarray(col) for col in data.T)
    return DofTable(
        name=name,
        reference=_TABLE_REFERENCES[name],
        temperature=temperature * GeV,
        gstar_sqrt=gss,
        h_eff=heff,
        g_eff=geff,
    )


def g_eff(temperature: ArrayLike, table: DofTable | None = None) -> FloatArray:
    """Energy-density degrees of freedom g_eff(T); T in MeV (default table: DHS)."""
    return (table or load_dof_table()).g_eff_at(temperature)


def h_eff(temperature: ArrayLike, table: DofTable | None = None) -> FloatArray:
    """Entropy degrees of freedom h_eff(T); T in MeV (default table: DHS)."""
    return (table or load_dof_table()).h_eff_at(temperature)


def gstar_sqrt(temperature: ArrayLike, table: DofTable | None = None) -> FloatArray:
    """g*^{1/2}(T) of the Boltzmann equation (relic.md 3.1); T in MeV (default table: DHS)."""
    return (table or load_dof_table()).gstar_sqrt_at(temperature)


def gstar_sqrt_from_entropy(h: float, g: float, dlnh_dlnT: float = 0.0) -> float:
    """g*^{1/2} = (h_eff/sqrt(g_eff)) (1 + (1/3) d ln h_eff/d ln T) from its ingredients.

    Standard definition (Gondolo-Gelmini 1991); status: unverified: confirm before relying
    (relic.md 3.1; the hazma column matches it, validation RE-2).
    """
    if not (h > 0 and g > 0 and math.isfinite(dlnh_dlnT)):
        raise InvalidParameterError("dof", (h, g), "h_eff > 0 and g_eff > 0")
    return h / math.sqrt(g) * (1.0 + dlnh_dlnT / 3.0)
