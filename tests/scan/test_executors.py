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


def test_dask_scheduler_address(spec_file: Callable[..., Path]) -> None:
    distributed = pytest.importorskip("distributed")
    spec = load_spec(spec_file())
    reference = spec.path.with_name("reference.sqlite")
    run_scan(spec, reference)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
    ) as cluster:
        store = spec.path.with_name("remote.sqlite")
        summary = run_scan(spec, store, ExecutorChoice(dask=cluster.scheduler_address))
    assert summary.done == 6
    assert _results(store) == _results(reference)


def test_unreachable_scheduler_is_one_line(
    spec_file: Callable[..., Path],
    cli: Callable[[list[str]], tuple[int, str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("distributed")
    from darkreach.scan import executors

    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "1s")
    spec = spec_file()
    code, _, err = cli(["scan", str(spec), "--dask", "tcp://127.0.0.1:9"])
    assert code == 2 and err.count("\n") == 1 and "--dask = tcp://127.0.0.1:9" in err
