"""On-disk cache for expensive, model-independent tables (DESIGN principle 3).

Arrays are stored as ``.npy`` files named by the SHA-256 of their inputs and the package
version, in ``$DARKREACH_CACHE_DIR`` (default ``~/.cache/darkreach``). Set
``DARKREACH_CACHE=off`` to disable it. Writes are atomic (temporary file + rename), so an
interrupted run never leaves a corrupt entry; an unreadable entry is recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from darkreach._version import __version__
from darkreach.array_types import FloatArray


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is disabled."""
    if os.environ.get("DARKREACH_CACHE", "on").lower() in ("off", "0", "no", "false"):
        return None
    root = os.environ.get("DARKREACH_CACHE_DIR")
    return Path(root) if root else Path.home() / ".cache" / "darkreach"


def cache_key(**inputs: Any) -> str:
    """A stable hash of the inputs (arrays hashed by value) and the package version."""
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(inputs):
        value = inputs[name]
        digest.update(name.encode())
        if isinstance(value, np.ndarray):
            digest.update(str(value.dtype).encode() + str(value.shape).encode())
            digest.update(np.ascontiguousarray(value).tobytes())
        else:
            digest.update(json.dumps(value, sort_keys=True, default=repr).encode())
    return digest.hexdigest()


def cached_array(key: str, compute: Callable[[], FloatArray]) -> FloatArray:
    """Return the cached array for ``key``, computing and storing it on a miss."""
    directory = cache_dir()
    if directory is None:
        return compute()
    path = directory / f"{key}.npy"
    if path.is_file():
        try:
            loaded: FloatArray = np.load(path, allow_pickle=False)
            return loaded
        except (OSError, ValueError):
            pass
    value = compute()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".npy.tmp")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, value, allow_pickle=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home is not an error: the value is returned all the same
    return value
