"""Les Houches Event file (LHE v3) writer, standard library only.

**LHE carries no vertex positions**: production and decay points are not in the file (the
header says so); the X line carries its proper decay length c tau [mm] of the sampled decay in
VTIMUP. Momenta are written in GeV (the LHE convention). Status (ISTUP): -1 incoming, 1 final,
2 decayed intermediate; mothers point to the two incoming lines for the primary products and
to X for its daughters. IDWTUP = 3 (unweighted) or 4 (weighted); XWGTUP is the event weight,
whose mean is XSECUP (the cross section in pb; the branching ratio for kaon decays).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from darkreach.events.decay import C_MM_PER_NS
from darkreach.events.sample import EventSample

__all__ = ["write_lhe"]

_GEV = 1.0e-3  # MeV -> GeV


def write_lhe(sample: EventSample, path: Path) -> None:
    """Write ``sample`` as LHE v3 to ``path``."""
    meta = sample.metadata
    c = sample.columns
    offsets = sample.event_slices()
    weighted = bool(meta.get("weighted", False))
    xsec = float(meta.get("cross_section_pb", meta.get("branching_ratio", 0.0)) or 0.0)
    mass = np.sqrt(np.clip(c["E"] ** 2 - c["px"] ** 2 - c["py"] ** 2 - c["pz"] ** 2, 0.0, None))
    with open(path, "w", encoding="utf-8") as out:
        out.write('<LesHouchesEvents version="3.0">\n<header>\n')
        out.write(
            "<darkreach_note>darkreach event sample. LHE has no vertex positions: production "
            "and decay vertices are NOT stored here (use Parquet or HepMC3 for them); VTIMUP of "
            "a decayed X is its sampled proper decay length c tau [mm]. Momenta and masses in "
            "GeV.</darkreach_note>\n"
        )
        out.write(f"<darkreach>{escape(json.dumps(meta))}</darkreach>\n</header>\n<init>\n")
        first = slice(int(offsets[0]), int(offsets[1])) if sample.n_events else slice(0, 0)
        incoming = np.flatnonzero(c["status"][first] == 4)
        beams = [(int(c["pdg"][first][k]), float(c["E"][first][k]) * _GEV) for k in incoming[:2]]
        while len(beams) < 2:
            beams.append((0, 0.0))
        idwtup = 4 if weighted else 3
        out.write(
            f"{beams[0][0]} {beams[1][0]} {beams[0][1]:.10e} {beams[1][1]:.10e} "
            f"0 0 0 0 {idwtup} 1\n"
        )
        out.write(f"{xsec:.10e} 0.0 {float(np.max(sample.weights, initial=0.0)):.10e} 1\n</init>\n")
        for i in range(sample.n_events):
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            rows = range(lo, hi)
            line_of = {}
            incoming_lines = []
            for k, row in enumerate(rows, start=1):
                line_of[row] = k
                if c["status"][row] == 4:
                    incoming_lines.append(k)
            mother_of_vertex = {}
            for row in rows:
                if int(c["end_vertex"][row]) > 0:
                    mother_of_vertex[int(c["end_vertex"][row])] = line_of[row]
            out.write(f"<event>\n{hi - lo} 1 {sample.weights[i]:.10e} -1 -1 -1\n")
            for row in rows:
                status = int(c["status"][row])
                istup = -1 if status == 4 else (2 if status == 2 else 1)
                prod = int(c["production_vertex"][row])
                if prod < 0:
                    m1 = m2 = 0
                elif prod == 0:
                    m1 = incoming_lines[0] if incoming_lines else 0
                    m2 = incoming_lines[-1] if incoming_lines else 0
                else:
                    m1 = m2 = mother_of_vertex.get(prod, 0)
                vtim = 0.0
                end = int(c["end_vertex"][row])
                if status == 2 and end > 0:
                    d = next(r for r in rows if int(c["production_vertex"][r]) == end)
                    dt = float(c["t"][d] - c["t"][row])
                    gamma = float(c["E"][row]) / max(float(mass[row]), 1e-300)
                    vtim = dt * C_MM_PER_NS / gamma  # proper time x c [mm]
                out.write(
                    f"{int(c['pdg'][row])} {istup} {m1} {m2} 0 0 "
                    f"{c['px'][row] * _GEV:.10e} {c['py'][row] * _GEV:.10e} "
                    f"{c['pz'][row] * _GEV:.10e} {c['E'][row] * _GEV:.10e} "
                    f"{mass[row] * _GEV:.10e} {vtim:.6e} 9.0\n"
                )
            out.write("</event>\n")
        out.write("</LesHouchesEvents>\n")
