"""``darkreach scan``: run a grid of reach curves into a resumable store; status, export, plot.

``scan`` is a group whose default sub-command is ``run``: ``darkreach scan SPEC.toml`` is
``darkreach scan run SPEC.toml``. The other sub-commands are ``status``, ``export`` and
``plot`` (a spec file literally named like one of them is run with ``scan run``).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from darkreach.cli._common import ENERGY, check_output_paths, emit_json, write_outputs
from darkreach.errors import InvalidParameterError

if TYPE_CHECKING:
    from rich.progress import Task as RichTask
    from rich.text import Text

    from darkreach.scan.spec import Spec
    from darkreach.scan.store import Store


class ScanGroup(click.Group):
    """``scan SPEC ...`` runs ``scan run SPEC ...``; ``scan status|export|plot`` as usual."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["run", *args]
        # ``--dask SPEC.toml``: the .toml is the spec, not a scheduler address
        args = [
            "--dask="
            if a == "--dask" and i + 1 < len(args) and args[i + 1].endswith(".toml")
            else a
            for i, a in enumerate(args)
        ]
        return super().parse_args(ctx, args)


@click.group("scan", cls=ScanGroup)
def scan() -> None:
    """Scans: a grid of reach curves (cards x models x options) from a TOML spec.

    `darkreach scan SPEC.toml` runs the spec (the same as `darkreach scan run SPEC.toml`):
    each task is one reach curve, identified by a hash of its inputs and of the code; the
    results go into a SQLite store (default SPEC.scan.sqlite beside the spec), so a rerun
    after a crash or kill computes only what is missing.

    \b
    Example spec:
      [scan]
      cards = ["na64mu-2022", "m3-phase1"]
      models = ["lmu-ltau-dm"]
      masses = "1MeV:1GeV:40"
      [scan.options]
      alpha_d = [0.1, 0.5]
      ratio = [2.5, 3.0]

    \b
    Examples:
      darkreach scan grid.toml --workers 2
      darkreach scan status grid.toml
      darkreach scan export grid.toml --out grid.csv
      darkreach scan plot grid.toml --x alpha_d --mass 10MeV --out slice.png
    """


_STORE = click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="The SQLite result store (default: SPEC.scan.sqlite beside the spec).",
)
_SPEC = click.argument("spec_path", metavar="SPEC.toml", type=click.Path(path_type=Path))


def _store_path(spec: Spec, store: Path | None) -> Path:
    from darkreach.scan.store import default_store_path

    return store if store is not None else default_store_path(spec.path)


@contextmanager
def _open_existing(spec: Spec, store: Path | None) -> Iterator[Store]:
    from darkreach.scan.store import Store

    with Store.open(_store_path(spec, store), spec.hash, create=False, check_spec=False) as db:
        yield db


