"""Where tasks run: in this process, in a local process pool, or on a Dask cluster.

One code path for all three: :func:`outcome` (run in the worker) turns a task into
``(state, payload, started, finished)``; an executor maps it over the tasks, at most a window
of them in flight, and yields each ``(task, outcome)`` as it completes. The parent process
alone writes the store; workers only compute.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from darkreach.errors import DarkreachError, InvalidParameterError
from darkreach.scan.task import Task, run_task

Outcome = tuple[str, Any, float, float]
Started = Callable[[Sequence[Task]], None]
SCALE_HINT = 'install the extra: pip install "darkreach[scale]"'
#: how long to try to reach a ``--dask ADDRESS`` scheduler
CONNECT_TIMEOUT = "10s"


def outcome(task: Task) -> Outcome:
    """Run one task; never raises: a failure is ``("failed", one line, ...)``."""
    import warnings

    started = time.time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = run_task(task)
    except DarkreachError as exc:
        return ("failed", str(exc), started, time.time())
    except Exception as exc:  # a bug, recorded with the task rather than ending the scan
        return ("failed", f"{type(exc).__name__}: {exc}", started, time.time())
    return ("done", result, started, time.time())


@dataclass(frozen=True)
class ExecutorChoice:
    """What the command line asked for: ``workers`` processes, or Dask (``dask`` = address or
    "" for a LocalCluster), or neither (in-process)."""

    workers: int | None = None
    dask: str | None = None

    @property
    def name(self) -> str:
        if self.dask is not None:
            return f"dask ({self.dask or 'LocalCluster'})"
        if self.workers:
            return f"{self.workers} local processes"
        return "in-process"


def require_scale(what: str) -> None:
    """One line (exit 2) when the ``scale`` extra is missing."""
    import importlib.util

    modules = {"--dask": ("dask", "distributed"), "parquet": ("pyarrow",)}[what]
    for module in modules:
        if importlib.util.find_spec(module) is None:
            raise InvalidParameterError(what, f"(needs {module})", SCALE_HINT)


def run(
    tasks: Sequence[Task],
    choice: ExecutorChoice,
    started: Started,
    announce: Callable[[str], None] = lambda line: None,
) -> Iterator[tuple[Task, Outcome]]:
    """Yield ``(task, outcome)`` for every task as it completes, with ``choice``'s executor.

    ``started(batch)`` is called just before a batch of tasks is handed to the workers.
    """
    if choice.dask is not None:
        yield from _dask(tasks, choice, started, announce)
    elif choice.workers:
        yield from _pool(tasks, choice.workers, started)
    else:
        for task in tasks:
            started([task])
            yield task, outcome(task)


def _pool(tasks: Sequence[Task], workers: int, started: Started) -> Iterator[tuple[Task, Outcome]]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    queue = iter(tasks)
    window = 2 * workers
    # spawn: workers start clean (no copy of the parent's threads, e.g. the progress bar)
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet_worker)
    try:
        inflight: dict[Future[Outcome], Task] = {}

        def top_up() -> None:
            batch = _take(queue, window - len(inflight))
            if batch:
                started(batch)
                for task in batch:
                    inflight[pool.submit(outcome, task)] = task

        top_up()
        while inflight:
            done, _ = wait(inflight, return_when=FIRST_COMPLETED)
            for future in done:
                yield inflight.pop(future), future.result()
            top_up()
    except BaseException:  # Ctrl-C, or the consumer stopped: drop what has not started
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the parent (which stops the scan with one line)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _dask(
    tasks: Sequence[Task],
    choice: ExecutorChoice,
    started: Started,
    announce: Callable[[str], None],
) -> Iterator[tuple[Task, Outcome]]:
    require_scale("--dask")
    import importlib

    distributed: Any = importlib.import_module("distributed")  # untyped package
    Client, LocalCluster, as_completed = (
        distributed.Client,
        distributed.LocalCluster,
        distributed.as_completed,
    )

    cluster = None
    if choice.dask:
        try:
            client = Client(choice.dask, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise InvalidParameterError(
                "--dask", choice.dask, "the address of a running Dask scheduler", str(exc)
            ) from None
    else:
        cluster = LocalCluster(
            n_workers=choice.workers or 2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        )
        client = Client(cluster)
    try:
        announce(f"dask dashboard: {client.dashboard_link}")
        queue = iter(tasks)
        window = 2 * max(1, sum(client.nthreads().values()))
        inflight: dict[Any, Task] = {}
        completed = as_completed()

        def top_up() -> None:
            batch = _take(queue, window - len(inflight))
            if batch:
                started(batch)
                for task in batch:
                    future = client.submit(outcome, task, pure=False)
                    inflight[future] = task
                    completed.add(future)

        top_up()
        for future in completed:
            task = inflight.pop(future)
            yield task, future.result()
            top_up()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _take(queue: Iterator[Task], count: int) -> list[Task]:
    batch: list[Task] = []
    while len(batch) < count:
        task = next(queue, None)
        if task is None:
            break
        batch.append(task)
    return batch
