"""get_model and the Model protocol."""

from __future__ import annotations

import numpy as np
import pytest

from darkreach.errors import InvalidParameterError
from darkreach.models import (
    MODEL_NAMES,
    DarkMatter,
    LmuLtauZPrime,
    Model,
    MuonPhilicScalar,
    get_model,
)


def test_names() -> None:
    for name in ("lmu-ltau", "lmu-ltau-dm", "scalar", "pseudoscalar", "dark-photon", "b-l"):
        assert name in MODEL_NAMES
        model = get_model(name)
        assert isinstance(model, Model)
        assert model.name == name
        assert model.label.count("$") % 2 == 0  # balanced mathtext


def test_every_model_is_consistent() -> None:
    masses = np.geomspace(1.5, 130.0, 11)  # dark photon: above 2 m_e, below hadrons
    for name in MODEL_NAMES:
        model = get_model(name)
        brs = model.branching_ratios(masses, 1e-3)
        assert sum(brs.values()) == pytest.approx(np.ones_like(masses), rel=1e-12)
        assert set(model.invisible_channels) <= set(brs)
        inv = model.invisible_fraction(masses, 1e-3)
        assert np.all((inv >= 0) & (inv <= 1))
        assert {"e", "mu", "tau", "nu_e", "nu_mu", "nu_tau"} <= set(model.fermion_couplings())


def test_options() -> None:
    model = get_model("lmu-ltau", neutrinos="dirac")
    assert model == LmuLtauZPrime(neutrinos="dirac")
    assert get_model("pseudoscalar", dark_coupling=0.1) == MuonPhilicScalar(
        parity="pseudoscalar", dark_coupling=0.1
    )


def test_lmu_ltau_dm_defaults_and_overrides() -> None:
    default = get_model("lmu-ltau-dm")
    assert isinstance(default, LmuLtauZPrime)
    assert default.dark_matter == DarkMatter(kind="complex-scalar", mass_ratio=3.0, alpha_d=0.5)
    override = get_model("lmu-ltau-dm", kind="majorana", alpha_d=0.1, neutrinos="dirac")
    assert isinstance(override, LmuLtauZPrime)
    assert override.dark_matter == DarkMatter(kind="majorana", mass_ratio=3.0, alpha_d=0.1)
    assert override.neutrinos == "dirac"
    alias = get_model("lmu-ltau-dm", dm_kind="pseudo-dirac", delta=0.1)
    assert isinstance(alias, LmuLtauZPrime)
    assert alias.dark_matter == DarkMatter(kind="pseudo-dirac", delta=0.1)
    given = DarkMatter(kind="dirac", m_chi=5.0)
    whole = get_model("lmu-ltau-dm", dark_matter=given)
    assert isinstance(whole, LmuLtauZPrime)
    assert whole.dark_matter is given


def test_errors() -> None:
    with pytest.raises(InvalidParameterError, match="lmu-ltau, lmu-ltau-dm, scalar"):
        get_model("axion")
    with pytest.raises(InvalidParameterError, match="option"):
        get_model("lmu-ltau", alpha_d=0.1)
    with pytest.raises(InvalidParameterError, match="option"):
        get_model("scalar", parity="pseudoscalar")
    with pytest.raises(InvalidParameterError, match="not both"):
        get_model("lmu-ltau-dm", dark_matter=DarkMatter(), kind="dirac")
    with pytest.raises(InvalidParameterError, match="alpha_d"):
        get_model("lmu-ltau-dm", alpha_d=20.0)
    with pytest.raises(InvalidParameterError, match="dm_kind"):
        get_model("lmu-ltau-dm", kind="dirac", dm_kind="majorana")
