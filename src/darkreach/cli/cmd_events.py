"""``darkreach events``: signal (or IB background) event samples for detector simulation."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import click

from darkreach.cli._common import ENERGY, ENERGY2, emit_json
from darkreach.errors import InvalidParameterError

#: file-name endings -> format
SUFFIXES = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".hepmc": "hepmc3",
    ".hepmc3": "hepmc3",
    ".lhe": "lhe",
}
FORMATS = ("parquet", "hepmc3", "lhe")
#: the module each format needs (None: standard library)
_NEEDS = {"parquet": "pyarrow.parquet", "hepmc3": "pyhepmc", "lhe": None}
#: largest sample in one call (memory: ~0.5 kB per event in flight)
MAX_EVENTS = 50_000_000


def _format_for(out: Path, fmt: str | None) -> str:
    if fmt is not None:
        return fmt
    found = SUFFIXES.get(out.suffix.lower())
    if found is None:
        raise InvalidParameterError(
            "--out",
            str(out),
            "a file ending in " + ", ".join(SUFFIXES) + " (or give --format parquet|hepmc3|lhe)",
        )
    return found


def _event_count(text: str) -> int:
    """``--n``: an integer, also written as 1e6 (must be a whole number)."""
    try:
        value = float(text)
    except ValueError:
        raise InvalidParameterError("--n", text, "an integer number of events > 0") from None
    if not (math.isfinite(value) and value == int(value)):
        raise InvalidParameterError("--n", text, "an integer number of events > 0")
    return int(value)


def _writer(fmt: str) -> Any:
    if fmt == "parquet":
        from darkreach.events.parquet import write_parquet

        return write_parquet
    if fmt == "hepmc3":
        from darkreach.events.hepmc import write_hepmc3

        return write_hepmc3
    from darkreach.events.lhe import write_lhe

    return write_lhe


@click.command("events")
@click.argument("card")
@click.option(
    "--model",
    default=None,
    help="Model of X (signal): lmu-ltau, lmu-ltau-dm, scalar, pseudoscalar, dark-photon, "
    "dark-photon-dm (missing-momentum cards); dark-photon, dark-photon-dm, b-l, b-l-dm, "
    "lmu-ltau, lmu-ltau-dm (missing-energy cards: e N -> e N X, e+ e- -> X); lmu-ltau, "
    "lmu-ltau-dm, scalar (kaon cards); dark-photon, b-l, lmu-ltau (beam-dump cards: "
    "p N -> X, X -> l+ l- in the decay volume, --coupling required).",
)
@click.option("--mass", type=ENERGY, default=None, help="Mass of X, e.g. 100MeV (signal).")
@click.option(
    "--coupling",
    type=float,
    default=None,
    help="Coupling g; sets the cross section scale and X's lifetime (decays). Without it the "
    "cross section is per unit coupling squared and X is not decayed.",
)
@click.option("--n", "n_text", required=True, help="Number of events (> 0), e.g. 100000 or 1e6.")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Output file (.parquet, .hepmc/.hepmc3 or .lhe).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="File format (default: from the suffix of --out).",
)
@click.option(
    "--seed", type=int, default=None, help="Random seed (default: fresh, recorded in the header)."
)
@click.option("--weighted", is_flag=True, help="Weighted events (flat sampling, weight = rate).")
@click.option(
    "--channel",
    type=click.Choice(["signal", "ib-background"]),
    default="signal",
    show_default=True,
    help="signal, or the K+ -> mu+ nu gamma IB background (kaon cards).",
)
@click.option(
    "--m2miss-min",
    type=ENERGY2,
    default=None,
    help="IB background: lower m_miss^2 (default: the card's smallest cut), e.g. 0.005GeV2.",
)
@click.option(
    "--neutrinos",
    type=click.Choice(["left", "dirac"]),
    default="left",
    show_default=True,
    help="Neutrino counting for the L_mu-L_tau Z' width.",
)
@click.option("--alpha-d", type=float, default=None, help="Dark coupling alpha_D (-dm models).")
@click.option("--ratio", type=float, default=None, help="m_X/m_chi (-dm models).")
@click.option(
    "--dm",
    type=click.Choice(["complex-scalar", "majorana", "pseudo-dirac", "dirac"]),
    default=None,
    help="Dark-matter type (-dm models).",
)
@click.option(
    "--dark-coupling", type=float, default=None, help="Scalar: Yukawa coupling to dark fermions."
)
@click.option("--json", "as_json", is_flag=True, help="Print the header as one JSON object.")
def events(
    card: str,
    model: str | None,
    mass: float | None,
    coupling: float | None,
    n_text: str,
    out: Path,
    fmt: str | None,
    seed: int | None,
    weighted: bool,
    channel: str,
    m2miss_min: float | None,
    neutrinos: str,
    alpha_d: float | None,
    ratio: float | None,
    dm: str | None,
    dark_coupling: float | None,
    as_json: bool,
) -> None:
    """Sample events from the differential rates the yields use; write Parquet, HepMC3 or LHE.

    \b
    Unweighted by default (all weights = the cross section in pb, or the branching ratio).
    LHE files carry no vertex positions; Parquet and HepMC3 do.
    Examples:
      darkreach events na64mu-2022 --model lmu-ltau --mass 100MeV --coupling 1e-3 \\
        --n 100000 --out z.parquet
      darkreach events na64e-2016-2022 --model dark-photon-dm --mass 20MeV --n 10000 \\
        --out a.parquet
      darkreach events na62-2016-2018 --model scalar --mass 50MeV --n 10000 --out k.hepmc3
      darkreach events na62-2016-2018 --channel ib-background --n 10000 --out ib.lhe
      darkreach events na62-dump-2021-mumu --model dark-photon --mass 300MeV \\
        --coupling 1e-6 --n 10000 --out a.parquet
    """
    import numpy as np

    from darkreach.cli._common import check_output_paths, write_outputs
    from darkreach.cli.cmd_reach import _model_options
    from darkreach.events.extras import require

    n_events = _event_count(n_text)
    if not (0 < n_events <= MAX_EVENTS):
        raise InvalidParameterError("--n", n_events, f"an integer 0 < N <= {MAX_EVENTS:g}")
    if seed is not None and seed < 0:
        raise InvalidParameterError("--seed", seed, "an integer >= 0")
    if coupling is not None and not (math.isfinite(coupling) and coupling > 0.0):
        raise InvalidParameterError("--coupling", coupling, "> 0")
    fmt = _format_for(out, fmt)
    needed = _NEEDS[fmt]
    if needed is not None:
        require(needed)
    card_files = [Path(card)] if Path(card).is_file() else []
    check_output_paths([("--out", out)], inputs=card_files)  # before any physics runs

    from darkreach.experiments.registry import get_experiment

    experiment: Any = get_experiment(card)
    card_type = experiment.card.type
    if card_type not in (
        "missing-momentum", "missing-energy", "kaon-invisible", "kaon-dimuon", "beam-dump"
    ):  # fmt: skip
        raise InvalidParameterError(
            "CARD",
            card,
            "a missing-momentum, missing-energy, kaon-invisible/kaon-dimuon or beam-dump card",
        )
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))  # type: ignore[operator]
    rng = np.random.default_rng(seed)
    if channel == "ib-background":
        if card_type in ("missing-momentum", "missing-energy", "beam-dump"):
            raise InvalidParameterError("--channel", channel, f"signal for a {card_type} card")
        if model is not None or mass is not None or coupling is not None:
            raise InvalidParameterError(
                "--channel", channel, "without --model/--mass/--coupling (the IB background)"
            )
        from darkreach.events.kaon import sample_kaon_ib

        sample = sample_kaon_ib(experiment, n_events, rng, m2miss_min=m2miss_min, weighted=weighted)
    else:
        if model is None or mass is None:
            raise InvalidParameterError("--model/--mass", "missing", "both for --channel signal")
        if m2miss_min is not None:
            raise InvalidParameterError(
                "--m2miss-min", m2miss_min, "only with --channel ib-background"
            )
        options = _model_options(model, alpha_d, ratio, dm, neutrinos, dark_coupling)
        from darkreach.reach import resolve_model

        model_obj = resolve_model(model, options)
        try:
            experiment.check_masses(np.array([mass]))
        except InvalidParameterError as exc:
            raise InvalidParameterError("--mass", f"{mass:g} MeV", exc.allowed) from None
        if card_type == "missing-momentum":
            from darkreach.events.mu_brem import sample_mu_brem

            sample = sample_mu_brem(
                experiment, model_obj, mass, n_events, rng, coupling=coupling, weighted=weighted
            )
        elif card_type == "missing-energy":
            from darkreach.events.electron import sample_electron

            sample = sample_electron(
                experiment, model_obj, mass, n_events, rng, coupling=coupling, weighted=weighted
            )
        elif card_type == "beam-dump":
            from darkreach.events.dump import sample_dump

            sample = sample_dump(
                experiment, model_obj, mass, n_events, rng, coupling=coupling, weighted=weighted
            )
        else:
            from darkreach.events.kaon import sample_kaon_signal

            sample = sample_kaon_signal(
                experiment, model_obj, mass, n_events, rng, coupling=coupling, weighted=weighted
            )
        sample.metadata["model_options"] = {k: str(v) for k, v in options.items()}
    sample.metadata["seed"] = seed
    sample.metadata["format"] = fmt
    write = _writer(fmt)
    write_outputs([(out, lambda path: write(sample, path), "--out")], inputs=card_files)
    if as_json:
        emit_json({"out": str(out), **sample.metadata})
        return
    scale = sample.metadata.get("cross_section_pb")
    per_pot = sample.metadata.get("yield_per_particle_on_target")
    if scale is not None:
        what = f"cross section {scale:.4e} pb"
    elif per_pot is not None:
        what = f"yield {per_pot:.4e} per particle on target"
    else:
        what = f"BR {sample.metadata['branching_ratio']:.4e}"
    click.echo(
        f"wrote {n_events} {'weighted' if weighted else 'unweighted'} events "
        f"({sample.metadata['process']}, {what}, seed {seed}) to {out} [{fmt}]"
    )
