"""``python -m darkreach``."""

from darkreach.cli import entry_point

entry_point()
