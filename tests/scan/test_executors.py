"""The same spec gives identical results in-process, in a process pool and on Dask."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from darkreach.scan.executors import ExecutorChoice
from darkreach.scan.runner import run_scan
from darkreach.scan.spec import load_spec


def _results(store: Path) -> dict[str, str]:
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT hash, state, result FROM tasks").fetchall()
    assert all(state == "done" for _, state, _ in rows)
    return {h: r for h, _, r in rows}


def test_identical_results_in_process_pool_and_dask(spec_file: Callable[..., Path]) -> None:
    pytest.importorskip("distributed")
    spec = load_spec(spec_file())
    stores = {}
    for name, choice in [
        ("inprocess", ExecutorChoice()),
        ("pool", ExecutorChoice(workers=2)),
        ("dask", ExecutorChoice(workers=2, dask="")),
    ]:
        stores[name] = spec.path.with_name(f"{name}.sqlite")
        lines: list[str] = []
        summary = run_scan(spec, stores[name], choice, announce=lines.append)
        assert (summary.done, summary.failed) == (6, 0)
        if name == "dask":
            assert any(line.startswith("dask dashboard: http") for line in lines)
    reference = _results(stores["inprocess"])
    assert len(reference) == 6
    assert _results(stores["pool"]) == reference
    assert _results(stores["dask"]) == reference


def test_cli_workers_and_default_run(
    spec_file: Callable[..., Path], cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    spec = spec_file()
    code, out, err = cli(["scan", str(spec), "--workers", "2"])
    assert code == 0, err
    assert "6 done now" in out and "2 local processes" in out
    assert "scan: 6/6 tasks" in err  # one line per N tasks when not on a terminal
    code, out, err = cli(["scan", "run", str(spec)])
    assert code == 0 and "6 already done, 0 done now" in out
