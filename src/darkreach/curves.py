"""Read a published (or darkreach-made) limit curve: ``read_curve(path, card=None)``.

Two formats, chosen from the file name:

CSV (any suffix but ``.yaml``/``.yml``)
    ``#`` lines are comments. The first other line is the header; it must name a mass column
    that carries its unit, ``mass_MeV`` (or ``mass_GeV``), and a ``coupling`` column (the lower
    edge of the excluded region). ``coupling_upper`` is read when present; any other column is
    ignored. Files written by ``darkreach reach --out`` have a ``card`` column and may hold
    several cards: choose one with ``card`` (CLI ``--curve-card``), or the file must hold only
    one. An empty coupling cell means "no limit at this mass" (NaN), as darkreach writes it.
    The ``# model:`` and ``# card:`` header lines of darkreach files are read for the model,
    CL, method and kind of the curve.
HEPData YAML table (``.yaml``/``.yml``)
    One independent variable, the mass, whose ``header.units`` is ``MeV`` or ``GeV``; the
    first dependent variable without ``upper edge`` or ``sigma`` in its name is the coupling
    (a published "upper limit" on the coupling is that lower edge), one named ``... (upper
    edge)`` or ``coupling_upper`` the upper edge of a closed region. Values are
    numbers or ``-`` (no limit); mass bins given as ``low``/``high`` use their centre.
    Qualifiers ``card``, ``model``, ``CL``, ``method`` and ``kind`` are read when present (the
    tables of :mod:`darkreach.hepdata` carry them).

Masses must increase strictly and couplings be positive. Every problem is one line naming
the file, the line or column, the value and what is allowed
(:class:`~darkreach.errors.InvalidParameterError`).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError
from darkreach.units import GeV, MeV

__all__ = ["CurveFile", "polygon_edges", "read_curve"]

#: mass column names (with their unit) accepted in a CSV header
MASS_COLUMNS = {"mass_MeV": MeV, "mass_GeV": GeV}
#: units accepted for the mass of a HEPData table
HEPDATA_MASS_UNITS = {"MeV": MeV, "GeV": GeV}
_UNITLESS_MASS = re.compile(r"^(m|mass|m_?x|mass_?x)$", re.IGNORECASE)


@dataclass(frozen=True)
class CurveFile:
    """A limit curve read from a file: masses [MeV] and couplings (dimensionless).

    ``coupling`` is the lower edge of the excluded region (NaN: no limit at that mass),
    ``coupling_upper`` the upper edge where the file gives one. ``card``, ``model``, ``cl``,
    ``method`` and ``kind`` are what the file says about itself (None where it says nothing).
    """

    mass_MeV: FloatArray  # noqa: N815 - unit in the name, as in the JSON key
    coupling: FloatArray
    coupling_upper: FloatArray | None
    label: str
    source: Path
    card: str | None = None
    model: str | None = None
    cl: float | None = None
    method: str | None = None
    kind: str | None = None


def read_curve(path: str | Path, card: str | None = None) -> CurveFile:
    """Read a curve file (CSV or HEPData YAML table); see the module docstring.

    ``card`` selects one card of a multi-card darkreach CSV (or checks the card of a HEPData
    table).
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidParameterError("curve", str(p), "an existing CSV or HEPData YAML file")
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidParameterError("curve", str(p), f"a readable text file ({exc})") from None
    if not text.strip():
        raise InvalidParameterError(p.name, "an empty file", "a header line and data rows")
    if p.suffix.lower() in (".yaml", ".yml"):
        curve = _read_hepdata(p, text, card)
    else:
        curve = _read_csv(p, text, card)
    return curve


# ---------------------------------------------------------------------------- CSV


def _number(
    cell: str, where: str, column: str, allow_empty: bool, allowed: str | None = None
) -> float:
    text = cell.strip()
    if not text and allow_empty:
        return math.nan
    try:
        value = float(text)
    except ValueError:
        if allowed is None:
            allowed = "a number" + (" or an empty cell (no limit)" if allow_empty else "")
        raise InvalidParameterError(f"{where} column {column}", repr(cell), allowed) from None
    if not math.isfinite(value):
        raise InvalidParameterError(f"{where} column {column}", repr(cell), "a finite number")
    return value


