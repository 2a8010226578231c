"""On-disk cache for expensive, model-independent tables (DESIGN principle 3).

Arrays are stored as ``.npy`` files named by the SHA-256 of their inputs and of the source code
of darkreach itself (so an edited physics function in an editable install never reuses a stale
table), in the cache directory:

* ``DARKREACH_CACHE`` unset or ``on``: ``$DARKREACH_CACHE_DIR`` or ``~/.cache/darkreach``;
* ``DARKREACH_CACHE=off``: no cache;
* ``DARKREACH_CACHE=/some/dir``: that directory.

Any other value is an error. Writes are atomic (temporary file + rename; the temporary file is
removed on any failure, e.g. a full disk). Entries are validated on read (readable ``.npy``,
float64, the expected shape, finite and non-negative values); a faulty entry is deleted and
recomputed. ``darkreach cache info`` and ``darkreach cache clear`` inspect and empty it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from darkreach._version import __version__
from darkreach.array_types import FloatArray
from darkreach.errors import InvalidParameterError

_OFF = ("off", "0", "no", "false")
_ON = ("", "on", "1", "yes", "true")
ENTRY_SUFFIX = ".npy"
TEMP_SUFFIX = ".npy.tmp"


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is disabled.

    Raises InvalidParameterError for a ``DARKREACH_CACHE`` value that is neither on/off nor a
    path (a path contains a ``/`` or starts with ``~`` or ``.``).
    """
    setting = os.environ.get("DARKREACH_CACHE", "on").strip()
    if setting.lower() in _OFF:
        return None
    if setting.lower() in _ON:
        root = os.environ.get("DARKREACH_CACHE_DIR")
        return Path(root).expanduser() if root else Path.home() / ".cache" / "darkreach"
    if os.sep in setting or setting.startswith(("~", ".")):
        return Path(setting).expanduser()
    raise InvalidParameterError(
        "DARKREACH_CACHE", repr(setting), "on, off, or a directory path such as ~/dr-cache"
    )


@lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """SHA-256 of every ``.py`` file of the installed darkreach package (computed once)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(**inputs: Any) -> str:
    """A stable hash of the inputs (arrays hashed by value) and of darkreach's source code."""
    digest = hashlib.sha256(source_fingerprint().encode())
    for name in sorted(inputs):
        value = inputs[name]
        digest.update(name.encode())
        if isinstance(value, np.ndarray):
            digest.update(str(value.dtype).encode() + str(value.shape).encode())
            digest.update(np.ascontiguousarray(value).tobytes())
        else:
            digest.update(json.dumps(value, sort_keys=True, default=repr).encode())
    return digest.hexdigest()


def _valid(value: Any, shape: tuple[int, ...] | None, nonnegative: bool) -> bool:
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        return False
    if shape is not None and value.shape != tuple(shape):
        return False
    if not np.all(np.isfinite(value)):
        return False
    return not (nonnegative and np.any(value < 0))


def _read(path: Path, shape: tuple[int, ...] | None, nonnegative: bool) -> FloatArray | None:
    try:
        loaded = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        loaded = None
    if loaded is not None and _valid(loaded, shape, nonnegative):
        result: FloatArray = loaded
        return result
    with contextlib.suppress(OSError):
        path.unlink()  # a faulty entry is removed, then recomputed
    return None


def _write(directory: Path, path: Path, value: FloatArray) -> None:
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=TEMP_SUFFIX)
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, value, allow_pickle=False)
        os.replace(tmp, path)
        tmp = None
    except OSError:
        pass  # a read-only or full disk is not an error: the value is returned all the same
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def cached_array(
    key: str,
    compute: Callable[[], FloatArray],
    *,
    shape: tuple[int, ...] | None = None,
    nonnegative: bool = True,
) -> FloatArray:
    """Return the cached array for ``key``, computing and storing it on a miss or a fault.

    A stored entry is used only if it is a float64 array of ``shape`` (when given) with finite
    (and, with ``nonnegative``, non-negative) values; anything else is recomputed.
    """
    directory = cache_dir()
    if directory is None:
        return compute()
    path = directory / f"{key}{ENTRY_SUFFIX}"
    if path.is_file():
        stored = _read(path, shape, nonnegative)
        if stored is not None:
            return stored
    value = np.asarray(compute(), dtype=np.float64)
    if _valid(value, shape, nonnegative):
        _write(directory, path, value)
    return value


@dataclass(frozen=True)
class CacheInfo:
    """What ``darkreach cache info`` reports."""

    directory: Path | None
    entries: int
    size_bytes: int
    temporary_files: int


def cache_info() -> CacheInfo:
    """Directory, number and total size of entries, and left-over temporary files."""
    directory = cache_dir()
    if directory is None or not directory.is_dir():
        return CacheInfo(directory, 0, 0, 0)
    entries = [p for p in directory.glob(f"*{ENTRY_SUFFIX}") if p.is_file()]
    temps = [p for p in directory.glob(f"*{TEMP_SUFFIX}") if p.is_file()]
    size = sum(p.stat().st_size for p in (*entries, *temps))
    return CacheInfo(directory, len(entries), size, len(temps))


def clear_cache() -> int:
    """Delete every entry and temporary file of the cache; return how many files went."""
    directory = cache_dir()
    if directory is None or not directory.is_dir():
        return 0
    removed = 0
    for pattern in (f"*{ENTRY_SUFFIX}", f"*{TEMP_SUFFIX}"):
        for path in directory.glob(pattern):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed
