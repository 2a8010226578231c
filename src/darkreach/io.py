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
