"""What the new particle is: couplings, widths, branching ratios (handbook models.md).

>>> from darkreach.models import get_model
>>> model = get_model("lmu-ltau")
>>> round(float(model.invisible_fraction(300.0, 1e-3)), 4)
0.5302
"""

from darkreach.models.b_minus_l import BminusLZPrime
from darkreach.models.base import FermionCoupling, Model, Spin, WidthModel
from darkreach.models.dark_matter import DarkMatter, DMKind
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.dark_scalar import DarkScalar
from darkreach.models.lmu_ltau import LmuLtauZPrime
from darkreach.models.registry import MODEL_NAMES, get_model
from darkreach.models.scalar import MuonPhilicScalar

__all__ = [
    "MODEL_NAMES",
    "BminusLZPrime",
    "DMKind",
    "DarkMatter",
    "DarkPhoton",
    "DarkScalar",
    "FermionCoupling",
    "LmuLtauZPrime",
    "Model",
    "MuonPhilicScalar",
    "Spin",
    "WidthModel",
    "get_model",
]
