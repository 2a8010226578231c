"""Friendly errors for the optional ``darkreach[events]`` dependencies (pyarrow, pyhepmc)."""

from __future__ import annotations

import importlib
from types import ModuleType

from darkreach.errors import DarkreachError

INSTALL_HINT = 'pip install "darkreach[events]"'


class MissingExtraError(DarkreachError, ImportError):
    """An optional dependency of an extra is not installed (the CLI prints one line, exit 2)."""


def require(module: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtraError` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"{module} is not installed; event files in this format need: {INSTALL_HINT}"
        ) from None
