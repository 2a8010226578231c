"""Run a scan: expand the spec, open the store, run the tasks that are not done, record each.

Resume is the normal case: the tasks already done in the store (same hash, intact checksum)
are skipped, so rerunning the same spec after a kill, or a changed spec (with ``force``),
computes only what is new.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from darkreach.scan.executors import ExecutorChoice, run
from darkreach.scan.spec import Spec
from darkreach.scan.store import Store, default_store_path
from darkreach.scan.task import expand

#: progress(done_now, total_to_run)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanSummary:
    """What one run did."""

    store: Path
    total: int
    reused: int
    done: int
    failed: int


def run_scan(
    spec: Spec,
    store_path: Path | None = None,
    choice: ExecutorChoice = ExecutorChoice(),  # noqa: B008  (frozen, immutable)
    *,
    force: bool = False,
    progress: Progress = lambda done, total: None,
    announce: Callable[[str], None] = lambda line: None,
) -> ScanSummary:
    """Run every task of ``spec`` that the store does not hold yet; return the counts."""
    store_path = store_path or default_store_path(spec.path)
    tasks = expand(spec)
    with Store.open(store_path, spec.hash, spec_name=spec.path.name, force=force) as store:
        reused = store.sync(tasks)
        todo = store.pending(tasks)
        done = failed = 0
        progress(0, len(todo))
        outcomes = run(todo, choice, store.mark_running, announce) if todo else iter(())
        for task, (state, payload, started, finished) in outcomes:
            store.record(task.hash, state, payload, started, finished)
            done += state == "done"
            failed += state == "failed"
            progress(done + failed, len(todo))
    return ScanSummary(store_path, len(tasks), reused, done, failed)
