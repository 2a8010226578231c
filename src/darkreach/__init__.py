"""darkreach: signal yields, limits and reach of fixed-target dark-sector searches."""

from darkreach._version import __version__

__all__ = ["__version__"]
