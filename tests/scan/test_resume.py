"""SIGKILL at random moments, then resume: nothing done is lost, and the final store equals an
uninterrupted run task by task."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import darkreach
from darkreach.scan.runner import run_scan
from darkreach.scan.spec import load_spec

SPEC = """
[scan]
cards = ["na64mu-2022", "m3-phase1"]
models = ["lmu-ltau-dm"]
masses = "1MeV:1GeV:20"
[scan.options]
alpha_d = [0.05, 0.1, 0.5, 1.0]
ratio = [2.2, 2.5, 3.0, 4.0, 5.0]
"""


def _done(store: Path) -> dict[str, tuple[str, float]]:
    """hash -> (result, finished) of the done tasks (read-only; the scan may be writing)."""
    if not store.exists():
        return {}
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=10)
    try:
        rows = db.execute("SELECT hash, result, finished FROM tasks WHERE state = 'done'")
        return {h: (r, f) for h, r, f in rows.fetchall()}
    except sqlite3.OperationalError:  # the schema is not there yet
        return {}
    finally:
        db.close()


def _start(spec: Path, store: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    source = str(Path(darkreach.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    return subprocess.Popen(
        [sys.executable, "-m", "darkreach", "scan", str(spec), "--store", str(store)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_sigkill_at_random_moments_then_resume(spec_file: Callable[..., Path]) -> None:
    rng = random.Random(20261202)
    spec_path = spec_file(SPEC)
    spec = load_spec(spec_path)
    reference_store = spec_path.with_name("reference.sqlite")
    reference = run_scan(spec, reference_store)
    assert reference.done == 40
    expected = {h: r for h, (r, _) in _done(reference_store).items()}

    store = spec_path.with_name("killed.sqlite")
    interrupted = 0
    kept: dict[str, tuple[str, float]] = {}
    for _round in range(3):
        before = len(_done(store))
        # a random point in the run: after a random number of new tasks, plus a random delay
        # shorter than one task, so that the kill lands inside the scan on any machine
        target = before + rng.randint(1, max(1, (40 - before) // 2))
        process = _start(spec_path, store)
        deadline = time.monotonic() + 60
        while process.poll() is None and len(_done(store)) < target:
            assert time.monotonic() < deadline, "the scan made no progress"
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.01))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = _done(store)
        for task_hash, row in kept.items():  # nothing done before is lost or rewritten
            assert now[task_hash] == row
        kept = now
        if len(now) == 40:
            break
        interrupted += 1
    assert interrupted >= 1, "no kill landed in the middle of the scan"

    resumed = run_scan(spec, store)
    assert resumed.reused == len(kept)
    assert resumed.done == 40 - len(kept)
    final = _done(store)
    assert {h: r for h, (r, _) in final.items()} == expected  # task by task
    for task_hash, row in kept.items():
        assert final[task_hash] == row  # reused, not recomputed


def test_ctrl_c_stops_with_one_line_and_the_scan_resumes(spec_file: Callable[..., Path]) -> None:
    spec_path = spec_file(SPEC)
    store = spec_path.with_name("interrupted.sqlite")
    env = dict(os.environ)
    source = str(Path(darkreach.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [source, env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "darkreach",
            "scan",
            str(spec_path),
            "--store",
            str(store),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while process.poll() is None and not _done(store):
        assert time.monotonic() < deadline, "the scan made no progress"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    if process.returncode == 0:  # finished before the signal arrived: nothing to check
        return
    assert process.returncode == 130, err
    lines = [line for line in err.splitlines() if line.startswith("darkreach:")]
    assert lines == [lines[0]] and "interrupted" in lines[0] and str(store) in lines[0]
    assert "Traceback" not in err
    done_before = len(_done(store))
    resumed = run_scan(load_spec(spec_path), store)
    assert resumed.reused == done_before and resumed.done == 40 - done_before
