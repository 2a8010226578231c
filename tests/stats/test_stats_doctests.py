"""The examples in the stats docstrings run and pass."""

from __future__ import annotations

import doctest
import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "darkreach.stats",
        "darkreach.stats.poisson",
        "darkreach.stats.expected",
        "darkreach.stats.sensitivity",
    ],
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
