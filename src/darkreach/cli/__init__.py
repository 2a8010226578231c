"""Command-line interface (``darkreach``, also ``python -m darkreach``)."""

from darkreach.cli.app import cli, entry_point, main

__all__ = ["cli", "entry_point", "main"]
