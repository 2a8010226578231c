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
from darkreach.events.sample import EventSample, parent_ranges

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
        istup = np.where(c["status"] == 4, -1, np.where(c["status"] == 2, 2, 1))
        mothers = parent_ranges(sample) + 1  # 1-based lines inside the event; 0 = none
        vtim = np.zeros(c["E"].size)
        daughters = np.flatnonzero(c["production_vertex"] > 0)
        if daughters.size:
            mother = offsets[c["event"][daughters]] + mothers[daughters, 0] - 1
            gamma = c["E"][mother] / np.maximum(mass[mother], 1e-300)
            vtim[mother] = (c["t"][daughters] - c["t"][mother]) * C_MM_PER_NS / gamma
        rows = zip(
            c["pdg"].tolist(),
            istup.tolist(),
            mothers[:, 0].tolist(),
            mothers[:, 1].tolist(),
            (c["px"] * _GEV).tolist(),
            (c["py"] * _GEV).tolist(),
            (c["pz"] * _GEV).tolist(),
            (c["E"] * _GEV).tolist(),
            (mass * _GEV).tolist(),
            vtim.tolist(),
            strict=True,
        )
        line = "%d %d %d %d 0 0 %.10e %.10e %.10e %.10e %.10e %.6e 9.0\n"
        counts = np.diff(offsets).tolist()
        weights = sample.weights.tolist()
        for n_part, weight in zip(counts, weights, strict=True):
            block = [f"<event>\n{n_part} 1 {weight:.10e} -1 -1 -1\n"]
            block.extend(line % next(rows) for _ in range(n_part))
            block.append("</event>\n")
            out.write("".join(block))
        out.write("</LesHouchesEvents>\n")
