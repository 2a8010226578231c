"""Task identity: the hash is a pure function of the inputs, stable across processes."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from darkreach.scan.spec import load_spec
from darkreach.scan.task import Task, expand, run_task

BASE = Task(
    card="na64mu-2022",
    card_ref="na64mu-2022",
    card_sha256="0" * 64,
    model="lmu-ltau-dm",
    options=(("alpha_d", 0.1), ("ratio", 3.0)),
    masses=(1.0, 10.0, 100.0),
    cl=None,
    method=None,
    code="code-v1",
)
#: the canonical JSON of BASE's inputs, written out by hand: changing this format orphans
#: every stored result, so it is pinned here on purpose
BASE_JSON = (
    '{"card":"na64mu-2022","card_sha256":"' + "0" * 64 + '","cl":null,"code":"code-v1",'
    '"masses_MeV":[1.0,10.0,100.0],"method":null,"model":"lmu-ltau-dm",'
    '"options":{"alpha_d":0.1,"ratio":3.0}}'
)


def test_hash_is_stable_and_pinned() -> None:
    assert BASE.hash == BASE.hash
    assert len(BASE.hash) == 64
    assert BASE.hash == hashlib.sha256(BASE_JSON.encode()).hexdigest()


def test_hash_is_the_same_in_another_process() -> None:
    code = (
        "from darkreach.scan.task import Task\n"
        "print(Task('na64mu-2022', 'na64mu-2022', '0' * 64, 'lmu-ltau-dm', "
        "(('alpha_d', 0.1), ('ratio', 3.0)), (1.0, 10.0, 100.0), None, None, 'code-v1').hash)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == BASE.hash


def test_every_input_but_the_card_location_changes_the_hash() -> None:
    changes = {
        "card": "m3-phase1",
        "card_sha256": "1" * 64,
        "model": "dark-photon-dm",
        "options": (("alpha_d", 0.2), ("ratio", 3.0)),
        "masses": (1.0, 10.0, 100.1),
        "cl": 0.95,
        "method": "fc",
        "code": "code-v2",
    }
    hashes = {dataclasses.replace(BASE, **{k: v}).hash for k, v in changes.items()}
    assert len(hashes) == len(changes) and BASE.hash not in hashes
    assert dataclasses.replace(BASE, card_ref="/elsewhere/na64mu-2022.toml").hash == BASE.hash


def test_a_card_edited_on_disk_is_a_new_task(spec_file: Callable[..., Path]) -> None:
    from darkreach.experiments.registry import card_path

    card = spec_file(card_path("m3-phase1").read_text(encoding="utf-8"), "mine.toml")
    spec_path = spec_file(
        '[scan]\ncards = ["mine.toml"]\nmodels = ["lmu-ltau"]\nmasses = "1MeV:1GeV:4"\n'
    )
    before = expand(load_spec(spec_path), code="x")[0].hash
    card.write_text(card.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = expand(load_spec(spec_path), code="x")[0].hash
    assert before != after


def test_run_task_gives_the_curve_columns_as_plain_lists(spec_file: Callable[..., Path]) -> None:
    from darkreach.io import COLUMNS

    (task,) = expand(
        load_spec(
            spec_file(
                '[scan]\ncards = ["na64mu-2022"]\nmodels = ["lmu-ltau"]\n'
                'masses = ["10MeV", "5GeV"]\n'
            )
        )
    )
    columns = run_task(task)
    assert tuple(columns) == COLUMNS
    assert columns["mass_MeV"] == [10.0, 5000.0]
    assert isinstance(columns["coupling"][0], float) and 1e-5 < columns["coupling"][0] < 1e-2
    assert columns["coupling_upper"] == [None, None]
