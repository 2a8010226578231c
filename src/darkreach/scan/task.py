"""One task = one reach curve (masses vectorised inside), identified by a content hash.

A task is a pure function of its inputs: the card file's content (its SHA-256, so a card
edited on disk is a new task), the model and its options, the masses in MeV, the CL and the
method (None: the card's own), and the code that computes it
(:func:`darkreach.cache.source_fingerprint`). Its hash is the SHA-256 of those inputs as
canonical JSON (sorted keys, no spaces, floats written as Python's shortest round-trip
``repr``), so the same inputs give the same hash on every machine and in every process.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from darkreach.scan.spec import Spec, card_ref, model_options


def canonical_json(value: Any) -> str:
    """The one JSON text of ``value`` that is hashed (sorted keys, compact, no NaN)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def _file_sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def card_sha256(ref: str) -> str:
    """SHA-256 of the card file that ``ref`` (a name or path) resolves to."""
    from darkreach.experiments.registry import card_path

    return _file_sha256(str(card_path(ref).resolve()))


@dataclass(frozen=True)
class Task:
    """The inputs of one reach curve. ``card_ref`` says where to load the card from; it is
    not part of the identity (``card_sha256`` is)."""

    card: str
    card_ref: str
    card_sha256: str
    model: str
    options: tuple[tuple[str, Any], ...]
    masses: tuple[float, ...]
    cl: float | None
    method: str | None
    code: str

    def inputs(self) -> dict[str, Any]:
        """The hashed inputs, as stored in the ledger."""
        return {
            "card": self.card,
            "card_sha256": self.card_sha256,
            "model": self.model,
            "options": dict(self.options),
            "masses_MeV": list(self.masses),
            "cl": self.cl,
            "method": self.method,
            "code": self.code,
        }

    @property
    def hash(self) -> str:
        """SHA-256 of :meth:`inputs` as canonical JSON."""
        return hashlib.sha256(canonical_json(self.inputs()).encode()).hexdigest()


def expand(spec: Spec, code: str | None = None) -> list[Task]:
    """All tasks of ``spec``: cards x models x (the model's option axes) x cl x method.

    ``code`` defaults to :func:`darkreach.cache.source_fingerprint`. The order is the spec's.
    """
    if code is None:
        from darkreach.cache import source_fingerprint

        code = source_fingerprint()
    tasks = []
    for card in spec.section.cards:
        ref = card_ref(spec, card)
        digest = card_sha256(ref)
        for model in spec.section.models:
            for combo in spec.combinations(model):
                for cl in spec.levels():
                    for method in spec.methods():
                        tasks.append(
                            Task(
                                card=card,
                                card_ref=ref,
                                card_sha256=digest,
                                model=model,
                                options=tuple(sorted(combo.items())),
                                masses=spec.masses,
                                cl=cl,
                                method=method,
                                code=code,
                            )
                        )
    return tasks


def _plain(values: Any) -> list[float | None]:
    return [float(v) if math.isfinite(float(v)) else None for v in values]


def run_task(task: Task) -> dict[str, list[float | None]]:
    """Compute the task's reach curve: :func:`darkreach.io.curve_columns` as plain lists
    (None where a value does not exist)."""
    import numpy as np

    from darkreach.io import curve_columns
    from darkreach.reach import compute_reach

    if card_sha256(task.card_ref) != task.card_sha256:
        from darkreach.errors import BadCardError

        raise BadCardError(f"card {task.card}: changed on disk since the scan was expanded")
    (curve,) = compute_reach(
        [task.card_ref],
        task.model,
        np.asarray(task.masses, dtype=float),
        cl=task.cl,
        method=task.method,
        model_options=model_options(task.model, dict(task.options)),
    )
    return {name: _plain(values) for name, values in curve_columns(curve).items()}
