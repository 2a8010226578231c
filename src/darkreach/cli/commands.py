"""The sub-commands of ``darkreach``, imported only when run (``darkreach --help`` stays fast).

Each entry: name -> (module, attribute, one-line help shown by ``darkreach --help``). Add new
commands here; the module is imported the first time the command is invoked.
"""

from __future__ import annotations

COMMANDS: dict[str, tuple[str, str, str]] = {
    "reach": (
        "darkreach.cli.cmd_reach",
        "reach",
        "Excluded (data) or reachable (projection) coupling versus mass for CARD(s).",
    ),
    "calibrate": (
        "darkreach.cli.cmd_calibrate",
        "calibrate",
        "Fit a card quantity (efficiency) so that the card reproduces a curve; write the card.",
    ),
    "cards": ("darkreach.cli.cmd_cards", "cards", "List the shipped experiment cards."),
    "xsec": ("darkreach.cli.cmd_physics", "xsec", "Production cross sections."),
    "widths": ("darkreach.cli.cmd_physics", "widths", "Partial widths and branching ratios."),
    "gminus2": (
        "darkreach.cli.cmd_physics",
        "gminus2",
        "Muon g-2 contribution of a boson and its pull from a reference.",
    ),
    "kaon": ("darkreach.cli.kaon", "kaon", "K+ decay branching ratios, background, spectra."),
    "meson-inv": (
        "darkreach.cli.cmd_meson",
        "meson_inv",
        "BR(meson -> invisible) limits of charge-exchange cards (NA64h).",
    ),
    "mutau": (
        "darkreach.cli.mu_tau",
        "mutau",
        "Lower limit on the mu -> tau conversion scale Lambda per card (coherent only).",
    ),
    "relic": ("darkreach.cli.relic", "relic", "Thermal-relic targets (Omega h^2 = 0.12)."),
    "cache": ("darkreach.cli.cmd_cache", "cache", "Inspect or clear the disk cache."),
    "figure": (
        "darkreach.cli.cmd_figure",
        "figure",
        "Regenerate the talks' headline plots, one name each.",
    ),
    "recast": (
        "darkreach.cli.cmd_recast",
        "recast",
        "Map a published limit of one model onto another at a card (equal signal count).",
    ),
    "bounds": (
        "darkreach.cli.cmd_bounds",
        "bounds",
        "Existing bounds (CCFR trident, N_eff, g-2, your own files).",
    ),
    "events": (
        "darkreach.cli.cmd_events",
        "events",
        "Event samples (Parquet, HepMC3, LHE) from the same rates as the yields.",
    ),
    "scan": (
        "darkreach.cli.cmd_scan",
        "scan",
        "Run a grid of reach curves from a TOML spec into a resumable store; status, export.",
    ),
}
