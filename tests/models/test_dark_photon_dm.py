"""The dark photon with dark matter, ``dark-photon-dm`` (issue 8): registry, CLI, equivalence."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.constants import e_charge
from darkreach.errors import InvalidParameterError
from darkreach.models.dark_matter import DarkMatter
from darkreach.models.dark_photon import DarkPhoton
from darkreach.models.registry import get_model
from darkreach.reach import compute_reach


def test_defaults_are_those_of_lmu_ltau_dm() -> None:
    model = get_model("dark-photon-dm")
    assert isinstance(model, DarkPhoton)
    assert model.name == "dark-photon-dm" and model.coupling_symbol == "epsilon"
    assert model.dark_matter == get_model("lmu-ltau-dm").dark_matter  # type: ignore[attr-defined]
    assert model.dark_matter == DarkMatter("complex-scalar", mass_ratio=3.0, alpha_d=0.5)  # type: ignore[attr-defined]
    assert DarkPhoton().name == "dark-photon"


def test_options_replace_the_defaults_one_by_one() -> None:
    model = get_model("dark-photon-dm", kind="majorana", alpha_d=0.1, mass_ratio=2.5)
    assert model.dark_matter == DarkMatter("majorana", mass_ratio=2.5, alpha_d=0.1)  # type: ignore[attr-defined]
    with pytest.raises(InvalidParameterError, match="neutrinos"):
        get_model("dark-photon-dm", neutrinos="dirac")


def test_invisible_and_no_hadronic_warning() -> None:
    model = get_model("dark-photon-dm")
    masses = np.array([1.0, 100.0, 500.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        br = model.invisible_fraction(masses, 1e-3)
    assert np.all(br > 1 - 1e-5)


def test_same_reach_as_lmu_ltau_dm_with_g_equal_e_eps() -> None:
    masses = np.array([2.0, 200.0, 900.0])
    (dp,) = compute_reach(["na64mu-2022"], "dark-photon-dm", masses)
    (zp,) = compute_reach(["na64mu-2022"], "lmu-ltau-dm", masses)
    np.testing.assert_allclose(zp.coupling, e_charge * dp.coupling, rtol=1e-4)


def test_cli_passes_the_dark_matter_options(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["reach", "na64mu-2022", "--masses", "300MeV", "--json", "--model", "dark-photon-dm"]
    assert main([*args, "--dm", "dirac", "--alpha-d", "1e-6", "--ratio", "2.2"]) == 0
    weak = json.loads(capsys.readouterr().out)["curves"][0]
    assert main(args) == 0
    default = json.loads(capsys.readouterr().out)["curves"][0]
    assert default["model"] == "dark-photon-dm"
    # alpha_D = 1e-6 is comparable with eps^2 alpha: A' -> e e, mu mu visible, limit weaker
    assert weak["coupling"][0] > 1.01 * default["coupling"][0]
    assert main(["reach", "na64mu-2022", "--model", "dark-photon", "--dm", "dirac"]) == 2
    assert "lmu-ltau-dm or dark-photon-dm" in capsys.readouterr().err
