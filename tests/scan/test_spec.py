"""The scan spec: validation (one line naming key, value and what is allowed) and expansion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from darkreach.scan.spec import SpecError, load_spec
from darkreach.scan.task import expand

HEAD = '[scan]\ncards = ["na64mu-2022"]\nmodels = ["lmu-ltau-dm"]\nmasses = "1MeV:1GeV:5"\n'


def test_expansion_multiplies_only_the_axes_a_model_takes(
    spec_file: Callable[..., Path],
) -> None:
    spec = load_spec(
        spec_file(
            '[scan]\ncards = ["na64mu-2022", "m3-phase1"]\n'
            'models = ["lmu-ltau", "lmu-ltau-dm"]\nmasses = ["1MeV", "10MeV", "100MeV"]\n'
            "cl = [0.9, 0.95]\n[scan.options]\nalpha_d = [0.1, 0.5]\nratio = [2.5, 3.0]\n"
            'neutrinos = ["left", "dirac"]\n'
        )
    )
    tasks = expand(spec, code="test")
    # per card and cl: lmu-ltau takes neutrinos (2); lmu-ltau-dm takes all three (8)
    assert len(tasks) == 2 * 2 * (2 + 8)
    plain = [t for t in tasks if t.model == "lmu-ltau"]
    assert {tuple(dict(t.options)) for t in plain} == {("neutrinos",)}
    assert spec.masses == pytest.approx((1.0, 10.0, 100.0))
    assert len({t.hash for t in tasks}) == len(tasks)


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ("[scan.options]\nalpha = [0.1]\n", ["scan.options.alpha", "alpha_d", "dark_coupling"]),
        ("[scan.options]\nalpha_d = []\n", ["scan.options.alpha_d", "at least 1"]),
        ("[scan.options]\nalpha_d = [0.1, 20.0]\n", ["alpha_d = 20.0", "lmu-ltau-dm", "4 pi"]),
        ('[scan.options]\ndm = ["wimp"]\n', ["dm = 'wimp'", "majorana"]),
        ("[scan.options]\ndark_coupling = [1.0]\n", ["dark_coupling", "scalar"]),
        ("[scan.options]\nalpha_d = 0.1\n", ["scan.options.alpha_d", "list"]),
        ("colour = 1\n", ["scan.colour", "cards"]),
    ],
)
def test_bad_option_axes_are_one_line(
    spec_file: Callable[..., Path], body: str, needles: list[str]
) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(spec_file(HEAD + body))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("spec grid.toml: ")
    for needle in needles:
        assert needle in message, message


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        (HEAD.replace('"lmu-ltau-dm"', '"zprime"'), ["scan.models", "lmu-ltau"]),
        (HEAD.replace('"na64mu-2022"', '"na99"'), ["scan.cards", "na99"]),
        (HEAD.replace('"1MeV:1GeV:5"', '"1:2:3"'), ["scan.masses"]),
        (HEAD.replace('"1MeV:1GeV:5"', "[]"), ["scan.masses"]),
        (HEAD + 'method = "bayes"\n', ["scan.method", "cls"]),
        (HEAD + "cl = 1.5\n", ["scan.cl", "0 < cl < 1"]),
        ("[scan]\nmodels = []\n", ["scan"]),
        ("[scan\n", ["not valid TOML"]),
        (HEAD + "[other]\nx = 1\n", ["other"]),
        (HEAD.replace('"na64mu-2022"', '"na62-hnl-mu"'), ["scan.models", "hnl-mu", "na62-hnl-mu"]),
    ],
)
def test_bad_specs_are_one_line(
    spec_file: Callable[..., Path], text: str, needles: list[str]
) -> None:
    with pytest.raises(SpecError) as info:
        load_spec(spec_file(text))
    message = str(info.value)
    assert "\n" not in message
    for needle in needles:
        assert needle in message, message


def test_cli_bad_spec_exits_2_before_anything_runs(
    spec_file: Callable[..., Path], cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    path = spec_file(HEAD + "[scan.options]\nalpha_d = [-1.0]\n")
    code, out, err = cli(["scan", str(path)])
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "alpha_d = -1.0" in err
    assert not path.with_name("grid.scan.sqlite").exists()


def test_spec_hash_ignores_comments_and_order(spec_file: Callable[..., Path]) -> None:
    a = load_spec(spec_file(HEAD + "[scan.options]\nalpha_d = [0.1]\nratio = [3.0]\n", "a.toml"))
    b = load_spec(
        spec_file(
            "# a comment\n" + HEAD + "[scan.options]\nratio = [3.0]\nalpha_d = [0.1]\n", "b.toml"
        )
    )
    c = load_spec(spec_file(HEAD + "[scan.options]\nalpha_d = [0.2]\nratio = [3.0]\n", "c.toml"))
    assert a.hash == b.hash != c.hash