def _darkreach_header(comments: list[str]) -> tuple[str | None, dict[str, dict[str, str]]]:
    """The model and per-card metadata of a ``darkreach reach --out`` header, if any."""
    model = None
    cards: dict[str, dict[str, str]] = {}
    for line in comments:
        body = line.lstrip("#").strip()
        if body.startswith("model:"):
            model = body.split(":", 1)[1].strip() or None
        match = re.match(r"card: (\S+) \((.*)\); (.*)$", body)
        if match:
            fields = {"title": match.group(2)}
            for part in match.group(3).split(";"):
                if ":" in part:
                    key, value = part.split(":", 1)
                    fields[key.strip().lower()] = value.strip()
            cards[match.group(1)] = fields
    return model, cards


def _read_csv(path: Path, text: str, card: str | None) -> CurveFile:
    comments: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.lstrip().startswith("#"):
            comments.append(raw)
        elif raw.strip():
            cells = next(csv.reader([raw]))
            rows.append((number, [c.strip() for c in cells]))
    if not rows:
        raise InvalidParameterError(
            path.name, "no header line", "a header naming mass_MeV, coupling"
        )
    header_line, header = rows[0]
    where_header = f"{path.name} line {header_line} (header)"
    if len(header) < 2:
        raise InvalidParameterError(
            where_header,
            f"one column {header[0]!r}" if header else "no column",
            "a CSV header with at least a mass_MeV and a 'coupling' column",
        )
    if len(set(header)) != len(header):
        duplicate = next(h for h in header if header.count(h) > 1)
        raise InvalidParameterError(where_header, f"column {duplicate!r} twice", "unique names")
    mass_names = [h for h in header if h in MASS_COLUMNS]
    if not mass_names:
        bare = [h for h in header if _UNITLESS_MASS.match(h)]
        if bare:
            raise InvalidParameterError(
                where_header,
                f"column {bare[0]!r} without a unit",
                "a mass column with its unit in the name: mass_MeV (or mass_GeV)",
                "no recognised unit",
            )
        raise InvalidParameterError(
            where_header, ",".join(header), "a header naming a mass_MeV (or mass_GeV) column"
        )
    if len(mass_names) > 1:
        raise InvalidParameterError(where_header, ",".join(mass_names), "one mass column")
    if "coupling" not in header:
        raise InvalidParameterError(
            where_header, ",".join(header), "a header naming a coupling column"
        )
    mass_name = mass_names[0]
    index = {name: header.index(name) for name in header}
    data = rows[1:]
    if not data:
        raise InvalidParameterError(path.name, "a header without data rows", "at least 1 row")
    for number, cells in data:
        if len(cells) != len(header):
            raise InvalidParameterError(
                f"{path.name} line {number}",
                f"{len(cells)} cells",
                f"{len(header)} cells, as in the header",
            )
    file_model, card_meta = _darkreach_header(comments)
    chosen = card
    if "card" in index:
        names = list(dict.fromkeys(cells[index["card"]] for _, cells in data))
        if card is None:
            if len(names) > 1:
                raise InvalidParameterError(
                    "--curve-card",
                    "not given",
                    f"one of the file's cards: {', '.join(names)} (the file {path.name} "
                    "holds several; give one, or the curve of one card per file)",
                )
            chosen = names[0]
        elif card not in names:
            raise InvalidParameterError("--curve-card", card, ", ".join(names))
        data = [(n, cells) for n, cells in data if cells[index["card"]] == chosen]
    elif card is not None:
        raise InvalidParameterError(
            "--curve-card", card, f"no --curve-card: {path.name} has no card column"
        )
    masses, lower, upper, lines = [], [], [], []
    numbers = f"numbers in {mass_name} and coupling"
    blank = f"{numbers} (an empty coupling cell: no limit)"
    for number, cells in data:
        where = f"{path.name} line {number}"
        masses.append(_number(cells[index[mass_name]], where, mass_name, False, numbers))
        lower.append(_number(cells[index["coupling"]], where, "coupling", True, blank))
        if "coupling_upper" in index:
            upper.append(
                _number(cells[index["coupling_upper"]], where, "coupling_upper", allow_empty=True)
            )
        lines.append(f"line {number}")
    meta = card_meta.get(chosen or "", {})
    return _finish(
        path,
        np.array(masses) * MASS_COLUMNS[mass_name],
        np.array(lower),
        np.array(upper) if upper else None,
        lines,
        label=meta.get("title") or chosen or path.stem,
        card=chosen,
        model=file_model if file_model and "," not in file_model else None,
        cl=_float_or_none(meta.get("cl")),
        method=meta.get("method"),
        kind=meta.get("kind"),
    )


