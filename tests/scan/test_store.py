"""The SQLite store: refusals (one line, exit 2, nothing changed), damaged results, reuse."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from darkreach.scan.runner import run_scan
from darkreach.scan.spec import load_spec
from darkreach.scan.store import Store

CliRunner = Callable[[list[str]], tuple[int, str, str]]

BASE = '[scan]\ncards = ["na64mu-2022"]\nmodels = ["lmu-ltau-dm"]\nmasses = "1MeV:1GeV:8"\n'


def _finished(store: Path) -> dict[str, tuple[str, float, str]]:
    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT hash, state, finished, result FROM tasks").fetchall()
    return {h: (s, f, r) for h, s, f, r in rows}


def test_not_a_store_is_refused_and_left_alone(
    spec_file: Callable[..., Path], cli: CliRunner, tmp_path: Path
) -> None:
    spec = spec_file()
    text_file = tmp_path / "notes.sqlite"
    text_file.write_text("my notes\n")
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE people (name TEXT)")
    before = foreign.read_bytes()
    for target in (text_file, foreign, tmp_path):
        code, _out, err = cli(["scan", str(spec), "--store", str(target)])
        assert code == 2, err
        assert err.count("\n") == 1 and "not" in err and str(target) in err
    assert text_file.read_text() == "my notes\n"
    assert foreign.read_bytes() == before


def test_store_of_another_spec_needs_force_and_then_reuses_unchanged_tasks(
    spec_file: Callable[..., Path], cli: CliRunner
) -> None:
    first = spec_file(BASE + "[scan.options]\nalpha_d = [0.1, 0.5]\n", "first.toml")
    store = first.with_name("grid.sqlite")
    assert cli(["scan", str(first), "--store", str(store)])[0] == 0
    before = _finished(store)
    assert len(before) == 2

    changed = spec_file(BASE + "[scan.options]\nalpha_d = [0.1, 0.5, 1.0]\n", "changed.toml")
    code, out, err = cli(["scan", str(changed), "--store", str(store)])
    assert code == 2 and "another spec" in err and "--force" in err
    assert _finished(store) == before  # nothing lost or changed

    code, out, err = cli(["scan", str(changed), "--store", str(store), "--force"])
    assert code == 0, err
    assert "2 already done, 1 done now" in out
    after = _finished(store)
    assert len(after) == 3
    for task_hash, row in before.items():
        assert after[task_hash] == row  # reused as it was: not recomputed


def test_damaged_or_interrupted_tasks_are_redone(spec_file: Callable[..., Path]) -> None:
    spec = load_spec(spec_file(BASE + "[scan.options]\nalpha_d = [0.1, 0.5, 1.0]\n"))
    store = spec.path.with_name("s.sqlite")
    first = run_scan(spec, store)
    assert (first.done, first.reused) == (3, 0)
    reference = _finished(store)
    hashes = sorted(reference)
    with sqlite3.connect(store) as db:  # a flipped digit, a truncated result, a killed task
        result = reference[hashes[0]][2]
        db.execute(
            "UPDATE tasks SET result = ? WHERE hash = ?", (result.replace("1", "2", 1), hashes[0])
        )
        db.execute("UPDATE tasks SET result = ? WHERE hash = ?", (result[:40], hashes[1]))
        db.execute("UPDATE tasks SET state = 'running', result = NULL WHERE hash = ?", (hashes[2],))
    with Store.open(store, spec.hash) as opened:
        rows = opened.rows(hashes)
        assert [rows[h].state for h in hashes] == ["pending", "pending", "running"]
    second = run_scan(spec, store)
    assert (second.reused, second.done) == (0, 3)
    assert {h: r[2] for h, r in _finished(store).items()} == {h: r[2] for h, r in reference.items()}


def test_status_and_export_json(spec_file: Callable[..., Path], cli: CliRunner) -> None:
    spec = spec_file()
    code, out, err = cli(["scan", "status", str(spec)])
    assert code == 2 and "scan store" in err  # nothing run yet
    assert cli(["scan", "run", str(spec)])[0] == 0

    code, out, err = cli(["scan", "status", str(spec), "--json"])
    status = json.loads(out)
    assert next(iter(status)) == "version"
    assert status["tasks"] == 6
    assert status["states"] == {"pending": 0, "running": 0, "done": 6, "failed": 0}

    code, out, err = cli(["scan", "export", str(spec), "--json"])
    document = json.loads(out)
    assert list(document) == ["version", "spec", "results"]
    assert len(document["results"]) == 6
    keys = {"card", "model", "options", "mass_MeV", "coupling", "coupling_upper", "state"}
    for entry in document["results"]:
        assert keys <= set(entry)
        assert entry["state"] == "done"
        assert len(entry["mass_MeV"]) == len(entry["coupling"]) == 12
        assert entry["options"] == ({} if entry["model"] == "lmu-ltau" else entry["options"])
    dm = [e for e in document["results"] if e["model"] == "lmu-ltau-dm"]
    assert sorted(e["options"]["alpha_d"] for e in dm) == [0.1, 0.1, 0.5, 0.5]


def test_export_csv_parquet_and_plot(
    spec_file: Callable[..., Path], cli: CliRunner, tmp_path: Path
) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.dataset as ds

    spec = spec_file()
    assert cli(["scan", str(spec)])[0] == 0
    csv_path, parquet_path, png = tmp_path / "g.csv", tmp_path / "g.parquet", tmp_path / "g.png"
    assert cli(["scan", "export", str(spec), "--out", str(csv_path)])[0] == 0
    lines = [line for line in csv_path.read_text().splitlines() if not line.startswith("#")]
    assert lines[0].startswith("card,model,alpha_d,cl,method,state,mass_MeV,coupling,")
    assert len(lines) == 1 + 6 * 12

    for _ in range(2):  # an earlier export is replaced
        code, _, err = cli(["scan", "export", str(spec), "--out", str(parquet_path)])
        assert code == 0, err
    table = ds.dataset(parquet_path, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 6 * 12
    assert sorted(set(table.column("model").to_pylist())) == ["lmu-ltau", "lmu-ltau-dm"]
    assert (parquet_path / "model=lmu-ltau-dm" / "card=m3-phase1").is_dir()

    code, _, err = cli(
        ["scan", "plot", str(spec), "--x", "alpha_d", "--mass", "10MeV", "--out", str(png)]
    )
    assert code == 0, err
    assert png.read_bytes()[:4] == b"\x89PNG"
    code, _out, err = cli(
        ["scan", "plot", str(spec), "--x", "ratio", "--mass", "10MeV", "--out", str(png)]
    )
    assert code == 2 and "--x = ratio" in err


def test_missing_scale_extra_says_which_to_install(
    spec_file: Callable[..., Path], cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    missing = {"dask", "distributed", "pyarrow"}
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name in missing else real(name, *a)
    )
    spec = spec_file()
    code, _, err = cli(["scan", str(spec), "--dask"])
    assert code == 2 and err.count("\n") == 1 and "darkreach[scale]" in err
    code, _, err = cli(["scan", "--dask", str(spec)])  # the .toml is the spec, not an address
    assert code == 2 and err.count("\n") == 1 and "darkreach[scale]" in err
    assert not spec.with_name("grid.scan.sqlite").exists()
    code, _out, err = cli(["scan", "export", str(spec), "--out", str(tmp_path / "x.parquet")])
    assert code == 2 and err.count("\n") == 1 and "darkreach[scale]" in err


def test_a_failing_task_is_recorded_listed_and_tried_again(
    spec_file: Callable[..., Path], cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from darkreach.errors import InvalidParameterError
    from darkreach.scan import executors

    real = executors.run_task

    def broken_for_m3(task: Any) -> Any:
        if task.card == "m3-phase1":
            raise InvalidParameterError("model", "lmu-ltau", "hnl-mu for card m3-phase1")
        return real(task)

    monkeypatch.setattr(executors, "run_task", broken_for_m3)
    spec = spec_file(
        '[scan]\ncards = ["na64mu-2022", "m3-phase1"]\nmodels = ["lmu-ltau"]\n'
        'masses = "1MeV:1GeV:4"\n'
    )
    code, out, err = cli(["scan", str(spec)])
    assert code == 1
    assert "1 done now, 1 failed" in out and "1 tasks failed" in err
    code, out, err = cli(["scan", "status", str(spec), "--json"])
    status = json.loads(out)
    assert status["states"]["failed"] == 1
    (failed,) = status["failed"]
    assert failed["card"] == "m3-phase1" and "hnl-mu" in failed["error"]
    code, out, err = cli(["scan", "export", str(spec), "--json"])
    entry = json.loads(out)["results"][1]
    assert entry["state"] == "failed" and entry["coupling"] == [None] * 4
    code, out, err = cli(["scan", str(spec)])
    assert code == 1 and "1 already done, 0 done now, 1 failed" in out
