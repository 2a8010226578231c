"""Reading and writing reach tables (CSV with a self-describing header)."""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from darkreach._version import __version__
from darkreach.results import ReachCurve

BAND_KEYS = ("minus2", "minus1", "plus1", "plus2")


def reach_csv_text(curves: Sequence[ReachCurve]) -> str:
    """The CSV text of one or several reach curves (long format, one row per card and mass).

    Header lines start with ``#`` and state the package version, model, each card, CL, method,
    and the assumptions (notes) behind each curve. Columns: ``card, mass_MeV, coupling``
    (lower edge; empty where there is no sensitivity), ``coupling_upper`` (upper edge of an
    interval exclusion, else empty) and, for projections, the expected bands.
    """
    buffer = _io.StringIO()
    models = sorted({c.model for c in curves})
    buffer.write(f"# darkreach {__version__} reach table\n")
    buffer.write(f"# model: {', '.join(models)}\n")
    for c in curves:
        buffer.write(
            f"# card: {c.card} ({c.card_title}); kind: {c.kind}; CL: {c.cl:g}; "
            f"method: {c.method}; coupling: {c.coupling_symbol}\n"
        )
        for note in c.notes:
            buffer.write(f"#   {c.card}: {note}\n")
    buffer.write(
        "# coupling = lower edge of the excluded (data) or reachable (projection) region\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["card", "mass_MeV", "coupling", "coupling_upper", *BAND_KEYS])

    def fmt(value: float) -> str:
        return f"{value:.6e}" if np.isfinite(value) else ""

    for c in curves:
        upper = c.coupling_upper if c.coupling_upper is not None else np.full_like(c.masses, np.nan)
        bands = [c.bands.get(k, np.full_like(c.masses, np.nan)) for k in BAND_KEYS]
        for i, mass in enumerate(c.masses):
            writer.writerow(
                [
                    c.card,
                    f"{mass:.6e}",
                    fmt(c.coupling[i]),
                    fmt(upper[i]),
                    *(fmt(b[i]) for b in bands),
                ]
            )
    return buffer.getvalue()


def curve_record(curve: ReachCurve) -> dict[str, object]:
    """One reach curve as the JSON record of ``darkreach reach --json`` (docs/output-schema.md).

    Keys: ``card``, ``title``, ``kind`` (observed / expected / emulated), ``model``,
    ``model_label``, ``coupling_symbol`` (plain text, no LaTeX), ``cl``, ``method``,
    ``mass_MeV``, ``coupling``, ``coupling_upper`` and ``coupling_minus2`` ... ``coupling_plus2``
    (always present; null where the curve has no such edge or band, NaN -> null per point),
    ``notes``.
    """
    from darkreach.text import plain_text

    nothing = np.full_like(curve.masses, np.nan)
    record: dict[str, object] = {
        "card": curve.card,
        "title": plain_text(curve.card_title),
        "kind": curve.kind,
        "model": curve.model,
        "model_label": plain_text(curve.model_label),
        "coupling_symbol": plain_text(curve.coupling_symbol),
        "cl": curve.cl,
        "method": curve.method,
        "mass_MeV": curve.masses,
        "coupling": curve.coupling,
        "coupling_upper": curve.coupling_upper if curve.coupling_upper is not None else nothing,
    }
    for key in BAND_KEYS:
        record[f"coupling_{key}"] = curve.bands.get(key, nothing)
    record["notes"] = [plain_text(n) for n in curve.notes]
    return record


def write_reach_csv(curves: Sequence[ReachCurve], path: Path) -> None:
    """Write :func:`reach_csv_text` to ``path``."""
    Path(path).write_text(reach_csv_text(curves), encoding="utf-8")


def read_reach_csv(path: Path) -> dict[str, dict[str, np.ndarray]]:
    """Read a reach CSV back: {card: {column: array}} (empty cells are NaN)."""
    rows: dict[str, dict[str, list[float]]] = {}
    with open(path, encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        for row in csv.DictReader(lines):
            card = row.pop("card")
            table = rows.setdefault(card, {})
            for key, value in row.items():
                table.setdefault(key, []).append(float(value) if value else np.nan)
    return {card: {k: np.array(v) for k, v in cols.items()} for card, cols in rows.items()}