def _float_or_none(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _finish(
    path: Path,
    masses: FloatArray,
    lower: FloatArray,
    upper: FloatArray | None,
    lines: list[str],
    **meta: Any,
) -> CurveFile:
    """Common checks: masses > 0 and strictly increasing, couplings > 0, some limit."""
    for i, m in enumerate(masses):
        if not m > 0:
            raise InvalidParameterError(f"{path.name} {lines[i]} mass", f"{m:g}", "> 0")
    for i in range(1, masses.size):
        if masses[i] == masses[i - 1]:
            raise InvalidParameterError(
                f"{path.name} {lines[i]} mass",
                f"{masses[i]:g} MeV (repeated from {lines[i - 1]})",
                "strictly increasing masses, no duplicates",
            )
        if masses[i] < masses[i - 1]:
            raise InvalidParameterError(
                f"{path.name} {lines[i]} mass",
                f"{masses[i]:g} MeV (after {masses[i - 1]:g} MeV)",
                "strictly increasing masses (sort the file by mass)",
            )
    for name, column in (("coupling", lower), ("coupling_upper", upper)):
        if column is None:
            continue
        for i, g in enumerate(column):
            if np.isfinite(g) and g <= 0:
                raise InvalidParameterError(f"{path.name} {lines[i]} {name}", f"{g:g}", "> 0")
    if not np.isfinite(lower).any():
        raise InvalidParameterError(
            f"{path.name} coupling", "empty at every mass", "at least one coupling value"
        )
    if upper is not None and not np.isfinite(upper).any():
        upper = None
    return CurveFile(mass_MeV=masses, coupling=lower, coupling_upper=upper, source=path, **meta)


# ---------------------------------------------------------------------------- HEPData


def _yaml_values(entries: Any, path: Path, what: str, allow_missing: bool) -> list[float]:
    if not isinstance(entries, list) or not entries:
        raise InvalidParameterError(f"{path.name} {what}", repr(entries), "a list of values")
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path.name} {what} value {i}"
        if not isinstance(entry, dict):
            raise InvalidParameterError(where, repr(entry), "{value: number}")
        if "value" in entry:
            value = entry["value"]
            if allow_missing and isinstance(value, str) and value.strip() == "-":
                out.append(math.nan)
                continue
            out.append(_number(str(value), where, "value", allow_empty=False))
        elif "low" in entry and "high" in entry:
            low = _number(str(entry["low"]), where, "low", allow_empty=False)
            high = _number(str(entry["high"]), where, "high", allow_empty=False)
            out.append(0.5 * (low + high))
        else:
            raise InvalidParameterError(where, repr(entry), "value or low/high")
    return out


