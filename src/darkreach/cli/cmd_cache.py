"""``darkreach cache info|clear``: the on-disk cache of cross-section tables."""

from __future__ import annotations

import click

from darkreach.cli._common import emit_json


@click.group("cache")
def cache() -> None:
    """Inspect or clear the disk cache (DARKREACH_CACHE = on, off or a directory)."""


@cache.command("info")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def info(as_json: bool) -> None:
    """Where the cache is, how many tables it holds and their size."""
    from darkreach.cache import cache_info

    state = cache_info()
    payload = {
        "enabled": state.directory is not None,
        "directory": str(state.directory) if state.directory is not None else None,
        "entries": state.entries,
        "size_bytes": state.size_bytes,
        "temporary_files": state.temporary_files,
    }
    if as_json:
        emit_json(payload)
        return
    if state.directory is None:
        click.echo("cache: off (DARKREACH_CACHE=off)")
        return
    click.echo(f"cache: {state.directory}")
    click.echo(f"entries: {state.entries} ({state.size_bytes / 1e6:.2f} MB)")
    if state.temporary_files:
        click.echo(f"left-over temporary files: {state.temporary_files} (`darkreach cache clear`)")


@cache.command("clear")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def clear(as_json: bool) -> None:
    """Delete every cached table (they are recomputed when next needed)."""
    from darkreach.cache import cache_dir, clear_cache

    removed = clear_cache()
    directory = cache_dir()
    if as_json:
        emit_json({"removed": removed, "directory": str(directory) if directory else None})
        return
    click.echo(f"removed {removed} file(s) from {directory}" if directory else "cache: off")
