"""Shared fixtures of the beam-dump tests: cards with fewer Monte Carlo samples (fast)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from darkreach.experiments.dump import BeamDump, BeamDumpCard
from darkreach.experiments.registry import load_card


def dump_variant(name: str = "na62-dump-2021-mumu", **sections: dict[str, Any]) -> BeamDump:
    """The shipped card ``name`` with some sections' fields replaced (validated again)."""
    card = load_card(name)
    raw = card.model_dump()
    for section, fields in sections.items():
        if isinstance(raw.get(section), dict):
            raw[section].update(fields)
        else:
            raw[section] = fields
    return BeamDump(BeamDumpCard.model_validate(raw))


@pytest.fixture(scope="session")
def mumu_fast() -> BeamDump:
    """The 2021 mu mu card with 1500 samples per mechanism and mass."""
    return dump_variant(simulation={"samples": 1500})


@pytest.fixture()
def card_text() -> str:
    """The text of the shipped 2021 mu mu card (to write broken copies)."""
    from darkreach.experiments.registry import card_path

    return Path(card_path("na62-dump-2021-mumu")).read_text(encoding="utf-8")
