"""Dump, decay volume and detector planes of a beam-dump card, and track acceptance.

Coordinates (handbook electron_and_dump.md B.2): z along the beam in mm (hepunits) from the
nominal kaon target, x horizontal (the spectrometer magnet bends in x), y vertical. Particles
start at the beam spot on the dump face. A charged track is a straight line from the decay
vertex, deflected once at the magnet centre by the transverse-momentum kick ``p_T,kick``
(thin lens: charge q = +-1 changes ``p_x`` by ``q p_T,kick``). A plane accepts a track whose
(x, y) there lie in the annulus ``r_min <= r <= r_max`` and, if the plane is square, in
``abs(x), abs(y) <= half_width``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray

__all__ = ["DetectorPlane", "DumpGeometry", "tracks_accepted"]


@dataclass(frozen=True)
class DetectorPlane:
    """One detector plane at ``z`` [mm]: an annulus ``r_min..r_max`` (optional square)."""

    name: str
    z: float
    r_min: float
    r_max: float
    half_width: float | None = None


@dataclass(frozen=True)
class DumpGeometry:
    """Production point, decay volume and spectrometer (all lengths mm, kick in MeV)."""

    z_dump: float
    beam_x: float
    beam_y: float
    z_start: float
    z_end: float
    magnet_z: float
    pt_kick: float

    @property
    def distance_to_start(self) -> float:
        """L1: dump to the start of the decay volume [mm]."""
        return self.z_start - self.z_dump

    @property
    def distance_to_end(self) -> float:
        """L2: dump to the end of the decay volume [mm]."""
        return self.z_end - self.z_dump


def tracks_accepted(
    vertex: FloatArray,
    momentum: FloatArray,
    charge: float,
    planes: tuple[DetectorPlane, ...],
    geometry: DumpGeometry,
) -> NDArray[np.bool_]:
    """Boolean acceptance of straight tracks from ``vertex`` through every plane.

    ``vertex`` has shape (..., 3) [mm], ``momentum`` (..., 3) [MeV] (broadcast against the
    vertex); returns a bool array of the broadcast leading shape. Tracks that go backwards or
    start behind a plane are rejected.
    """
    p = np.asarray(momentum, dtype=np.float64)
    v = np.asarray(vertex, dtype=np.float64)
    pz = p[..., 2]
    forward = pz > 0.0
    safe_pz = np.where(forward, pz, 1.0)
    tx = p[..., 0] / safe_pz
    ty = p[..., 1] / safe_pz
    kick = charge * geometry.pt_kick / safe_pz
    shape = np.broadcast_shapes(v.shape[:-1], p.shape[:-1])
    ok: NDArray[np.bool_] = np.broadcast_to(forward, shape).copy()
    for plane in planes:
        dz = plane.z - v[..., 2]
        x = v[..., 0] + tx * dz
        y = v[..., 1] + ty * dz
        if plane.z > geometry.magnet_z:
            x = x + kick * (plane.z - geometry.magnet_z)
        r2 = x * x + y * y
        inside = (dz > 0.0) & (r2 >= plane.r_min**2) & (r2 <= plane.r_max**2)
        if plane.half_width is not None:
            inside &= (np.abs(x) <= plane.half_width) & (np.abs(y) <= plane.half_width)
        ok &= inside
    return ok
