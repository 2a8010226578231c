"""Shared pieces of the scan tests: spec files and the command line in this process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from darkreach.cli import main

SMALL_SPEC = """
[scan]
cards = ["na64mu-2022", "m3-phase1"]
models = ["lmu-ltau", "lmu-ltau-dm"]
masses = "1MeV:1GeV:12"
[scan.options]
alpha_d = [0.1, 0.5]
"""

CliRunner = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run ``darkreach ARGS`` in this process: (exit code, stdout, stderr)."""

    def run(args: list[str]) -> tuple[int, str, str]:
        code = main(args)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def spec_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a spec (default: a small one with 6 tasks) and return its path."""

    def write(text: str = SMALL_SPEC, name: str = "grid.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
