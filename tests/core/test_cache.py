"""The disk cache: keys follow the source code, faulty entries are recomputed, no debris."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from darkreach import cache
from darkreach.cli import main
from darkreach.errors import InvalidParameterError


@pytest.fixture()
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DARKREACH_CACHE", raising=False)
    monkeypatch.setenv("DARKREACH_CACHE_DIR", str(tmp_path))
    return tmp_path


def _counter(value: np.ndarray) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> np.ndarray:
        calls.append(1)
        return value.copy()

    return calls, compute


def test_key_follows_the_source_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited physics module (editable install) must not reuse a stale table."""
    before = cache.cache_key(a=np.arange(3.0))
    monkeypatch.setattr(cache, "source_fingerprint", lambda: "edited source")
    assert cache.cache_key(a=np.arange(3.0)) != before


def test_fingerprint_covers_physics_modules() -> None:
    from darkreach.production import muon_brem

    package = Path(cache.__file__).resolve().parent
    assert Path(muon_brem.__file__).resolve().is_relative_to(package)
    assert len(cache.source_fingerprint()) == 64


@pytest.mark.parametrize(
    "fault",
    ["empty", "garbage", "wrong_shape", "wrong_dtype", "nan", "negative"],
)
def test_faulty_entry_is_recomputed_and_replaced(cache_in: Path, fault: str) -> None:
    good = np.array([[1.0, 2.0], [3.0, 4.0]])
    key = cache.cache_key(case=fault)
    path = cache_in / f"{key}.npy"
    if fault == "empty":
        path.write_bytes(b"")
    elif fault == "garbage":
        path.write_bytes(b"not an npy file")
    elif fault == "wrong_shape":
        np.save(path, np.arange(3.0))
    elif fault == "wrong_dtype":
        np.save(path, good.astype(np.float32))
    elif fault == "nan":
        np.save(path, np.where(good > 3, np.nan, good))
    else:
        np.save(path, -good)
    calls, compute = _counter(good)
    out = cache.cached_array(key, compute, shape=(2, 2))  # type: ignore[arg-type]
    np.testing.assert_array_equal(out, good)
    assert calls == [1]
    np.testing.assert_array_equal(np.load(path), good)  # the entry was rewritten
    cache.cached_array(key, compute, shape=(2, 2))  # type: ignore[arg-type]
    assert calls == [1]  # and is now used


def test_full_disk_leaves_no_temporary_file(
    cache_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache.np, "save", disk_full)
    _calls, compute = _counter(np.ones(4))
    np.testing.assert_array_equal(cache.cached_array("k", compute), np.ones(4))  # type: ignore[arg-type]
    assert list(cache_in.iterdir()) == []


@pytest.mark.parametrize("value", ["maybe", "disabled", "2"])
def test_unknown_cache_setting_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("DARKREACH_CACHE", value)
    with pytest.raises(InvalidParameterError, match="DARKREACH_CACHE"):
        cache.cache_dir()


def test_cache_setting_accepts_off_and_a_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DARKREACH_CACHE", "off")
    assert cache.cache_dir() is None
    monkeypatch.setenv("DARKREACH_CACHE", str(tmp_path / "here"))
    assert cache.cache_dir() == tmp_path / "here"
    _calls, compute = _counter(np.ones(2))
    cache.cached_array("abc", compute)  # type: ignore[arg-type]
    assert (tmp_path / "here" / "abc.npy").is_file()


def test_cache_info_and_clear_cli(cache_in: Path, capsys: pytest.CaptureFixture[str]) -> None:
    np.save(cache_in / "a.npy", np.ones(3))
    (cache_in / "left.npy.tmp").write_bytes(b"x")
    assert main(["cache", "info", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["entries"] == 1 and info["temporary_files"] == 1
    assert info["directory"] == str(cache_in) and "version" in info
    assert main(["cache", "clear"]) == 0
    assert "removed 2" in capsys.readouterr().out
    assert list(cache_in.iterdir()) == []


def test_bad_cache_setting_at_the_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DARKREACH_CACHE", "sometimes")
    assert main(["cache", "info"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DARKREACH_CACHE" in err
