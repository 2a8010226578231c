"""The in-memory event sample: one row per particle, with the event index, and metadata.

Columns (all 1-d numpy arrays of equal length, particles of one event contiguous):

- ``event`` (int64): event index 0..n-1; ``pdg`` (int64): PDG id; ``status`` (int64):
  HepMC convention, 4 incoming (beam/target/decaying kaon), 1 final state, 2 decayed;
- ``px, py, pz, E`` [MeV];
- ``x, y, z, t`` [mm, ns]: the particle's production vertex (for an incoming particle the
  vertex of the interaction it enters);
- ``production_vertex`` (int64): local vertex number in the event where the particle is made
  (-1 for incoming), ``end_vertex`` (int64): where it ends (-1 if it does not).

``weights`` has one entry per event; its mean is the sample's cross section [pb] or branching
ratio (``metadata["weight_unit"]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from darkreach.array_types import FloatArray

__all__ = ["COLUMNS", "EventSample", "from_slots", "parent_ranges"]

COLUMNS: tuple[str, ...] = (
    "event",
    "pdg",
    "status",
    "px",
    "py",
    "pz",
    "E",
    "x",
    "y",
    "z",
    "t",
    "production_vertex",
    "end_vertex",
)
INT_COLUMNS = frozenset({"event", "pdg", "status", "production_vertex", "end_vertex"})


@dataclass
class EventSample:
    """Particles (``columns``), per-event ``weights`` and ``metadata`` (JSON-able values)."""

    columns: dict[str, NDArray[Any]]
    weights: FloatArray
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def n_events(self) -> int:
        return int(self.weights.size)

    def event_slices(self) -> NDArray[np.int64]:
        """Start offsets of each event's particles, length n_events + 1."""
        counts = np.bincount(self.columns["event"], minlength=self.n_events)
        return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


Part = NDArray[Any] | float | int


def from_slots(
    slots: dict[str, list[Part]],
    present: NDArray[np.bool_],
    weights: FloatArray,
    metadata: dict[str, Any],
) -> EventSample:
    """Assemble the one-row-per-particle layout from per-slot parts.

    ``slots[column][k]`` is slot k's value for every event (an array of n_events or a scalar),
    for every column of :data:`COLUMNS` except ``event``; ``present`` (n_events, n_slots) says
    which slots exist in which event. Particles keep the slot order inside each event.
    """
    n_events, n_slots = present.shape
    counts = present.sum(axis=1)
    ends = np.cumsum(counts)
    starts = ends - counts
    rank = np.cumsum(present, axis=1) - 1
    total = int(ends[-1]) if n_events else 0
    masks: list[NDArray[np.bool_] | None] = []
    index: list[NDArray[np.int64]] = []
    for k in range(n_slots):
        col = present[:, k]
        full = bool(col.all())
        masks.append(None if full else col)
        pos = starts + rank[:, k]
        index.append(pos if full else pos[col])
    cols: dict[str, NDArray[Any]] = {
        "event": np.repeat(np.arange(n_events, dtype=np.int64), counts)
    }
    for name in COLUMNS[1:]:
        out = np.empty(total, dtype=np.int64 if name in INT_COLUMNS else np.float64)
        for k, part in enumerate(slots[name]):
            mask = masks[k]
            if np.ndim(part) == 0 or mask is None:
                out[index[k]] = part
            else:
                out[index[k]] = np.asarray(part)[mask]
        cols[name] = out
    return EventSample(cols, np.asarray(weights, dtype=float), metadata)


def parent_ranges(sample: EventSample) -> NDArray[np.int64]:
    """HEPEVT parent ranges (0-based, inclusive; (-1, -1) for none) from the vertex links.

    A particle made at vertex v has as parents the particles ending at v; these are
    contiguous in every darkreach event (the incoming particles, or the single decaying X).
    """
    c = sample.columns
    offsets = sample.event_slices()
    n = c["event"].size
    out = np.full((n, 2), -1, dtype=np.int64)
    start = offsets[c["event"]]
    local = np.arange(n) - start
    for v in np.unique(c["production_vertex"][c["production_vertex"] >= 0]):
        ends = c["end_vertex"] == v
        first = np.full(offsets.size - 1, -1, dtype=np.int64)
        last = np.full(offsets.size - 1, -1, dtype=np.int64)
        ev = c["event"][ends]
        loc = local[ends]
        np.maximum.at(last, ev, loc)
        first[:] = np.iinfo(np.int64).max
        np.minimum.at(first, ev, loc)
        made = c["production_vertex"] == v
        out[made, 0] = first[c["event"][made]]
        out[made, 1] = last[c["event"][made]]
    return out
