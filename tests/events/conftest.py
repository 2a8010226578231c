"""Shared fixtures of the event-sample tests: a thin single-Pb card (no energy loss)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from darkreach.experiments.registry import get_experiment

CARDS = Path(__file__).resolve().parents[2] / "src" / "darkreach" / "experiments" / "cards"


def thin_card_text(x_min: float = 0.5) -> str:
    """na64mu-2022 with one 1 mm Pb layer, no energy loss and a fixed cut x > x_min."""
    text = (CARDS / "na64mu-2022.toml").read_text()
    text = text.replace('name = "na64mu-2022"', 'name = "thin-pb-test"')
    target = (
        "[target]\nenergy_loss = false\n"
        'layers = [ { material = "Pb", thickness = { value = "1 mm", source = "test", '
        'status = "assumption" } } ]\n'
        'downstream_length = { value = "5 m", source = "test", status = "assumption" }\n\n'
    )
    text = re.sub(r"\[target\].*?(?=\[selection\])", target, text, flags=re.S)
    selection = (
        f'[selection]\nx_min = {{ value = {x_min}, source = "test", status = "assumption" }}\n\n'
    )
    return re.sub(r"\[selection\].*?(?=\[efficiency\])", selection, text, flags=re.S)


@pytest.fixture(scope="session")
def thin_card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cards") / "thin-pb-test.toml"
    path.write_text(thin_card_text())
    return path


@pytest.fixture(scope="session")
def thin_experiment(thin_card: Path):  # type: ignore[no-untyped-def]
    return get_experiment(thin_card)
