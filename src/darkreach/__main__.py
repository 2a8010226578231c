"""``python -m darkreach``."""

from darkreach.cli import entry_point

if __name__ == "__main__":  # not when a spawned worker process imports this module
    entry_point()
