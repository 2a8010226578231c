"""Load a bound curve the user downloaded: ``load_user_bound(path, model, mass_unit="GeV")``.

darkreach ships no curve from repositories without a permissive licence (handbook
bounds_and_new_channels.md 1.5); download them yourself and point this loader at the file.

Formats (chosen from the file name, then the content):

- Whitespace columns (``.txt``, ``.dat``, ``.lmt``; ``#`` comments): ``mass coupling`` (FORESEE
  lines, MIT: github.com/KlingFelix/FORESEE ``Models/*/model/lines/bounds_*.txt``) or
  ``mass lower upper`` (DarkCast ``.lmt``, GPL: gitlab.com/darkcast/releases ``limits/`` and
  ``recast/limits/<model>/``; 1e5 is DarkCast's "no constraint" sentinel and is kept).
- CSV (``.csv``): an optional header; ``mass_MeV,coupling[,coupling_upper]`` sets the mass
  unit to MeV, ``mass,coupling`` (ESPP PPG files) uses ``mass_unit``; no header: numbers.
- HEPData YAML table (``.yaml``/``.yml``, one independent and one or two dependent variables;
  ``value`` entries or ``low``/``high`` bins, whose centre is used). A unit written in the
  independent variable's header (``GeV``/``MeV``) overrides ``mass_unit``. Needs PyYAML.

Where to get the common L_mu - L_tau and dark-photon curves (cite each one's paper):

- BaBar e+e- -> mu mu Z' (4 mu), PRD 94 (2016) 011102, arXiv:1606.03501: DarkCast
  ``limits/BaBar_TheBABAR2016rlg.lmt`` (its raw curve is BaBar's g').
- Borexino / CHARM-II (Bauer, Foldenauer, Jaeckel, arXiv:1803.05466): DarkCast v2.1
  ``recast/limits/Lmu-Ltau_boson/Borexino_Bauer2018onh.lmt``; FORESEE ``Models/U(1)B-L``.
- CMS Z -> 4 mu (arXiv:1808.03684, PLB 792 (2019) 345): HEPData record of CMS-EXO-18-008,
  if present, or digitise Fig. 4.
- Belle II invisible Z' (arXiv:1912.11276; arXiv:2212.03066): digitise the papers' figures.
- Visible dark photon: FORESEE ``Models/DarkPhoton/model/lines/bounds_*.txt`` (closed
  contours are polygons: the masses are not monotonic, and the curve is kept as drawn).

Errors are one line naming the file, the line and what is allowed
(:class:`~darkreach.errors.InvalidParameterError`).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any, Literal

import numpy as np

from darkreach.bounds.base import BoundCurve
from darkreach.errors import InvalidParameterError
from darkreach.units import GeV, MeV

__all__ = ["MassUnit", "load_user_bound"]

MassUnit = Literal["GeV", "MeV"]
_UNITS = {"GeV": GeV, "MeV": MeV}


def _number(text: str, path: Path, line: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidParameterError(
            f"{path.name} line {line}", repr(text), "numbers only (mass, coupling[, upper])"
        ) from None
    if not math.isfinite(value):
        raise InvalidParameterError(f"{path.name} line {line}", text, "finite numbers")
    return value


def _rows_from_text(path: Path, lines: list[tuple[int, list[str]]]) -> list[list[float]]:
    rows = [[_number(cell, path, n) for cell in cells] for n, cells in lines]
    return rows


def _read_whitespace(path: Path) -> tuple[list[list[float]], MassUnit | None]:
    lines = []
    for n, raw in enumerate(path.read_text().splitlines(), start=1):
        text = raw.split("#", 1)[0].strip()
        if text:
            lines.append((n, text.replace(",", " ").split()))
    return _rows_from_text(path, lines), None


def _read_csv(path: Path) -> tuple[list[list[float]], MassUnit | None]:
    with path.open(newline="") as handle:
        cells = [
            (n, [c.strip() for c in row])
            for n, row in enumerate(csv.reader(handle), start=1)
            if row and not row[0].lstrip().startswith("#")
        ]
    unit: MassUnit | None = None
    if cells:
        first = cells[0][1]
        try:
            [float(c) for c in first]
        except ValueError:  # a header line
            header = [c.lower() for c in first]
            if header and header[0] in ("mass_mev", "m_mev", "mass [mev]"):
                unit = "MeV"
            elif header and header[0] in ("mass_gev", "m_gev", "mass [gev]"):
                unit = "GeV"
            cells = cells[1:]
    return _rows_from_text(path, cells), unit


def _hepdata_values(entries: list[dict[str, Any]], path: Path, what: str) -> list[float]:
    out = []
    for i, entry in enumerate(entries, start=1):
        if "value" in entry:
            out.append(_number(str(entry["value"]), path, i))
        elif "low" in entry and "high" in entry:
            low = _number(str(entry["low"]), path, i)
            out.append(0.5 * (low + _number(str(entry["high"]), path, i)))
        else:
            raise InvalidParameterError(f"{path.name} {what} {i}", entry, "value or low/high")
    return out


def _read_hepdata(path: Path) -> tuple[list[list[float]], MassUnit | None]:
    try:
        import yaml  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - depends on the environment
        raise InvalidParameterError(
            "path", path.name, "a HEPData YAML file needs PyYAML (pip install pyyaml)"
        ) from None
    try:
        doc = yaml.safe_load(path.read_text())
        indep = doc["independent_variables"]
        dep = doc["dependent_variables"]
    except Exception:
        raise InvalidParameterError(
            "path", path.name, "a HEPData table with independent_variables/dependent_variables"
        ) from None
    if len(indep) != 1 or not 1 <= len(dep) <= 2:
        raise InvalidParameterError(
            path.name, f"{len(indep)} x {len(dep)} variables", "1 independent, 1-2 dependent"
        )
    columns = [_hepdata_values(indep[0]["values"], path, "mass value")]
    columns += [_hepdata_values(d["values"], path, "coupling value") for d in dep]
    if len({len(c) for c in columns}) != 1:
        raise InvalidParameterError(path.name, "columns of unequal length", "equal lengths")
    header = str(indep[0].get("header", {}).get("units", "")) + str(
        indep[0].get("header", {}).get("name", "")
    )
    unit: MassUnit | None = "MeV" if "MeV" in header else "GeV" if "GeV" in header else None
    return [list(r) for r in zip(*columns, strict=True)], unit


def load_user_bound(
    path: str | Path,
    model: str,
    mass_unit: MassUnit = "GeV",
    name: str | None = None,
    label: str | None = None,
    reference: str = "user file",
) -> BoundCurve:
    """Read a downloaded bound curve into a :class:`BoundCurve` (masses in MeV).

    ``model``: the darkreach model the couplings belong to (not converted). ``mass_unit``:
    unit of the first column unless the file states it. Two columns give an open region
    (all couplings above excluded); three give ``coupling_upper``.
    """
    p = Path(path)
    if mass_unit not in _UNITS:
        raise InvalidParameterError("mass_unit", mass_unit, "GeV, MeV")
    if not p.is_file():
        raise InvalidParameterError("path", str(p), "an existing file")
    suffix = p.suffix.lower()
    if suffix in (".yaml", ".yml"):
        rows, unit = _read_hepdata(p)
    elif suffix == ".csv":
        rows, unit = _read_csv(p)
    else:
        rows, unit = _read_whitespace(p)
    if len(rows) < 2:
        raise InvalidParameterError(p.name, f"{len(rows)} data rows", "at least 2 rows")
    widths = {len(r) for r in rows}
    if len(widths) != 1 or not widths <= {2, 3}:
        raise InvalidParameterError(
            p.name, f"rows with {sorted(widths)} columns", "2 (mass coupling) or 3 columns"
        )
    data = np.asarray(rows, dtype=np.float64)
    if np.any(data[:, 0] <= 0):
        raise InvalidParameterError(f"{p.name} mass", float(data[data[:, 0] <= 0, 0][0]), "> 0")
    if np.any(data[:, 1:] <= 0):
        raise InvalidParameterError(
            f"{p.name} coupling", float(data[:, 1:][data[:, 1:] <= 0][0]), "> 0"
        )
    scale = _UNITS[unit or mass_unit]
    mass = data[:, 0] * scale
    notes = "" if np.all(np.diff(mass) > 0) else "masses not increasing: a contour, kept as drawn"
    key = name or p.stem
    return BoundCurve(
        name=key,
        label=label or key,
        model=model,
        mass_MeV=mass,
        coupling=data[:, 1],
        coupling_upper=data[:, 2] if data.shape[1] == 3 else None,
        reference=reference,
        notes=notes,
    )
