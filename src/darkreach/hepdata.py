"""HEPData submission of reach curves: ``write_submission(curves, directory)``.

The layout is HEPData's submission format (schema 1.1.1, as checked by the official
``hepdata-validator``): ``submission.yaml`` (a multi-document YAML file: one ``comment``
document, then one document per table with its name, description, keywords and ``data_file``)
and one table file per curve, ``<card>.yaml``. Each table has

- one independent variable, the mass, in MeV (in the y plane: the dark-matter mass);
- dependent variables: the coupling at the lower edge of the excluded (reachable) region, the
  upper edge where the region is closed, and the expected bands of projections
  (``-2 sigma`` ... ``+2 sigma``); a mass without a limit is ``-``;
- qualifiers on each dependent variable: CL, model, card, kind, method, darkreach version.

The files are written all-or-nothing: into a temporary directory beside the target, which is
then renamed (the target must not exist yet, or be an empty directory). Tables read back with
:func:`darkreach.curves.read_curve`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from darkreach._version import __version__
from darkreach.errors import InvalidParameterError
from darkreach.io import BAND_KEYS, curve_columns
from darkreach.results import ReachCurve
from darkreach.text import plain_text

__all__ = ["check_target", "submission_documents", "write_submission"]

_BAND_NAMES = {"minus2": "-2 sigma", "minus1": "-1 sigma", "plus1": "+1 sigma", "plus2": "+2 sigma"}


def _value(x: float) -> float | str:
    return float(f"{x:.6e}") if np.isfinite(x) else "-"


def _table_file(curve: ReachCurve, used: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", curve.card) or "curve"
    name, k = f"{stem}.yaml", 2
    while name in used:
        name, k = f"{stem}_{k}.yaml", k + 1
    used.add(name)
    return name


def _qualifiers(curve: ReachCurve) -> list[dict[str, Any]]:
    qualifiers: list[dict[str, Any]] = []
    if np.isfinite(curve.cl):
        qualifiers.append({"name": "CL", "value": float(curve.cl)})
    qualifiers += [
        {"name": "model", "value": curve.model},
        {"name": "card", "value": curve.card},
        {"name": "kind", "value": curve.kind},
        {"name": "method", "value": curve.method},
        {"name": "darkreach version", "value": __version__},
    ]
    return qualifiers


def table_document(curve: ReachCurve) -> dict[str, Any]:
    """The HEPData table (independent and dependent variables) of one curve."""
    columns = curve_columns(curve)
    symbol = plain_text(curve.coupling_symbol)
    qualifiers = _qualifiers(curve)
    dependent: list[tuple[str, str]] = [("coupling", f"{symbol} (lower edge)")]
    if np.isfinite(columns["coupling_upper"]).any():
        dependent.append(("coupling_upper", f"{symbol} (upper edge)"))
    for key in BAND_KEYS:
        if np.isfinite(columns[f"coupling_{key}"]).any():
            dependent.append((f"coupling_{key}", f"{symbol} expected {_BAND_NAMES[key]}"))
    return {
        "independent_variables": [
            {
                "header": {"name": "mass", "units": "MeV"},
                "values": [{"value": _value(m)} for m in columns["mass_MeV"]],
            }
        ],
        "dependent_variables": [
            {
                "header": {"name": name},
                "qualifiers": [dict(q) for q in qualifiers],  # copies: no YAML aliases
                "values": [{"value": _value(v)} for v in columns[key]],
            }
            for key, name in dependent
        ],
    }


def submission_documents(curves: Sequence[ReachCurve]) -> list[tuple[str, dict[str, Any]]]:
    """(file name, document) for every table, and ``submission.yaml`` documents first.

    The first entry is ``("submission.yaml", {"documents": [...]})``.
    """
    used: set[str] = {"submission.yaml"}
    tables: list[tuple[str, dict[str, Any]]] = []
    entries: list[dict[str, Any]] = [
        {
            "comment": f"Reach curves computed with darkreach {__version__}. Masses in MeV; "
            "couplings are dimensionless. 'lower edge' is the smallest excluded (data) or "
            "reachable (projection) coupling; '-' means no sensitivity at that mass."
        }
    ]
    for curve in curves:
        name = _table_file(curve, used)
        notes = "; ".join(plain_text(n) for n in curve.notes)
        description = (
            f"{plain_text(curve.card_title)}: {curve.kind} {plain_text(curve.coupling_symbol)} "
            f"versus mass for {plain_text(curve.model_label)} ({curve.model}), "
            f"CL {curve.cl:g}, method {curve.method}."
        ) + (f" Assumptions: {notes}." if notes else "")
        entries.append(
            {
                "name": f"{curve.card} {curve.model}"[:64],
                "description": description,
                "keywords": [
                    {"name": "observables", "values": ["coupling"]},
                    {"name": "phrases", "values": ["dark sector", "fixed target", curve.model]},
                ],
                "data_file": name,
            }
        )
        tables.append((name, table_document(curve)))
    return [("submission.yaml", {"documents": entries}), *tables]


def check_target(directory: Path, field: str = "--hepdata") -> None:
    """One-line error unless ``directory`` can receive a submission (absent or empty dir)."""
    target = Path(directory)
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise InvalidParameterError(
            field, str(target), "a new directory, or an empty one (nothing is overwritten)"
        )
    if not parent.is_dir():
        raise InvalidParameterError(field, str(target), "a path in an existing directory")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidParameterError(field, str(target), "a writable path (permission denied)")


def write_submission(
    curves: Sequence[ReachCurve], directory: str | Path, field: str = "--hepdata"
) -> list[Path]:
    """Write the submission into ``directory`` (all files or none); returns the files."""
    import yaml  # type: ignore[import-untyped,unused-ignore]

    if not curves:
        raise InvalidParameterError(field, "no curves", "at least one reach curve")
    target = Path(directory)
    check_target(target, field)
    parent = target.parent if str(target.parent) else Path(".")
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    try:
        documents = submission_documents(curves)
        for name, doc in documents:
            path = temporary / name
            with open(path, "w", encoding="utf-8") as handle:
                if name == "submission.yaml":
                    yaml.safe_dump_all(doc["documents"], handle, sort_keys=False)
                else:
                    yaml.safe_dump(doc, handle, sort_keys=False)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o777 & ~umask)
        for name, _ in documents:
            os.chmod(temporary / name, 0o666 & ~umask)
        if target.is_dir():
            target.rmdir()  # empty (checked): replaced by the complete submission
        os.replace(temporary, target)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidParameterError(
            field, str(target), f"a writable path with free space ({reason})"
        ) from None
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)
    return [target / name for name, _ in documents]
