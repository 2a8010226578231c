"""darkreach: signal yields, limits and reach of fixed-target dark-sector searches."""

import logging

from darkreach._version import __version__

# The mplhep styles name fonts that are not installed everywhere; matplotlib's fallback is
# fine, its one-line complaints on every plot are not.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

__all__ = ["__version__"]
