"""Test-wide settings: an empty on-disk cache per session, headless plotting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("darkreach-cache")
    old = os.environ.get("DARKREACH_CACHE_DIR")
    os.environ["DARKREACH_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("DARKREACH_CACHE_DIR", None)
    else:
        os.environ["DARKREACH_CACHE_DIR"] = old
