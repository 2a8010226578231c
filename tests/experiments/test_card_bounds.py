"""Card values that pass the schema types but break physics: one-line BadCardError each."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from darkreach.errors import BadCardError, DarkreachError
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model

BKG = "background = { value = 0.07, uncertainty = 0.03"
BKG_WITH = "background = { value = 0.07, uncertainty = "
MOT = "on_target = { value = 1.98e10, uncertainty = 0.02e10"


def _variant(tmp_path: Path, base: str, replacements: dict[str, str]) -> Path:
    text = card_path(base).read_text()
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "variant.toml"
    path.write_text(text)
    return path


CASES = [
    # (base card, replacement, words the message must contain)
    (
        "na64mu-2022",
        {'value = "5 m", source = "assumption: ECAL': 'value = "-5 m", source = "x'},
        ["target.downstream_length", "-5 m", "0 <= L <= 1 km"],
    ),
    (
        "na64mu-2022",
        {'recoil_energy_max = { value = "80 GeV"': 'recoil_energy_max = { value = "160 GeV"'},
        ["recoil_energy_max", "160 GeV", "E_cut < beam.energy"],
    ),
    (
        "na64mu-2022",
        {'recoil_energy_max = { value = "80 GeV"': 'recoil_energy_max = { value = "0 GeV"'},
        ["recoil_energy_max", "0 GeV", "> 0"],
    ),
    ("m3-phase1", {"x_min = { value = 0.5": "x_min = { value = 1.0"}, ["x_min", "1.0", "[0, 1)"]),
    (
        "na64mu-2022",
        {BKG: BKG_WITH + '"0.03 GeV"'},
        ["statistics.background", "0.03 GeV", "plain number"],
    ),
    (
        "na64mu-2022",
        {MOT: 'on_target = { value = 1.98e10, uncertainty = "2 mm"'},
        ["beam.on_target", "2 mm", "plain number"],
    ),
    (
        "na64mu-2022",
        {'energy = { value = "160 GeV"': 'energy = { value = "160 GeV", uncertainty = 0.5'},
        ["beam.energy", "0.5", "energy with its unit"],
    ),
    (
        "na64mu-2022",
        {"background = { value = 0.07": "background = { value = 7e306"},
        ["statistics.background", "7e+306", "[0, 1e+06] events"],
    ),
    (
        "na64mu-2022",
        {BKG: BKG_WITH + "7e306"},
        ["background.uncertainty", "7e+306", "10 x background"],
    ),
    (
        "na64mu-2022",
        {BKG: BKG_WITH + "-0.03"},
        ["statistics.background", "-0.03", ">= 0"],
    ),
    (
        "na64mu-2022",
        {"repeat = { value = 150": "repeat = { value = 1.5e15"},
        ["target.repeat", "1500000000000000.0", "[1, 100000]"],
    ),
    (
        "na64mu-2022",
        {"repeat = { value = 150": "repeat = { value = 4000"},
        ["target", "total thickness = 12 m", "<= 10 m"],
    ),
    ("m3-phase1", {'value = "17.5 cm"': 'value = "1 km"'}, ["thickness", "1 km", "<= 10 m"]),
    (
        "na64mu-2022",
        {'energy = { value = "160 GeV"': 'energy = { value = "1e400 GeV"'},
        ["beam.energy", "1e400 GeV", "finite"],
    ),
]


@pytest.mark.parametrize(("base", "replacements", "words"), CASES)
def test_physics_breaking_values_give_one_line_naming_field_value_range(
    tmp_path: Path, base: str, replacements: dict[str, str], words: list[str]
) -> None:
    path = _variant(tmp_path, base, replacements)
    with pytest.raises(BadCardError) as info:
        get_experiment(path)
    message = str(info.value)
    assert "\n" not in message and "Traceback" not in message
    for word in words:
        assert word in message, (word, message)


def test_uncertainty_tiny_is_accepted_and_finite(tmp_path: Path) -> None:
    """uncertainty 1e-300 on the background: negligible, the limit equals the db = 0 one."""
    path = _variant(
        tmp_path,
        "na64mu-2022",
        {BKG: BKG_WITH + "1e-300"},
    )
    exp = get_experiment(path)
    _, limits = exp.signal_limits(0.9, "cls")  # type: ignore[attr-defined]
    assert limits["central"] == pytest.approx(np.log(10.0), rel=1e-9)  # n = 0 CLs: ln 10


def test_longest_allowed_target_costs_bounded_work(tmp_path: Path) -> None:
    """A 10 m lead layer (the bound) is sliced into at most ~4000 steps: fast, finite yield,
    and a 15 GeV muon that stops in 10 m of tungsten gives no signal from the far end."""
    path = _variant(tmp_path, "m3-phase1", {'value = "17.5 cm"': 'value = "10 m"'})
    exp = get_experiment(path)
    start = time.perf_counter()
    layers = exp.layer_energies  # type: ignore[attr-defined]
    assert len(layers) <= 4001
    assert layers[-1][2] == 0.0  # stopped (34 MeV/cm x 10 m >> 15 GeV)
    masses = np.array([10.0, 100.0])
    yields = exp.signal_yield(get_model("lmu-ltau"), masses, 1e-3)
    assert time.perf_counter() - start < 60.0
    assert np.all(np.isfinite(yields)) and np.all(yields > 0)
    short = get_experiment("m3-phase1").signal_yield(get_model("lmu-ltau"), masses, 1e-3)
    # more target, more signal, but far less than 10 m / 17.5 cm = 57 times more
    assert np.all(yields > short) and np.all(yields < 57 * short)


def test_no_other_exception_type_leaks(tmp_path: Path) -> None:
    """Every bad value above surfaces as a DarkreachError, never as MemoryError etc."""
    for base, replacements, _ in CASES:
        path = _variant(tmp_path, base, replacements)
        try:
            get_experiment(path)
        except DarkreachError:
            continue
        pytest.fail(f"{replacements} was accepted")
