"""The ``darkreach`` command group and its entry point with person-friendly errors."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from darkreach._version import __version__
from darkreach.cli.commands import COMMANDS
from darkreach.errors import DarkreachError


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported only when invoked (see commands.py)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module_name), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    invoke_without_command=True,
)
@click.version_option(__version__, prog_name="darkreach")
@click.option("--cite", is_flag=True, help="Print BibTeX for darkreach and the physics it uses.")
@click.pass_context
def cli(ctx: click.Context, cite: bool) -> None:
    """darkreach: signal yields, limits and reach of fixed-target dark-sector searches.

    \b
    Examples:
      darkreach reach na64mu-2022 --out reach.csv --plot reach.png
      darkreach xsec mu-brem --model lmu-ltau --target Pb --energy 160GeV --mass 10MeV
      darkreach widths lmu-ltau --mass 300MeV --coupling 1e-3
      darkreach gminus2 lmu-ltau --mass 10MeV --coupling 5e-4
      darkreach cards
    """
    if cite:
        from darkreach.cite import BIBTEX

        click.echo(BIBTEX)
        ctx.exit(0)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def _interrupted() -> int:
    from darkreach.cli._state import WRITTEN

    if WRITTEN:
        done = ", ".join(str(p) for p in WRITTEN)
        click.echo(f"darkreach: interrupted after writing {done} (complete)", err=True)
    else:
        click.echo("darkreach: interrupted; no file written", err=True)
    return 130


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; bad input prints one line on stderr and returns exit code 2.

    Ctrl-C returns 130 with one line saying which outputs (if any) were completely written;
    outputs are all-or-nothing, so there is never a half-written file.
    """
    from darkreach.cli._state import WRITTEN

    WRITTEN.clear()
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            standalone_mode=False,
            prog_name="darkreach",
        )
    except DarkreachError as exc:
        click.echo(f"darkreach: error: {exc}", err=True)
        return 2
    except click.exceptions.UsageError as exc:
        click.echo(f"darkreach: error: {exc.format_message()}", err=True)
        return 2
    except (click.exceptions.Abort, KeyboardInterrupt):
        return _interrupted()
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    return int(result) if isinstance(result, int) else 0


def entry_point() -> None:
    """Console-script entry point (a Ctrl-C at any moment ends with one line, exit 130)."""
    try:
        code = main()
    except KeyboardInterrupt:
        code = _interrupted()
    sys.exit(code)
