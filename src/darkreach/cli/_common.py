"""Shared pieces of the command line: quantity parameters, JSON output, safe file writes."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from darkreach.cli._state import WRITTEN
from darkreach.errors import InvalidParameterError
from darkreach.units import Dimension, parse_quantity

if TYPE_CHECKING:
    import numpy as np


class QuantityType(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2
    """A click parameter that accepts ``10MeV``, ``0.16TeV``, ``160 GeV`` (hepunits out)."""

    name = "quantity"

    def __init__(self, dimension: Dimension = "energy") -> None:
        self.dimension = dimension

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        if isinstance(value, float):
            return value
        field = f"--{param.name.replace('_', '-')}" if param and param.name else "quantity"
        return parse_quantity(str(value), self.dimension, field)


ENERGY = QuantityType("energy")
ENERGY2 = QuantityType("energy2")
LENGTH = QuantityType("length")


DM_KINDS = ("complex-scalar", "majorana", "pseudo-dirac", "dirac")

_F = TypeVar("_F", bound=Callable[..., Any])


def model_options(command: _F) -> _F:
    """The model options shared by reach, recast and calibrate (one definition, one help).

    Adds ``--neutrinos``, ``--alpha-d``, ``--ratio``, ``--dm`` and ``--dark-coupling``;
    :func:`darkreach.cli.cmd_reach._model_options` turns them into model arguments.
    """
    options = [
        click.option(
            "--neutrinos",
            type=click.Choice(["left", "dirac"]),
            default="left",
            show_default=True,
            help="Neutrino counting for the L_mu-L_tau Z' width.",
        ),
        click.option(
            "--alpha-d",
            type=float,
            default=None,
            help="Dark coupling alpha_D (lmu-ltau-dm, dark-photon-dm; default 0.5).",
        ),
        click.option(
            "--ratio",
            type=float,
            default=None,
            help="m_mediator/m_chi (lmu-ltau-dm, dark-photon-dm; default 3).",
        ),
        click.option(
            "--dm",
            type=click.Choice(DM_KINDS),
            default=None,
            help="Dark-matter type (lmu-ltau-dm, dark-photon-dm; default complex-scalar).",
        ),
        click.option(
            "--dark-coupling",
            type=float,
            default=None,
            help="Scalar only: Yukawa coupling to dark fermions (m_chi = m_S/3); e.g. 1 makes "
            "S decay invisibly, as in the published NA64mu scalar limits.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def gminus2_reference_names() -> list[str]:
    """The g-2 references shipped with darkreach (values of ``--gminus2-reference``)."""
    from darkreach.physics.gminus2 import REFERENCES

    return list(REFERENCES)


def parse_mass_grid(text: str, field: str = "--masses") -> np.ndarray:
    """Parse ``A:B:N`` (log-spaced, N points) or a comma list of masses into MeV.

    >>> parse_mass_grid("1MeV:1GeV:4").round(3).tolist()
    [1.0, 10.0, 100.0, 1000.0]
    """
    import numpy as np

    parts = text.split(":")
    if len(parts) == 3:
        low = parse_quantity(parts[0], "energy", field)
        high = parse_quantity(parts[1], "energy", field)
        try:
            count = int(parts[2])
        except ValueError:
            raise InvalidParameterError(field, text, "A:B:N with N an integer >= 2") from None
        if count < 2 or count > 100_000:
            raise InvalidParameterError(field, text, "A:B:N with 2 <= N <= 100000")
        if not (0 < low < high):
            raise InvalidParameterError(field, text, "A:B:N with 0 < A < B")
        return np.geomspace(low, high, count)
    masses = np.array([parse_quantity(p, "energy", field) for p in text.split(",")])
    if np.any(masses <= 0):
        raise InvalidParameterError(field, text, "masses > 0")
    return masses


def positive(value: float, field: str, allowed: str = "> 0") -> float:
    """Check value > 0, else raise a one-line InvalidParameterError."""
    if not (value > 0 and math.isfinite(value)):
        raise InvalidParameterError(field, value, allowed)
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if "numpy" in sys.modules:  # numpy values exist only once numpy is imported
        import numpy as np

        if isinstance(value, np.ndarray):
            return [_jsonable(v) for v in value.tolist()]
        if isinstance(value, np.floating):
            f = float(value)
            return f if math.isfinite(f) else None
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.bool_):
            return bool(value)
    return value


def emit_json(payload: Mapping[str, Any]) -> None:
    """Print one JSON object (NaN/inf become null) on stdout; ``version`` comes first.

    Every JSON object darkreach prints carries the package version (docs/output-schema.md).
    """
    from darkreach._version import __version__

    document = {"version": __version__, **{k: v for k, v in payload.items() if k != "version"}}
    click.echo(json.dumps(_jsonable(document), indent=2))


Writer = tuple[Path, Callable[[Path], None]] | tuple[Path, Callable[[Path], None], str]


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def check_output_paths(outputs: Sequence[tuple[str, Path]], inputs: Sequence[Path] = ()) -> None:
    """One-line errors for outputs that would clobber an input, each other, or cannot be made.

    ``outputs`` are (option name, path). Checked before any physics runs, so a bad path costs
    nothing: the directory must exist and be writable, the path must not be a directory, not
    an input (e.g. the card) and not another output.
    """
    seen: list[tuple[str, Path]] = []
    for field, target in outputs:
        target = Path(target)
        directory = target.parent if str(target.parent) else Path(".")
        if target.is_dir():
            raise InvalidParameterError(field, str(target), "a file path, not a directory")
        if not directory.is_dir():
            raise InvalidParameterError(field, str(target), "a path in an existing directory")
        if not os.access(directory, os.W_OK | os.X_OK) or (
            target.exists() and not os.access(target, os.W_OK)
        ):
            raise InvalidParameterError(field, str(target), "a writable path (permission denied)")
        for source in inputs:
            if _same_file(target, Path(source)):
                raise InvalidParameterError(
                    field, str(target), f"a path other than the input {source}"
                )
        for other_field, other in seen:
            if _same_file(target, other):
                raise InvalidParameterError(field, str(target), f"a path other than {other_field}")
        seen.append((field, target))


def write_outputs(writers: Sequence[Writer], inputs: Sequence[Path] = ()) -> None:
    """Write several files so that either all appear or none.

    Each writer is ``(path, write)`` or ``(path, write, option name)``; ``write(tmp_path)``
    renders into a temporary file beside the target, and only when every writer succeeded are
    the files moved into place. An operating-system failure (permission, full disk, ...) is a
    one-line InvalidParameterError naming the option; no temporary file is left behind.
    """
    named = [(w[2] if len(w) == 3 else "output", Path(w[0]), w[1]) for w in writers]
    check_output_paths([(field, target) for field, target, _ in named], inputs)
    WRITTEN.clear()
    temps: list[tuple[Path, Path]] = []
    umask = os.umask(0)
    os.umask(umask)
    field = "output"
    target = Path()
    try:
        for field, target, write in named:  # noqa: B007  (field names the failing option)
            directory = target.parent if str(target.parent) else Path(".")
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=target.suffix, dir=directory
            )
            os.close(fd)
            temps.append((Path(tmp_name), target))
            write(Path(tmp_name))
            os.chmod(tmp_name, 0o666 & ~umask)  # mkstemp makes 0600; give the usual mode
        for tmp, final in temps:
            os.replace(tmp, final)
            WRITTEN.append(final)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise InvalidParameterError(
            field, str(target), f"a writable path with free space ({reason})"
        ) from None
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                tmp.unlink()


@contextmanager
def progress_bar(
    total: int, description: str, enabled: bool = True
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (only on a terminal); yields ``advance_to(done)``.

    Nothing is shown when stderr is not a terminal (pipes, CI) or ``enabled`` is False.
    """
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    show = enabled and console.is_terminal and total > 1
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not show,
    ) as progress:
        task = progress.add_task(description, total=total)

        def advance_to(done: int) -> None:
            progress.update(task, completed=done)

        yield advance_to
