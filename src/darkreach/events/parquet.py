"""Parquet writer and reader (native format; needs pyarrow from ``darkreach[events]``).

One row per particle with the columns of :mod:`darkreach.events.sample` plus ``weight`` (the
event weight, repeated on each of its particles). Units: MeV, mm, ns. The metadata block
(model, card, mass, coupling, cross section, seed, version, approximations) is stored as JSON
under the key ``darkreach`` in the file's schema metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from darkreach.events.extras import require
from darkreach.events.sample import COLUMNS, EventSample

__all__ = ["METADATA_KEY", "read_parquet", "write_parquet"]

METADATA_KEY = b"darkreach"


def write_parquet(sample: EventSample, path: Path) -> None:
    """Write ``sample`` to ``path`` (zstd-compressed Parquet)."""
    pa = require("pyarrow")
    pq = require("pyarrow.parquet")
    data: dict[str, Any] = {name: sample.columns[name] for name in COLUMNS}
    data["weight"] = sample.weights[sample.columns["event"]]
    table = pa.table(data)
    meta = dict(sample.metadata)
    meta["units"] = {"momentum": "MeV", "length": "mm", "time": "ns"}
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(meta).encode()})
    pq.write_table(table, str(path), compression="zstd")


def read_parquet(path: Path) -> EventSample:
    """Read a file written by :func:`write_parquet` back into an :class:`EventSample`."""
    pq = require("pyarrow.parquet")
    table = pq.read_table(str(path))
    meta = json.loads((table.schema.metadata or {}).get(METADATA_KEY, b"{}"))
    cols = {name: table.column(name).to_numpy() for name in COLUMNS}
    weight = table.column("weight").to_numpy()
    first = np.concatenate([[True], cols["event"][1:] != cols["event"][:-1]])
    return EventSample(cols, weight[first], meta)
