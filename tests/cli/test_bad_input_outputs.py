"""Bad input loses nothing (issue 7, section 2): one line, exit 2, no file written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from darkreach.cli import main
from darkreach.experiments.registry import card_path

CARD = card_path("na64mu-2022")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    err = capsys.readouterr().err
    return code, err


def _one_line(err: str, *words: str) -> None:
    assert err.count("\n") == 1, err
    assert err.startswith("darkreach: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in err, (word, err)


def _card_with(tmp_path: Path, old: str, new: str) -> Path:
    text = CARD.read_text()
    assert old in text
    path = tmp_path / "card.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('kind = "data"', 'kind = "dta"', ["kind = 'dta'", "'projection'"]),
        ('experiment = "NA64mu"\n', "", ["experiment = (missing)", "required"]),
        ('particle = "mu-"', 'particle = "mu-"\nfoo = 1', ["beam.foo = 1", "on_target"]),
        ('name = "na64mu-2022"', 'name = ""', ["name = ''", "allowed: text matching"]),
    ],
)
def test_card_errors_speak_our_language(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    words: list[str],
) -> None:
    """No pydantic wording ("Field required", "Value error", empty field names) leaks."""
    code, err = _run(["reach", str(_card_with(tmp_path, old, new))], capsys)
    assert code == 2
    _one_line(err, "is invalid; allowed:", *words)
    for leaked in ("Field required", "Value error", "Extra inputs", "field  =", "Input should"):
        assert leaked not in err


def test_out_equal_to_the_card_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = tmp_path / "mine.csv"
    card.write_text(CARD.read_text())
    toml = tmp_path / "mine.toml"
    toml.write_text(CARD.read_text())
    before = toml.read_text()
    code, err = _run(
        [
            "reach",
            str(toml),
            "--plot",
            str(toml.with_suffix(".png")),
            "--out",
            str(tmp_path / "t.csv"),
            "--masses",
            "10MeV,20MeV",
        ],
        capsys,
    )
    assert code == 0
    code, err = _run(["reach", str(toml), "--plot", str(toml)], capsys)
    assert code == 2
    _one_line(err, "--plot", "mine.toml")
    assert toml.read_text() == before


def test_same_file_for_two_outputs_is_refused(tmp_path: Path) -> None:
    from darkreach.cli._common import check_output_paths
    from darkreach.errors import InvalidParameterError

    same = tmp_path / "a.csv"
    with pytest.raises(InvalidParameterError, match=r"--plot = .* a path other than --out"):
        check_output_paths([("--out", same), ("--plot", tmp_path / "." / "a.csv")])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_non_writable_directory_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # pragma: no cover - CI runs as root
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    code, err = _run(["reach", "na64mu-2022", "--out", str(locked / "r.csv")], capsys)
    assert code == 2
    _one_line(err, "--out", "permission")


@pytest.mark.parametrize("target", ["/proc/darkreach.csv", "/nonexistent-dir/r.csv"])
def test_unwritable_path_is_one_line(target: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = _run(["reach", "na64mu-2022", "--masses", "10MeV,20MeV", "--out", target], capsys)
    assert code == 2
    _one_line(err, "--out", target)


def test_full_disk_is_one_line_and_leaves_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import darkreach.io

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(darkreach.io, "write_reach_csv", disk_full)
    out, plot = tmp_path / "r.csv", tmp_path / "r.png"
    code, err = _run(
        ["reach", "na64mu-2022", "--masses", "10MeV,20MeV", "--plot", str(plot), "--out", str(out)],
        capsys,
    )
    assert code == 2
    _one_line(err, "--out", "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_output_directory_instead_of_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _run(["reach", "na64mu-2022", "--plot", str(tmp_path)], capsys)
    assert code == 2
    _one_line(err, "--plot", "is a directory")


def test_ctrl_c_after_writing_names_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C after the outputs are complete must not claim the run was aborted."""
    import darkreach.cli.cmd_reach as cmd

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cmd, "_print_summary", interrupt)
    out = tmp_path / "r.csv"
    code, err = _run(["reach", "na64mu-2022", "--masses", "10MeV,20MeV", "--out", str(out)], capsys)
    assert code == 130
    assert out.is_file()
    assert "interrupted after writing" in err and str(out) in err and "complete" in err


def test_ctrl_c_before_writing_says_nothing_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import darkreach.experiments.registry as registry

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(registry, "get_experiment", interrupt)
    out = tmp_path / "r.csv"
    code, err = _run(["reach", "na64mu-2022", "--out", str(out)], capsys)
    assert code == 130
    assert "no file written" in err and not out.exists()


@pytest.mark.parametrize("method", ["cut-and-count", "cls"])
def test_cl_at_half_on_a_sensitivity_card_names_the_option(
    method: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--cl 0.5 on a cut-and-count card used to name an internal quantity (z)."""
    code, err = _run(["reach", "na62-ultimate", "--method", method, "--cl", "0.5"], capsys)
    assert code == 2
    _one_line(err, "--cl = 0.5", "0.5 < CL < 1")
    assert "z =" not in err


def test_ctrl_c_during_start_up_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Ctrl-C while the CLI is still importing used to print a traceback."""
    import sys
    import types

    import darkreach.cli

    class Interrupted(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "darkreach.cli.app", Interrupted("darkreach.cli.app"))
    with pytest.raises(SystemExit) as exit_info:
        darkreach.cli.entry_point()
    assert exit_info.value.code == 130
    err = capsys.readouterr().err
    assert err == "darkreach: interrupted; no file written\n"


def test_every_csv_and_json_states_the_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from darkreach import __version__

    outputs = {
        "spectrum": (["kaon", "spectrum", "--out"], tmp_path / "s.csv"),
        "relic": (["relic", "--dm", "majorana", "--mass", "30MeV", "--out"], tmp_path / "r.csv"),
        "reach": (["reach", "na64mu-2022", "--masses", "10MeV,20MeV", "--out"], tmp_path / "z.csv"),
    }
    for args, path in outputs.values():
        assert main([*args, str(path)]) == 0
        assert path.read_text().startswith(f"# darkreach {__version__} ")
    capsys.readouterr()