class _Reporter:
    """A rich bar with rate and ETA on a terminal; otherwise one line every ``every`` tasks."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.progress: Any = None
        self.bar: Any = None
        self.total = 0
        self.every = 1
        self.start = time.monotonic()
        self.last = 0

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            self._begin(total)
            return
        if self.progress is not None:
            self.progress.update(self.bar, completed=done)
        elif done - self.last >= self.every or done == total:
            self.last = done
            elapsed = time.monotonic() - self.start
            rate = done / elapsed if elapsed > 0 else float("inf")
            eta = (total - done) / rate if rate > 0 else float("inf")
            click.echo(f"scan: {done}/{total} tasks, {rate:.3g} tasks/s, ETA {eta:.0f} s", err=True)

    def _begin(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )

        self.total = total
        self.every = max(1, total // 10)
        self.start = time.monotonic()
        if not self.console.is_terminal or total == 0:
            return

        class RateColumn(ProgressColumn):
            def render(self, task: RichTask) -> Text:
                from rich.text import Text

                speed = task.finished_speed or task.speed
                return Text("" if speed is None else f"{speed:.3g} tasks/s")

        self.progress = Progress(
            TextColumn("scan"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self.progress.start()
        self.bar = self.progress.add_task("scan", total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


@scan.command("run")
@_SPEC
@_STORE
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Run in a local process pool of N workers (with --dask and no address: the size of "
    "the LocalCluster, default 2).",
)
@click.option(
    "--dask",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[ADDRESS]",
    help="Run on Dask: the scheduler at ADDRESS, or a new LocalCluster when no address is "
    'given (needs pip install "darkreach[scale]"). Put SPEC.toml before a bare --dask.',
)
@click.option(
    "--force", is_flag=True, help="Use a store written by another spec (reusing unchanged tasks)."
)
def run(
    spec_path: Path, store: Path | None, workers: int | None, dask: str | None, force: bool
) -> None:
    """Run the tasks of SPEC.toml that the store does not hold yet."""
    from darkreach.scan.executors import ExecutorChoice, require_scale
    from darkreach.scan.runner import run_scan
    from darkreach.scan.spec import load_spec

    if dask is not None:
        require_scale("--dask")
        if dask and workers:
            raise InvalidParameterError(
                "--workers", workers, "no --workers with a --dask scheduler address"
            )
    spec = load_spec(spec_path)
    choice = ExecutorChoice(workers=workers, dask=dask)
    reporter = _Reporter()
    try:
        summary = run_scan(
            spec,
            _store_path(spec, store),
            choice,
            force=force,
            progress=reporter,
            announce=lambda line: click.echo(line, err=True),
        )
    except KeyboardInterrupt:
        reporter.close()
        click.echo(
            f"darkreach: interrupted; the finished tasks are in {_store_path(spec, store)}, "
            "rerun the same command to resume",
            err=True,
        )
        raise click.exceptions.Exit(130) from None
    finally:
        reporter.close()
    click.echo(
        f"scan {spec.path.name}: {summary.total} tasks; {summary.reused} already done, "
        f"{summary.done} done now, {summary.failed} failed ({choice.name}); "
        f"store {summary.store}"
    )
    if summary.failed:
        click.echo(
            f"darkreach: {summary.failed} tasks failed; `darkreach scan status {spec_path}` "
            "lists them, and a rerun tries them again",
            err=True,
        )
        raise click.exceptions.Exit(1)


@scan.command("status")
@_SPEC
@_STORE
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def status(spec_path: Path, store: Path | None, as_json: bool) -> None:
    """How many tasks of SPEC.toml are pending, running, done or failed."""
    from darkreach.scan.export import results
    from darkreach.scan.spec import load_spec
    from darkreach.scan.store import STATES

    spec = load_spec(spec_path)
    with _open_existing(spec, store) as db:
        entries = results(spec, db)
        path = db.path
    counts = Counter(e["state"] for e in entries)
    groups: dict[tuple[str, str], Counter[str]] = {}
    for entry in entries:
        groups.setdefault((entry["card"], entry["model"]), Counter())[entry["state"]] += 1
    failed = [
        {k: e[k] for k in ("task", "card", "model", "options", "error")}
        for e in entries
        if e["state"] == "failed"
    ]
    if as_json:
        emit_json(
            {
                "spec": spec.path.name,
                "store": str(path),
                "tasks": len(entries),
                "states": {s: counts.get(s, 0) for s in STATES},
                "groups": [
                    {"card": c, "model": m, **{s: n.get(s, 0) for s in STATES}}
                    for (c, m), n in groups.items()
                ],
                "failed": failed,
            }
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"scan {spec.path.name} ({path})")
    for column in ("card", "model", *STATES):
        table.add_column(column, justify="left" if column in ("card", "model") else "right")
    for (card, model), n in groups.items():
        table.add_row(card, model, *(str(n.get(s, 0)) for s in STATES))
    table.add_row("all", "", *(str(counts.get(s, 0)) for s in STATES), style="bold")
    Console().print(table)
    for entry in failed:
        click.echo(f"failed {entry['card']} {entry['model']} {entry['options']}: {entry['error']}")


@scan.command("export")
@_SPEC
@_STORE
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Write FILE.csv (long table) or FILE.parquet (a dataset directory partitioned by "
    'model and card; needs pip install "darkreach[scale]").',
)
def export(spec_path: Path, store: Path | None, as_json: bool, out: Path | None) -> None:
    """The results of SPEC.toml: JSON, CSV (stdout or --out) or Parquet.

    One entry per task: card, model, options, cl, method, task (hash), state, mass_MeV,
    coupling, coupling_upper and the bands (null for tasks not done).
    """
    from darkreach.scan.executors import require_scale
    from darkreach.scan.export import csv_text, results, write_parquet
    from darkreach.scan.spec import load_spec

    suffix = out.suffix.lower() if out is not None else ""
    if out is not None and suffix not in (".csv", ".parquet"):
        raise InvalidParameterError("--out", str(out), "a path ending in .csv or .parquet")
    if out is not None and as_json:
        raise InvalidParameterError("--json", "with --out", "either --json or --out")
    if suffix == ".parquet":
        require_scale("parquet")
        assert out is not None
        _check_parquet_target(out)
    elif out is not None:
        check_output_paths([("--out", out)], inputs=[spec_path])
    spec = load_spec(spec_path)
    with _open_existing(spec, store) as db:
        entries = results(spec, db)
    if as_json:
        emit_json({"spec": spec.path.name, "results": entries})
    elif out is None:
        click.echo(csv_text(spec, entries), nl=False)
    elif suffix == ".parquet":
        write_parquet(spec, entries, out)
        click.echo(f"wrote {out} ({len(entries)} tasks)")
    else:
        text = csv_text(spec, entries)

        def write(path: Path) -> None:
            path.write_text(text, encoding="utf-8")

        write_outputs([(out, write, "--out")], inputs=[spec_path])
        click.echo(f"wrote {out} ({len(entries)} tasks)")


def _check_parquet_target(out: Path) -> None:
    import os

    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidParameterError("--out", str(out), "a path in an existing writable directory")
    if out.exists() and not (out.is_dir() and (out / "_darkreach").is_file()):
        raise InvalidParameterError(
            "--out", str(out), "a new path or an earlier darkreach Parquet export"
        )


@scan.command("plot")
@_SPEC
@_STORE
@click.option("--x", "x_axis", required=True, help="The option axis on the x axis, e.g. alpha_d.")
@click.option("--mass", type=ENERGY, required=True, help="The fixed mass, e.g. 10MeV.")
@click.option("--card", default=None, help="Only this card of the spec (default: all).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The plot file (PNG, PDF, SVG).",
)
def plot(
    spec_path: Path, store: Path | None, x_axis: str, mass: float, card: str | None, out: Path
) -> None:
    """The limit at a fixed mass versus one option axis (a slice of the scan)."""
    from darkreach.scan.export import results
    from darkreach.scan.plot import plot_slice, slice_series
    from darkreach.scan.spec import load_spec

    if out.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--out", str(out), "a file ending in .png, .pdf or .svg")
    check_output_paths([("--out", out)], inputs=[spec_path])
    spec = load_spec(spec_path)
    with _open_existing(spec, store) as db:
        entries = results(spec, db)
    series = slice_series(spec, entries, x_axis, mass, card)
    fig = plot_slice(series, x_axis, mass)
    save: Callable[[Path], None] = lambda path: fig.savefig(path, dpi=150)  # noqa: E731
    write_outputs([(out, save, "--out")], inputs=[spec_path])
    click.echo(f"wrote {out} ({len(series)} lines)")
