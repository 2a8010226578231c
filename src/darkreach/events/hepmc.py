"""HepMC3 ASCII writer through pyhepmc (``darkreach[events]``), with vertices.

Each event has a primary vertex (the beam particles enter it; status 4) and, when X decayed,
a decay vertex (X with status 2 enters it, the daughters leave it). Units MeV and mm; the
vertex time is stored as c t in mm, as HepMC3 does. The event weight is the single named
weight ``default`` (mean = the cross section in pb, or the branching ratio); the metadata is
written as run-info attributes (``darkreach_*``) and the cross section as GenCrossSection.
Each event is filled through pyhepmc's ``GenEvent.from_hepevt`` (vectorised in C++) from
parent ranges derived from the sample's vertex links (about 25k events/s here).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from darkreach.events.decay import C_MM_PER_NS
from darkreach.events.extras import require
from darkreach.events.sample import EventSample, parent_ranges

__all__ = ["write_hepmc3"]


def write_hepmc3(sample: EventSample, path: Path) -> None:
    """Write ``sample`` as HepMC3 ASCII (Asciiv3) to ``path``."""
    hep = require("pyhepmc")
    run = hep.GenRunInfo()
    run.tools = [("darkreach", str(sample.metadata.get("darkreach_version", "")), "event samples")]
    run.weight_names = ["default"]
    for key, value in sample.metadata.items():
        run.attributes[f"darkreach_{key}"] = json.dumps(value)
    c = sample.columns
    offsets = sample.event_slices()
    xsec_value = float(sample.metadata.get("cross_section_pb") or 0.0)
    mass = np.sqrt(np.clip(c["E"] ** 2 - c["px"] ** 2 - c["py"] ** 2 - c["pz"] ** 2, 0.0, None))
    pid = c["pdg"].astype(np.int32)
    status = c["status"].astype(np.int32)
    ct = c["t"] * C_MM_PER_NS
    parents = parent_ranges(sample)
    with hep.open(str(path), "w") as out:
        for i in range(sample.n_events):
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            evt = hep.GenEvent(hep.Units.MEV, hep.Units.MM)
            evt.from_hepevt(
                i,
                c["px"][lo:hi],
                c["py"][lo:hi],
                c["pz"][lo:hi],
                c["E"][lo:hi],
                mass[lo:hi],
                pid[lo:hi],
                status[lo:hi],
                parents=parents[lo:hi],
                vx=c["x"][lo:hi],
                vy=c["y"][lo:hi],
                vz=c["z"][lo:hi],
                vt=ct[lo:hi],
                fortran=False,
            )
            evt.run_info = run
            evt.weights = [float(sample.weights[i])]
            if xsec_value:
                cs = hep.GenCrossSection()
                cs.set_cross_section(xsec_value, 0.0, sample.n_events, sample.n_events)
                evt.cross_section = cs
            out.write(evt)
