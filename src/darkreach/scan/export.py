"""A scan's results in the one output shape: JSON entries, a long CSV table, a Parquet dataset.

Each entry is one task of the spec (in the spec's order): ``card``, ``model``, ``options``
(spec axis names), ``cl``, ``method`` (null: the card's own), ``task`` (its hash), ``state``,
then the columns of :func:`darkreach.io.curve_columns` (``mass_MeV``, ``coupling``,
``coupling_upper``, the bands; null where there is no value, and for tasks not done).
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path
from typing import Any

from darkreach.io import COLUMNS
from darkreach.scan.spec import Spec, spec_axes
from darkreach.scan.store import Store
from darkreach.scan.task import expand


def results(spec: Spec, store: Store) -> list[dict[str, Any]]:
    """One entry per task of ``spec`` (see the module docstring)."""
    tasks = list({t.hash: t for t in expand(spec)}.values())
    rows = store.rows([t.hash for t in tasks])
    entries = []
    for task in tasks:
        row = rows.get(task.hash)
        state = row.state if row is not None else "pending"
        entry: dict[str, Any] = {
            "card": task.card,
            "model": task.model,
            "options": dict(task.options),
            "cl": task.cl,
            "method": task.method,
            "task": task.hash,
            "state": state,
        }
        result = row.result if row is not None else None
        nothing = [None] * len(task.masses)
        entry["mass_MeV"] = list(task.masses) if result is None else result["mass_MeV"]
        for column in COLUMNS[1:]:
            entry[column] = nothing if result is None else result[column]
        if row is not None and row.state == "failed":
            entry["error"] = row.error
        entries.append(entry)
    return entries


def _long_rows(spec: Spec, entries: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    axes = list(spec_axes(spec))
    header = ["card", "model", *axes, "cl", "method", "state", *COLUMNS]
    table = []
    for entry in entries:
        fixed = [entry["card"], entry["model"]]
        fixed += [entry["options"].get(axis) for axis in axes]
        fixed += [entry["cl"], entry["method"], entry["state"]]
        for i in range(len(entry["mass_MeV"])):
            table.append(fixed + [entry[column][i] for column in COLUMNS])
    return header, table


def csv_text(spec: Spec, entries: list[dict[str, Any]]) -> str:
    """Long format: one row per task and mass; empty cells for missing values."""
    from darkreach._version import __version__

    header, table = _long_rows(spec, entries)
    buffer = io.StringIO()
    buffer.write(f"# darkreach {__version__} scan export\n# spec: {spec.path.name}\n")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in table:
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])
    return buffer.getvalue()


def write_parquet(spec: Spec, entries: list[dict[str, Any]], target: Path) -> None:
    """A Parquet dataset directory at ``target``, hive-partitioned by model and card.

    Written beside ``target`` and renamed into place when complete; an existing ``target``
    is replaced only if it is an earlier darkreach export (it holds ``_darkreach``).
    """
    import importlib

    pa: Any = importlib.import_module("pyarrow")  # untyped package
    ds: Any = importlib.import_module("pyarrow.dataset")

    from darkreach._version import __version__

    header, table = _long_rows(spec, entries)
    columns = {name: [row[i] for row in table] for i, name in enumerate(header)}
    arrow = pa.table(columns).replace_schema_metadata(
        {"darkreach_version": __version__, "spec": spec.path.name}
    )
    parent = target.parent if str(target.parent) else Path(".")
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        ds.write_dataset(
            arrow,
            temporary,
            format="parquet",
            partitioning=["model", "card"],
            partitioning_flavor="hive",
            existing_data_behavior="overwrite_or_ignore",
        )
        (temporary / "_darkreach").write_text(f"darkreach {__version__} scan export\n")
        if target.exists():
            shutil.rmtree(target)
        temporary.rename(target)
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
