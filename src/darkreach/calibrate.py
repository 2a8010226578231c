"""Calibrate a card quantity so that the card reproduces a published curve.

A number a collaboration did not publish (the NA64mu signal efficiency versus mass, ...) is
fitted so that the card's reach reproduces the collaboration's own curve, and stored in the
card as a table in mass with ``status = "calibrated"`` and the curve as its source (handbook
published_limits.md section 3). The card then predicts every other model by recasting.

Efficiency (missing-momentum cards). The signal yield is linear in the efficiency,
``S(m, g) = eps_sig(m) Y(m, g)`` with ``Y`` the yield at unit efficiency (it includes the
decay probability, which may depend on g), and the event limit ``s_up`` of a counting
experiment does not depend on the efficiency (it is fixed by the observed count and the
background). A curve point (m, g_c) lies on the card's reach curve iff ``S(m, g_c) = s_up``,
so the efficiency that puts it there is, in closed form,

    eps_new(m) = s_up / Y(m, g_c) = eps_old(m) * s_up / S_old(m, g_c)

at every node mass; no iteration is needed, whatever the g dependence of the decay
probability. Between the nodes the card interpolates linearly in log(mass) and keeps the end
values beyond the ends (:class:`~darkreach.experiments.missing_momentum.EfficiencyTable`).
:func:`calibrate_efficiency` verifies the result by recomputing the reach at the nodes (a
curve point can also be a root of ``S = s_up`` that is not the lower edge of the excluded
region, e.g. in a closed region; the verification reports it).

Background (kaon-invisible cards). One number sets the background level, the photon-veto
inefficiency that multiplies the K+ -> mu+ nu gamma inner-bremsstrahlung tail (the
resolution-smeared K_mu2 peak does not depend on it). It enters the reach non-linearly (the
cut is optimised per mass, S_min = Z sqrt(B + kappa^2 B^2)), so :func:`calibrate_background`
fits it by least squares in ln g over the curve points (bounded Brent search in ln of the
inefficiency); the shape in mass is left free, and :attr:`BackgroundCalibration.deviation`
says how well it then matches.

The curve file is read by the shared reader :func:`darkreach.curves.read_curve` (a CSV whose
header names ``mass_MeV`` (or ``mass_GeV``) and ``coupling`` columns, as ``darkreach reach
--out`` writes, or a HEPData YAML table); :func:`load_curve` keeps the points with a coupling
and the model the file names.

TOML. :func:`card_toml` writes a card back as TOML text (no extra dependency); the written
card loads and validates like a shipped one.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.errors import BadCardError, InvalidParameterError

__all__ = [
    "QUANTITIES",
    "BackgroundCalibration",
    "Calibration",
    "Curve",
    "calibrate_background",
    "calibrate_efficiency",
    "calibrated_card_data",
    "card_toml",
    "check_quantity",
    "curve_points",
    "efficiency_for_curve",
    "fit_photon_veto_inefficiency",
    "load_curve",
]

#: quantities ``darkreach calibrate --quantity`` can fit, per experiment type
QUANTITIES: dict[str, tuple[str, ...]] = {
    "missing-momentum": ("efficiency",),
    "missing-energy": ("efficiency",),
    "kaon-invisible": ("background",),
    "kaon-dimuon": (),
    "kaon-hnl": (),
    "beam-dump": ("efficiency",),
}

#: significant digits of the fitted values written to a card (1e-5 relative: far below any
#: calibration tolerance)
DIGITS = 5


@dataclass(frozen=True)
class Curve:
    """A published (or any) limit curve: masses [MeV] increasing, couplings > 0.

    ``model`` is the model named in a darkreach header line (``# model: NAME``), if any;
    ``name`` the file name.
    """

    masses: FloatArray
    coupling: FloatArray
    name: str
    model: str | None = None


def load_curve(path: Path | str, card: str | None = None) -> Curve:
    """Read a curve file with :func:`darkreach.curves.read_curve` for calibration.

    Masses without a limit (empty coupling cells, as ``darkreach reach --out`` writes them)
    are dropped; the model is the one the file names (``# model: NAME`` header line or a
    HEPData ``model`` qualifier), if any. ``card`` selects one card of a multi-card file.
    Errors are those of ``read_curve`` (one line naming the file), and a curve of fewer than
    two points with a coupling.
    """
    from darkreach.curves import read_curve

    found = read_curve(path, card)
    keep = np.isfinite(found.coupling)
    masses = np.asarray(found.mass_MeV[keep], dtype=float)
    if masses.size < 2:
        raise InvalidParameterError(
            str(found.source),
            f"{masses.size} point(s) with a coupling",
            "a curve of at least 2 points",
        )
    coupling = np.asarray(found.coupling[keep], dtype=float)
    return Curve(masses, coupling, found.source.name, found.model)


def check_quantity(card_type: str, quantity: str) -> None:
    """Raise unless ``quantity`` can be calibrated for cards of ``card_type``."""
    supported = QUANTITIES.get(card_type, ())
    if quantity in supported:
        return
    listing = "; ".join(f"{t}: {', '.join(q) or 'none yet'}" for t, q in QUANTITIES.items())
    raise InvalidParameterError(
        "--quantity",
        quantity,
        f"{', '.join(supported) or 'nothing'} for a {card_type} card ({listing})",
    )


def curve_points(
    curve: Curve, mass_range: tuple[float, float], nodes: FloatArray | None = None
) -> tuple[FloatArray, FloatArray]:
    """(masses, couplings) to calibrate at, below the card's kinematic limit [MeV].

    ``mass_range`` is the card's (grid bottom, kinematic limit); only the limit restricts the
    curve (below the grid bottom the yield is still defined, and the fitted table is flat
    beyond its first node anyway). Without ``nodes``: the curve's own masses below the limit.
    With ``nodes`` (MeV): the curve interpolated linearly in (log m, log g) at the nodes,
    which must lie within the curve. A curve that does not overlap the card's range is an
    error.
    """
    high = mass_range[1]
    inside = curve.masses < high
    if not inside.any():
        raise InvalidParameterError(
            "--to",
            f"{curve.name} (masses {curve.masses[0]:g}-{curve.masses[-1]:g} MeV)",
            f"a curve overlapping the card's mass range (0, {high:.6g}) MeV",
        )
    if nodes is None:
        return curve.masses[inside], curve.coupling[inside]
    n = np.asarray(nodes, dtype=float)
    outside = (n < curve.masses[0]) | (n > curve.masses[-1]) | (n >= high)
    if outside.any():
        raise InvalidParameterError(
            "--nodes",
            f"{n[outside][0]:g} MeV",
            f"masses within the curve ({curve.masses[0]:g}-{curve.masses[-1]:g} MeV) and "
            f"below the card's kinematic limit {high:.6g} MeV",
        )
    g = np.exp(np.interp(np.log(n), np.log(curve.masses), np.log(curve.coupling)))
    return n, g


def efficiency_for_curve(
    experiment: Any,
    model: Any,
    masses: FloatArray,
    coupling: FloatArray,
    *,
    cl: float | None = None,
    method: str | None = None,
) -> FloatArray:
    """Efficiency at ``masses`` [MeV] that puts the card's reach through ``coupling``.

    ``eps_new = eps_old s_up / S_old(m, g)`` (module docstring), with ``s_up`` the card's
    event limit (observed for data, median expected for projections) at ``cl``/``method``
    (default: the card's). Raises if the curve needs an efficiency above 1 or has no signal.
    """
    stats = experiment.card.statistics
    cl = stats.cl if cl is None else cl
    method = stats.method if method is None else method
    s_up, eff_old = experiment.calibration_inputs(masses, cl, method)
    signal = experiment.signal_yield(model, masses, coupling)
    no_signal = ~(signal > 0)
    if no_signal.any():
        raise InvalidParameterError(
            "--to",
            f"a point at {masses[no_signal][0]:g} MeV",
            f"masses where the card has signal for model {model.name}",
        )
    eff = np.asarray(eff_old * s_up / signal, dtype=float)
    too_high = eff > 1.0
    if too_high.any():
        i = int(np.flatnonzero(too_high)[0])
        raise InvalidParameterError(
            "--to",
            f"coupling {coupling[i]:.4g} at {masses[i]:g} MeV",
            f"couplings the card can reach with efficiency <= 1 (this one needs {eff[i]:.3g})",
        )
    return eff


@dataclass(frozen=True)
class Calibration:
    """Result of :func:`calibrate_efficiency`: the table and how well the card then agrees.

    ``deviation`` is g_card / g_curve - 1 at the nodes after calibration.
    """

    masses: FloatArray
    efficiency: FloatArray
    target: FloatArray
    reached: FloatArray
    card_data: dict[str, Any]

    @property
    def deviation(self) -> FloatArray:
        """Relative deviation of the calibrated card from the curve at each node."""
        return np.asarray(self.reached / self.target - 1.0, dtype=float)


def _rounded(values: FloatArray) -> list[float]:
    return [float(f"{v:.{DIGITS}g}") for v in values]


def calibrated_card_data(
    card: Any,
    masses: FloatArray,
    efficiency: FloatArray,
    *,
    name: str,
    source: str,
    note: str,
    title: str | None = None,
    citation: str | None = None,
) -> dict[str, Any]:
    """The card as a plain dict with its efficiency replaced by a calibrated table.

    ``card`` is a validated missing-momentum card; ``masses`` [MeV] and ``efficiency`` the
    fitted nodes (rounded to :data:`DIGITS` significant digits). ``citation``, if given, is
    added to the card's references under the key ``calibration``.
    """
    data: dict[str, Any] = card.model_dump(mode="json", exclude_none=True)
    data["name"] = name
    if title is not None:
        data["title"] = title
    table = {
        "table": {
            "masses": [f"{m:.6g} MeV" for m in masses],
            "values": _rounded(efficiency),
            "source": source,
            "status": "calibrated",
            "note": note,
        }
    }
    if "channels" in data:  # beam dump: the (single) channel's selection efficiency
        data["channels"][0]["efficiency"] = table
    else:
        data["efficiency"] = table
    if citation:
        refs = [r for r in data.get("references", []) if r.get("key") != "calibration"]
        refs.append({"key": "calibration", "citation": citation})
        data["references"] = refs
    return data


def calibrate_efficiency(
    experiment: Any,
    model: Any,
    curve: Curve,
    *,
    name: str,
    citation: str = "",
    nodes: FloatArray | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
) -> Calibration:
    """Fit the efficiency table of a missing-momentum or missing-energy ``experiment``.

    Returns the fitted nodes, the card data with the calibrated table (provenance: source =
    curve file name and ``citation``; note = model, limit, darkreach version and date), and
    the card's reach at the nodes after calibration (:attr:`Calibration.deviation`).
    """
    experiment_cls = type(experiment)
    card_cls = type(experiment.card)
    masses, target = curve_points(curve, experiment.mass_range(), nodes)
    efficiency = efficiency_for_curve(experiment, model, masses, target)
    card = experiment.card
    day = (date or _dt.date.today()).isoformat()
    source = f"calibrated to {curve.name}" + (f" ({citation})" if citation else "")
    note = (
        f"fitted with darkreach {__version__} calibrate on {day}: model {model.name}, "
        f"{card.statistics.method} {card.statistics.cl:g} CL limit of card {card.name}, "
        f"{masses.size} nodes at the curve's masses (MeV); log-linear in mass between them, "
        "flat beyond the ends"
    )
    if nodes is not None:
        note = note.replace("at the curve's masses", "on the stated node grid")
    data = calibrated_card_data(
        card,
        masses,
        efficiency,
        name=name,
        source=source,
        note=note,
        title=title,
        citation=citation or None,
    )
    try:
        new = experiment_cls(card_cls.model_validate(data))
    except ValidationError as exc:
        from darkreach.experiments.card_errors import describe_validation_error

        path = Path(f"{name}.toml")
        raise BadCardError(describe_validation_error(path, exc, card_cls)) from None
    reached = new.reach(model, masses).coupling
    section = data["channels"][0] if "channels" in data else data
    values = np.array(section["efficiency"]["table"]["values"])
    return Calibration(masses, values, target, reached, data)


# ----------------------------------------------------------------------------- background

#: search range of the photon-veto inefficiency in :func:`fit_photon_veto_inefficiency`
INEFFICIENCY_RANGE = (1e-9, 1.0)
#: card field that :func:`calibrate_background` fits
BACKGROUND_FIELD = "background.photon_veto_inefficiency"


def fit_photon_veto_inefficiency(
    experiment: Any, model: Any, masses: FloatArray, coupling: FloatArray
) -> float:
    """Photon-veto inefficiency minimising sum_i ln(g_card(m_i) / g_i)^2 (one number).

    ``experiment`` is a :class:`~darkreach.experiments.kaon.invisible.KaonInvisible`; its reach
    (card statistics) is recomputed for each trial value (bounded Brent search in ln of the
    inefficiency over :data:`INEFFICIENCY_RANGE`, to 1e-6 relative). Raises if the card has no
    reach at a curve mass or if the best fit sits at an end of the range.
    """
    from scipy.optimize import minimize_scalar

    target = np.log(np.asarray(coupling, dtype=float))
    first = experiment.reach(model, masses).coupling
    bad = ~np.isfinite(first)
    if bad.any():
        raise InvalidParameterError(
            "--to",
            f"a point at {masses[bad][0]:g} MeV",
            f"masses where card {experiment.name} has reach for model {model.name}",
        )

    def cost(log_value: float) -> float:
        trial = experiment.with_photon_veto_inefficiency(math.exp(log_value))
        residual = np.log(trial.reach(model, masses).coupling) - target
        total = float(np.sum(residual**2))
        return total if math.isfinite(total) else math.inf

    low, high = (math.log(v) for v in INEFFICIENCY_RANGE)
    result = minimize_scalar(cost, bounds=(low, high), method="bounded", options={"xatol": 1e-6})
    best = float(result.x)
    if best < low + 1e-3 or best > high - 1e-3:
        side = "below" if best < low + 1e-3 else "above"
        raise InvalidParameterError(
            "--to",
            f"{masses.size} points at {masses[0]:g}-{masses[-1]:g} MeV",
            f"a curve card {experiment.name} reaches with a photon-veto inefficiency within "
            f"{INEFFICIENCY_RANGE[0]:g}-{INEFFICIENCY_RANGE[1]:g} (the best fit is {side})",
        )
    return math.exp(best)


@dataclass(frozen=True)
class BackgroundCalibration:
    """Result of :func:`calibrate_background`: the fitted level and the agreement.

    ``value`` is the fitted photon-veto inefficiency (rounded to :data:`DIGITS` digits, as
    written), ``previous`` the card's; ``reached`` the new card's reach at ``masses`` and
    ``deviation`` g_card / g_curve - 1 there (the shape is not fitted: this is its mismatch).
    """

    masses: FloatArray
    target: FloatArray
    reached: FloatArray
    value: float
    previous: float
    card_data: dict[str, Any]

    @property
    def deviation(self) -> FloatArray:
        """Relative deviation of the calibrated card from the curve at each mass."""
        return np.asarray(self.reached / self.target - 1.0, dtype=float)


def calibrate_background(
    experiment: Any,
    model: Any,
    curve: Curve,
    *,
    name: str,
    citation: str = "",
    nodes: FloatArray | None = None,
    title: str | None = None,
    date: _dt.date | None = None,
) -> BackgroundCalibration:
    """Fit the background level of a kaon-invisible ``experiment`` to ``curve``.

    The one number fitted is ``background.photon_veto_inefficiency``
    (:func:`fit_photon_veto_inefficiency`), over the curve's masses below the kinematic limit
    or, with ``nodes`` (MeV), over the curve interpolated there (:func:`curve_points`). The
    card data carry it with ``status = "calibrated"``, source = curve file name and
    ``citation``, and a note with the model, the fitted masses, the darkreach version and the
    date; the new card is validated and its reach recomputed at the masses.
    """
    from darkreach.experiments.kaon.invisible import KaonInvisible
    from darkreach.experiments.kaon.schema import KaonInvisibleCard

    masses, target = curve_points(curve, experiment.mass_range(), nodes)
    value = float(f"{fit_photon_veto_inefficiency(experiment, model, masses, target):.{DIGITS}g}")
    card = experiment.card
    previous = card.background.photon_veto_inefficiency.number()
    day = (date or _dt.date.today()).isoformat()
    listed = ", ".join(f"{m:.6g}" for m in masses)
    note = (
        f"fitted with darkreach {__version__} calibrate on {day}: model {model.name}, "
        f"{card.statistics.method} criterion of card {card.name}; one number fitted by least "
        f"squares in ln g at {masses.size} masses ({listed} MeV), shape in mass left free; "
        f"was {previous:g}"
    )
    data: dict[str, Any] = card.model_dump(mode="json", exclude_none=True)
    data["name"] = name
    if title is not None:
        data["title"] = title
    data["background"]["photon_veto_inefficiency"] = {
        "value": value,
        "source": f"calibrated to {curve.name}" + (f" ({citation})" if citation else ""),
        "status": "calibrated",
        "note": note,
    }
    if citation:
        refs = [r for r in data.get("references", []) if r.get("key") != "calibration"]
        refs.append({"key": "calibration", "citation": citation})
        data["references"] = refs
    try:
        new = KaonInvisible(KaonInvisibleCard.model_validate(data))
    except ValidationError as exc:
        from darkreach.experiments.card_errors import describe_validation_error

        path = Path(f"{name}.toml")
        raise BadCardError(describe_validation_error(path, exc, KaonInvisibleCard)) from None
    reached = new.reach(model, masses).coupling
    return BackgroundCalibration(masses, target, reached, value, previous, data)


# ----------------------------------------------------------------------------- TOML writing


def _toml_string(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    )
    if "\n" in escaped:
        return '"""\n' + escaped + '"""'
    return f'"{escaped}"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return _toml_float(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence):
        rendered = [_toml_value(v) for v in value]
        if any(isinstance(v, Mapping) for v in value):
            return "[\n" + "".join(f"  {r},\n" for r in rendered) + "]"
        return "[" + ", ".join(rendered) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _toml_float(value: float) -> str:
    """The shortest text that reads back as ``value`` and as a TOML float (1.98e+10, 0.05)."""
    for digits in range(1, 18):
        text = f"{value:.{digits}g}"
        if float(text) == value:
            break
    if not any(c in text for c in ".e"):
        text += ".0"
    return min(text, repr(value), key=len)


def _key(key: str) -> str:
    bare = key.replace("_", "").replace("-", "").isalnum() and key.isascii()
    return key if bare else _toml_string(key)


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) > 0
        and all(isinstance(v, Mapping) for v in value)
    )


def _section(lines: list[str], name: str, table: Mapping[str, Any]) -> None:
    """Emit ``[name]``: plain keys (Sourced numbers as inline tables), then sub-tables that
    hold arrays (e.g. an efficiency table) as ``[name.key]`` so that they stay readable."""
    plain, subtables = [], []
    for key, value in table.items():
        if isinstance(value, Mapping) and any(
            isinstance(v, Sequence) and not isinstance(v, str) for v in value.values()
        ):
            subtables.append((key, value))
        else:
            plain.append(f"{_key(key)} = {_toml_value(value)}")
    if plain or not subtables:
        lines.extend([f"[{name}]", *plain, ""])
    for key, value in subtables:
        _section(lines, f"{name}.{_key(key)}", value)


def card_toml(data: Mapping[str, Any], comments: Sequence[str] = ()) -> str:
    """TOML text of a card given as a plain dict (``model_dump(mode="json")``).

    Top-level values first, then ``[[references]]``-style arrays of tables, then one
    ``[section]`` per table. ``comments`` become ``#`` lines at the top. Keys whose value is
    None or an empty string are left out (they are optional with those defaults).
    """

    def keep(value: Any) -> bool:
        return value is not None and value != ""

    def clean(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {k: clean(v) for k, v in value.items() if keep(v)}
        if isinstance(value, (list, tuple)):
            return [clean(v) for v in value]
        return value

    body = clean(data)
    lines = [f"# {c}" if c else "#" for c in comments]
    arrays, sections = [], []
    for key, value in body.items():
        if _is_table_array(value):
            arrays.append((key, value))
        elif isinstance(value, Mapping):
            sections.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_toml_value(value)}")
    lines.append("")
    for key, value in arrays:
        for item in value:
            lines.append(f"[[{_key(key)}]]")
            lines.extend(f"{_key(k)} = {_toml_value(v)}" for k, v in item.items())
            lines.append("")
    for key, value in sections:
        _section(lines, _key(key), value)
    return "\n".join(lines).rstrip("\n") + "\n"
