"""The examples in the docstrings of the core modules run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "darkreach.errors",
    "darkreach.units",
    "darkreach.validate",
    "darkreach.solve",
    "darkreach.cli._common",
    "darkreach.experiments.registry",
    "darkreach.experiments.materials",
    "darkreach.experiments.missing_momentum",
    "darkreach.reach",
    "darkreach.plotting",
    "darkreach.text",
    "darkreach.quadrature",
    "darkreach.physics.decay",
    "darkreach.production.lepton_brem",
    "darkreach.production.kaon_to_pion",
    "darkreach.figures",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
