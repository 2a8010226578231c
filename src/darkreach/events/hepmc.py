"""HepMC3 ASCII writer through pyhepmc (``darkreach[events]``), with vertices.

Each event has a primary vertex (the beam particles enter it; status 4) and, when X decayed,
a decay vertex (X with status 2 enters it, the daughters leave it). Units MeV and mm; the
vertex time is stored as c t in mm, as HepMC3 does. The event weight is the single named
weight ``default`` (mean = the cross section in pb, or the branching ratio); the metadata is
written as run-info attributes (``darkreach_*``) and the cross section as GenCrossSection.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from darkreach.events.decay import C_MM_PER_NS
from darkreach.events.extras import require
from darkreach.events.sample import EventSample

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
    with hep.open(str(path), "w") as out:
        for i in range(sample.n_events):
            evt = hep.GenEvent(hep.Units.MEV, hep.Units.MM)
            evt.run_info = run
            evt.event_number = i
            evt.weights = [float(sample.weights[i])]
            if xsec_value:
                cs = hep.GenCrossSection()
                cs.set_cross_section(xsec_value, 0.0, sample.n_events, sample.n_events)
                evt.cross_section = cs
            vertices: dict[int, Any] = {}
            lo, hi = int(offsets[i]), int(offsets[i + 1])

            def vertex(number: int, row: int, vertices: dict[int, Any] = vertices) -> Any:
                if number not in vertices:
                    pos = hep.FourVector(
                        float(c["x"][row]),
                        float(c["y"][row]),
                        float(c["z"][row]),
                        float(c["t"][row]) * C_MM_PER_NS,
                    )
                    vertices[number] = hep.GenVertex(pos)
                return vertices[number]

            for row in range(lo, hi):
                part = hep.GenParticle(
                    hep.FourVector(
                        float(c["px"][row]),
                        float(c["py"][row]),
                        float(c["pz"][row]),
                        float(c["E"][row]),
                    ),
                    int(c["pdg"][row]),
                    int(c["status"][row]),
                )
                prod = int(c["production_vertex"][row])
                end = int(c["end_vertex"][row])
                if prod >= 0:
                    vertex(prod, row).add_particle_out(part)
                if end >= 0:
                    # an incoming particle's vertex is its own row's vertex; a decaying one's
                    # decay vertex position comes from its daughters' rows (set below)
                    if end not in vertices:
                        daughter = next(
                            (r for r in range(lo, hi) if int(c["production_vertex"][r]) == end), row
                        )
                        vertex(end, daughter)
                    vertices[end].add_particle_in(part)
            for number in sorted(vertices):
                evt.add_vertex(vertices[number])
            out.write(evt)