def _qualifiers(variable: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for q in variable.get("qualifiers") or []:
        if isinstance(q, dict) and "name" in q and "value" in q:
            found[str(q["name"]).lower()] = str(q["value"])
    return found


def _read_hepdata(path: Path, text: str, card: str | None) -> CurveFile:
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - pyyaml is a dependency
        raise InvalidParameterError(
            "curve", path.name, "a HEPData YAML file needs PyYAML (pip install pyyaml)"
        ) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path.name} line {mark.line + 1}" if mark is not None else path.name
        raise InvalidParameterError(where, "not valid YAML", "a HEPData YAML table") from None
    if not isinstance(doc, dict) or not {"independent_variables", "dependent_variables"} <= set(
        doc
    ):
        raise InvalidParameterError(
            path.name,
            "no independent_variables/dependent_variables",
            "a HEPData table file (not submission.yaml)",
        )
    indep, dep = doc["independent_variables"], doc["dependent_variables"]
    if not isinstance(indep, list) or len(indep) != 1:
        count = len(indep) if isinstance(indep, list) else 0
        raise InvalidParameterError(
            f"{path.name} independent_variables", f"{count} variables", "exactly 1 (the mass)"
        )
    if not isinstance(dep, list) or not dep:
        raise InvalidParameterError(
            f"{path.name} dependent_variables", "none", "at least 1 (the coupling)"
        )
    header = indep[0].get("header") or {}
    unit = str(header.get("units", "")).strip()
    if not unit:
        raise InvalidParameterError(
            f"{path.name} independent_variables header {header.get('name', '')!r}",
            "no units",
            "units: MeV or GeV",
        )
    if unit not in HEPDATA_MASS_UNITS:
        raise InvalidParameterError(
            f"{path.name} independent_variables header units", repr(unit), "MeV or GeV"
        )
    masses = np.array(_yaml_values(indep[0].get("values"), path, "mass", False))
    names = [str((d.get("header") or {}).get("name", "")) for d in dep]

    def is_upper(name: str) -> bool:  # "upper limit" is a lower edge; "upper edge" is not
        return "upper edge" in name.lower() or "coupling_upper" in name.lower()

    lower_index = next(
        (i for i, n in enumerate(names) if not is_upper(n) and "sigma" not in n.lower()),
        None,
    )
    if lower_index is None:
        raise InvalidParameterError(
            f"{path.name} dependent_variables", ", ".join(names), "a coupling (lower edge) column"
        )
    upper_index = next((i for i, n in enumerate(names) if is_upper(n)), None)
    lower = np.array(_yaml_values(dep[lower_index].get("values"), path, "coupling", True))
    upper = (
        np.array(_yaml_values(dep[upper_index].get("values"), path, "coupling_upper", True))
        if upper_index is not None
        else None
    )
    for name, column in (("coupling", lower), ("coupling_upper", upper)):
        if column is not None and column.size != masses.size:
            raise InvalidParameterError(
                f"{path.name} {name}", f"{column.size} values", f"{masses.size}, as the masses"
            )
    qualifiers = _qualifiers(dep[lower_index])
    if card is not None and qualifiers.get("card") not in (None, card):
        raise InvalidParameterError("--curve-card", card, str(qualifiers.get("card")))
    return _finish(
        path,
        masses * HEPDATA_MASS_UNITS[unit],
        lower,
        upper,
        [f"mass value {i}" for i in range(1, masses.size + 1)],
        label=names[lower_index] or path.stem,
        card=qualifiers.get("card"),
        model=qualifiers.get("model"),
        cl=_float_or_none(qualifiers.get("cl")),
        method=qualifiers.get("method"),
        kind=qualifiers.get("kind"),
    )


def polygon_edges(
    polygon_mass: ArrayLike, polygon_coupling: ArrayLike, masses: ArrayLike
) -> tuple[FloatArray, FloatArray]:
    """Lower and upper edge of a closed contour (a polygon in (m, g)) at ``masses``.

    Published beam-dump limits are often digitised as one closed line (FORESEE's
    ``bounds_*.txt``: m, eps, the outline of the excluded region). Each polygon side is
    intersected, in (ln m, ln g), with the vertical line at each requested mass; the smallest
    and largest crossings are the edges (NaN where the line misses the region). Masses and
    couplings in any one unit (the result is in the polygon's coupling unit).

    >>> import numpy as np
    >>> low, high = polygon_edges([1, 3, 3, 1], [1e-7, 1e-7, 1e-5, 1e-5], [2.0, 4.0])
    >>> [float(f"{x:.3g}") for x in low], [float(f"{x:.3g}") for x in high]
    ([1e-07, nan], [1e-05, nan])
    """
    m = np.log(np.asarray(polygon_mass, dtype=float))
    g = np.log(np.asarray(polygon_coupling, dtype=float))
    if m.shape != g.shape or m.size < 3:
        raise InvalidParameterError("polygon", f"{m.size} points", "at least 3 (m, g) points")
    m2, g2 = np.roll(m, -1), np.roll(g, -1)  # closing side included
    targets = np.log(np.asarray(masses, dtype=float)).reshape(-1)
    low = np.full(targets.size, np.nan)
    high = np.full(targets.size, np.nan)
    for i, x in enumerate(targets):
        lo, hi = np.minimum(m, m2), np.maximum(m, m2)
        hit = (lo <= x) & (x <= hi) & (hi > lo)
        if not hit.any():
            continue
        t = (x - m[hit]) / (m2[hit] - m[hit])
        crossing = g[hit] + t * (g2[hit] - g[hit])
        low[i], high[i] = np.exp(crossing.min()), np.exp(crossing.max())
    return low, high
