"""Reach tables and records: one shape for CSV, JSON and HEPData (docs/output-schema.md).

A reach curve becomes the same named columns everywhere: ``mass_MeV``, ``coupling`` (lower
edge of the excluded / reachable region; empty or null where there is no sensitivity),
``coupling_upper`` (upper edge where the region is closed), ``coupling_minus2`` ...
``coupling_plus2`` (expected bands of projections). In the thermal-relic plane (``--plane
y``) ``mass_MeV`` is the dark-matter mass, and ``mediator_mass_MeV``, ``y`` and ``y_upper``
are added. Text is plain (no LaTeX), and every file header and JSON object states the version.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.results import ReachCurve
from darkreach.text import plain_text

if TYPE_CHECKING:
    from darkreach.physics.relic.targets import RelicTargets
    from darkreach.physics.relic.yplane import YPlaneCurve

BAND_KEYS = ("minus2", "minus1", "plus1", "plus2")
#: the per-mass columns of a reach curve in the (m, g) plane, in file order
COLUMNS = ("mass_MeV", "coupling", "coupling_upper", *(f"coupling_{k}" for k in BAND_KEYS))
#: added (and mass_MeV redefined as m_chi) in the (m_chi, y) plane
YPLANE_COLUMNS = ("mediator_mass_MeV", "y", "y_upper")


def curve_columns(curve: ReachCurve, yplane: YPlaneCurve | None = None) -> dict[str, FloatArray]:
    """The per-mass columns of one curve (NaN where a value does not exist).

    With ``yplane`` (the same curve mapped to the relic plane), ``mass_MeV`` is m_chi and the
    mediator mass, y and its upper edge are added.
    """
    nothing = np.full_like(curve.masses, np.nan)
    columns: dict[str, FloatArray] = {
        "mass_MeV": curve.masses,
        "coupling": curve.coupling,
        "coupling_upper": curve.coupling_upper if curve.coupling_upper is not None else nothing,
    }
    for key in BAND_KEYS:
        columns[f"coupling_{key}"] = curve.bands.get(key, nothing)
    if yplane is not None:
        columns["mass_MeV"] = yplane.m_chi
        columns["mediator_mass_MeV"] = curve.masses
        columns["y"] = yplane.y
        columns["y_upper"] = yplane.y_upper if yplane.y_upper is not None else nothing
    return columns


def curve_record(curve: ReachCurve, yplane: YPlaneCurve | None = None) -> dict[str, object]:
    """One reach curve as the JSON record of ``darkreach reach --json``.

    Keys: ``card``, ``title``, ``kind`` (observed / expected / emulated), ``model``,
    ``model_label``, ``coupling_symbol``, ``cl``, ``method``, ``plane`` (``g`` or ``y``),
    the columns of :func:`curve_columns` (always all present; NaN becomes null), ``notes``;
    in the y plane also ``y_convention``, ``ratio`` and ``alpha_d``.
    """
    record: dict[str, object] = {
        "card": curve.card,
        "title": plain_text(curve.card_title),
        "kind": curve.kind,
        "model": curve.model,
        "model_label": plain_text(curve.model_label),
        "coupling_symbol": plain_text(curve.coupling_symbol),
        "cl": curve.cl,
        "method": curve.method,
        "plane": "g" if yplane is None else "y",
    }
    if yplane is not None:
        record.update(y_convention=yplane.y_convention, ratio=yplane.ratio, alpha_d=yplane.alpha_d)
    record.update(curve_columns(curve, yplane))
    record["notes"] = [plain_text(n) for n in curve.notes]
    return record


def reach_csv_text(
    curves: Sequence[ReachCurve], yplanes: Sequence[YPlaneCurve] | None = None
) -> str:
    """The CSV text of one or several reach curves (long format, one row per card and mass).

    Header lines start with ``#`` and state the package version, model, each card with kind,
    CL and method, and the assumptions (notes) behind each curve. Columns: ``card`` and those
    of :func:`curve_columns` (empty cells where a value does not exist).
    """
    buffer = _io.StringIO()
    models = sorted({c.model for c in curves})
    buffer.write(f"# darkreach {__version__} reach table\n")
    buffer.write(f"# model: {', '.join(models)}\n")
    for c in curves:
        buffer.write(
            f"# card: {c.card} ({plain_text(c.card_title)}); kind: {c.kind}; CL: {c.cl:g}; "
            f"method: {c.method}; coupling: {plain_text(c.coupling_symbol)}\n"
        )
        for note in c.notes:
            buffer.write(f"#   {c.card}: {plain_text(note)}\n")
    if yplanes is not None:
        first = yplanes[0]
        buffer.write(
            f"# plane: y (convention {first.y_convention}, m_mediator/m_chi = {first.ratio:g}, "
            f"alpha_D = {first.alpha_d:g}); mass_MeV is the dark-matter mass\n"
        )
    buffer.write(
        "# coupling = lower edge of the excluded (data) or reachable (projection) region\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    names = list(COLUMNS) + (list(YPLANE_COLUMNS) if yplanes is not None else [])
    writer.writerow(["card", *names])
    for i, c in enumerate(curves):
        columns = curve_columns(c, yplanes[i] if yplanes is not None else None)
        for row in range(c.masses.size):
            writer.writerow([c.card, *(_fmt(columns[name][row]) for name in names)])
    return buffer.getvalue()


def _fmt(value: float) -> str:
    return f"{value:.6e}" if np.isfinite(value) else ""


def write_reach_csv(
    curves: Sequence[ReachCurve], path: Path, yplanes: Sequence[YPlaneCurve] | None = None
) -> None:
    """Write :func:`reach_csv_text` to ``path``."""
    Path(path).write_text(reach_csv_text(curves, yplanes), encoding="utf-8")


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


#: CSV columns of :func:`relic_csv_text`; the same keys as the JSON of ``darkreach relic``.
RELIC_COLUMNS: tuple[str, ...] = (
    "dm",
    "mass_MeV",
    "m_mediator_MeV",
    "coupling",
    "y",
    "y_a",
    "y_b",
    "y_c",
    "omega_h2_check",
    "converged",
    "complete",
    "mediator",
    "y_convention",
)


def relic_csv_text(targets: Sequence[RelicTargets]) -> str:
    """Thermal-relic targets as CSV (``darkreach relic --out``).

    CSV text of one or several target sets, with a self-describing ``#`` header.

    Columns :data:`RELIC_COLUMNS` (masses in MeV; ``y`` in each set's own convention, and
    ``y_a``, ``y_b``, ``y_c`` in all three); plain text only.
    """
    from darkreach.physics.relic.yconventions import DEFAULT_Y_CONVENTION, Y_CONVENTIONS

    buffer = _io.StringIO()
    buffer.write(
        f"# darkreach {__version__} thermal-relic targets (freeze-out; see darkreach --cite)\n"
    )
    for t in targets:
        buffer.write(
            f"# dm: {t.dm_kind}; mediator: {t.mediator}; coupling: {t.coupling_symbol}; "
            f"M/m_chi: {t.ratio:g}; alpha_D: {t.alpha_d:g}; delta: {t.delta:g}; "
            f"neutrinos: {t.neutrinos}; Omega h^2: {t.omega_h2_target:g}; dof: {t.dof_table}; "
            f"width: {'running' if t.running_width else 'constant'}\n"
        )
        for note in t.notes:
            buffer.write(f"#   {t.dm_kind}: {plain_text(note)}\n")
    buffer.write(
        "# y_a = g_SM^2 alpha_D (m_chi/M)^4; y_b = y_a/(4 pi alpha); y_c = 4 pi y_a; "
        "g_SM = g (L_mu-L_tau) or eps e (dark photon); default convention: "
        f"({DEFAULT_Y_CONVENTION})\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(RELIC_COLUMNS)

    def fmt(value: float) -> str:
        return f"{value:.6e}" if np.isfinite(value) else ""

    for t in targets:
        y_own = t.y()
        ys = [t.y(c) for c in Y_CONVENTIONS]
        for i, mass in enumerate(t.m_chi):
            writer.writerow(
                [
                    t.dm_kind,
                    fmt(mass),
                    fmt(t.mediator_mass[i]),
                    fmt(t.coupling[i]),
                    fmt(y_own[i]),
                    *(fmt(y[i]) for y in ys),
                    fmt(t.omega_h2_check[i]),
                    int(t.converged[i]),
                    int(t.complete[i]),
                    t.mediator,
                    t.y_convention,
                ]
            )
    return buffer.getvalue()
