"""Physical constants in hepunits (MeV, mm, ns).

Masses of known particles come from the scikit-hep ``particle`` package (PDG tables) by
PDG id; constants that package does not provide are listed with their source and status
(handbook README.md, "Masses and particle data").
"""

from __future__ import annotations

import math

from hepunits import GeV, MeV, s
from hepunits.constants import hbarc as _hbarc
from particle import Particle


def _mass(pdgid: int) -> float:
    value = Particle.from_pdgid(pdgid).mass
    if value is None:  # pragma: no cover - PDG table always has these
        raise RuntimeError(f"particle has no mass for PDG id {pdgid}")
    return float(value) * MeV


#: Fine-structure constant in the Thomson limit. CODATA 2018.
#: Status: unverified: confirm before relying (standard value).
alpha_em: float = 1.0 / 137.035999
#: Elementary charge in natural (Heaviside-Lorentz) units, e = sqrt(4 pi alpha).
e_charge: float = math.sqrt(4.0 * math.pi * alpha_em)

m_e: float = _mass(11)
m_mu: float = _mass(13)
m_tau: float = _mass(15)
m_pi_charged: float = _mass(211)
m_pi0: float = _mass(111)
m_K_charged: float = _mass(321)
m_proton: float = _mass(2212)

#: hbar c in MeV mm (hepunits).
hbarc: float = float(_hbarc)
#: (hbar c)^2 in MeV^2 mm^2: multiply a cross section in MeV^-2 by this to get mm^2.
hbarc2: float = hbarc * hbarc
#: hbar in MeV ns.
hbar: float = hbarc / (299792458.0 * 1e3 / 1e9)  # c in mm/ns

#: Avogadro constant [1/mol] (exact, SI 2019).
N_A: float = 6.02214076e23

#: Fermi constant [MeV^-2]. PDG. Status: unverified: confirm before relying.
G_F: float = 1.1663787e-5 / GeV**2

#: Atomic mass unit in MeV (used for nuclear masses M_A ~ A u). CODATA 2018.
#: Status: unverified: confirm before relying.
atomic_mass_unit: float = 931.49410242 * MeV

#: Proton magnetic moment in nuclear magnetons (inelastic form factor). Handbook
#: muon_bremsstrahlung.md section 3 (verified: rikab/MuonBeamDump).
mu_proton: float = 2.79

#: Seconds, re-exported for lifetime conversions.
second: float = s
