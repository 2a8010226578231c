#!/usr/bin/env python
"""Generate the shipped neutral-meson spectra (400 GeV/c p on the NA62 TAX) with Pythia 8.

Not part of the darkreach package: it writes ``src/darkreach/data/meson_spectra/pythia8.npz``,
which ``darkreach.production.meson_spectra.load_spectrum(meson, "pythia8")`` reads. Provenance
of the shipped file (version, seed, events, date, command): the README beside it.

Physics set-up (handbook electron_and_dump.md B.3):

- 400 GeV/c proton on a nucleon at rest (Beams:frameType = 3, so the event record is in the
  lab frame), p p and p n mixed as Z : (A - Z) = 29 : 34.5 (copper, A = 63.5). Each sample
  is normalised to its own number of events and the two are added with these fractions.
- SoftQCD:inelastic = on (non-diffractive + single, double and central diffraction, i.e. every
  inelastic process and nothing elastic), so one event = one inelastic pN interaction = one POT
  (the proton interacts with probability ~1 in the ~22 lambda_I TAX; only the first pN
  interaction is counted, cascade secondaries are neglected).
- Counting: every pi0, eta, eta', omega, rho0, phi in the complete event record, whether Pythia
  later decays it or not (status |81-99|: produced in hadronisation or in a decay), with the
  momentum at production. So a meson is counted before it decays, and feed-down from strong
  and electromagnetic decays (eta -> 3 pi0, omega -> pi+ pi- pi0, eta' -> eta pi pi, ...) is
  included, as in the dump. Weak decays of particles with c tau > 10 mm (K_S, Lambda, Sigma+-,
  Xi, Omega, and the stable pi+-, K+-, K_L) are switched off (ParticleDecays:limitTau0), since
  in the copper they travel or interact before decaying; K_S -> pi0 pi0 feed-down is therefore
  not counted.
- Histograms in the grid of darkreach.production.meson_spectra (MOMENTUM_EDGES, ANGLE_EDGES):
  lab momentum p (log bins, 10 MeV - 400 GeV) x polar angle theta to the beam. stat_error is
  sqrt(sum of squared weights) per bin (Poisson; the small correlation of several mesons of one
  event in one bin is neglected).

Usage (from the repository root)::

    PYTHONPATH=src nice python scripts/generate_meson_spectra.py --events 400000 --seed 12345
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import time
from pathlib import Path

import numpy as np

from darkreach.production.meson_spectra import (
    ANGLE_EDGES,
    MESONS,
    MOMENTUM_EDGES,
    PDG_IDS,
)
from darkreach.units import GeV

Z_CU, A_CU = 29.0, 63.5
FILE_KEYS = {"pi0": "pi0", "eta": "eta", "eta'": "etaprime", "omega": "omega"}
FILE_KEYS |= {"rho0": "rho0", "phi": "phi"}
OUT = Path(__file__).resolve().parents[1] / "src/darkreach/data/meson_spectra/pythia8.npz"


def make_pythia(target_id: int, seed: int, beam_gev: float):  # type: ignore[no-untyped-def]
    """A Pythia instance for p + (target at rest), quiet, seeded."""
    import pythia8mc

    pythia = pythia8mc.Pythia("", False)
    for line in (
        "Beams:frameType = 3",
        "Beams:idA = 2212",
        f"Beams:idB = {target_id}",
        f"Beams:pzA = {beam_gev}",
        "Beams:pzB = 0.",
        "SoftQCD:inelastic = on",
        "ParticleDecays:limitTau0 = on",
        "ParticleDecays:tau0Max = 10.",
        "Random:setSeed = on",
        f"Random:seed = {seed}",
        "Next:numberCount = 0",
        "Init:showChangedSettings = off",
        "Init:showChangedParticleData = off",
        "Init:showProcesses = off",
    ):
        if not pythia.readString(line):
            sys.exit(f"Pythia rejected setting: {line}")
    if not pythia.init():
        sys.exit(f"Pythia init failed for target {target_id}")
    return pythia


def run_sample(target_id: int, n_events: int, seed: int, beam_gev: float) -> dict[str, object]:
    """Generate ``n_events`` and return per-meson (p [GeV], theta) lists and counters."""
    pythia = make_pythia(target_id, seed, beam_gev)
    wanted = {PDG_IDS[m]: m for m in MESONS}
    p_vals: dict[str, list[float]] = {m: [] for m in MESONS}
    t_vals: dict[str, list[float]] = {m: [] for m in MESONS}
    done = failed = 0
    while done < n_events:
        if not pythia.next():
            failed += 1
            if failed > 1000 + n_events // 100:
                sys.exit("too many failed events")
            continue
        done += 1
        for prt in pythia.event:
            name = wanted.get(prt.id())
            if name is not None and 81 <= abs(prt.status()) <= 99:
                p_vals[name].append(prt.pAbs())
                t_vals[name].append(prt.theta())
    info = pythia.infoPython()
    return {
        "p": p_vals,
        "theta": t_vals,
        "events": done,
        "failed": failed,
        "sigma_gen_mb": info.sigmaGen(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=400_000, help="pN events in total")
    parser.add_argument("--seed", type=int, default=12345, help="seed of the pp sample; pn: +1")
    parser.add_argument("--beam", type=float, default=400.0, help="beam momentum [GeV/c]")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    import pythia8mc

    version = f"{pythia8mc.Pythia('', False).infoPython().versionNumber():.3f}"
    f_p = Z_CU / A_CU
    n_pp = round(args.events * f_p)
    samples = {
        "pp": (2212, n_pp, args.seed, f_p),
        "pn": (2112, args.events - n_pp, args.seed + 1, 1 - f_p),
    }
    p_edges = np.asarray(MOMENTUM_EDGES / GeV)
    t_edges = np.asarray(ANGLE_EDGES)
    shape = (p_edges.size - 1, t_edges.size - 1)
    table = {m: np.zeros(shape) for m in MESONS}
    var = {m: np.zeros(shape) for m in MESONS}
    total = dict.fromkeys(MESONS, 0.0)
    underflow = dict.fromkeys(MESONS, 0.0)
    meta: dict[str, object] = {}
    cpu0 = time.process_time()
    for label, (target, n, seed, frac) in samples.items():
        t0 = time.process_time()
        res = run_sample(target, n, seed, args.beam)
        n_done = int(res["events"])  # type: ignore[call-overload]
        w = frac / n_done
        for m in MESONS:
            p = np.asarray(res["p"][m])  # type: ignore[index]
            th = np.asarray(res["theta"][m])  # type: ignore[index]
            counts, _, _ = np.histogram2d(p, th, bins=(p_edges, t_edges))
            table[m] += w * counts
            var[m] += w**2 * counts
            total[m] += w * p.size
            underflow[m] += w * np.count_nonzero(p < p_edges[0])
        meta[f"{label}_events"] = n_done
        meta[f"{label}_failed"] = res["failed"]
        meta[f"{label}_sigma_gen_mb"] = res["sigma_gen_mb"]
        meta[f"{label}_cpu_s"] = time.process_time() - t0
        print(f"{label}: {n_done} events, {meta[f'{label}_cpu_s']:.0f} s CPU", flush=True)
    cpu = time.process_time() - cpu0
    n_total = sum(int(meta[f"{k}_events"]) for k in samples)  # type: ignore[call-overload]
    source = (
        f"pythia8 {version} SoftQCD:inelastic, 400 GeV/c p on p/n at rest (Cu Z/A), "
        f"seed {args.seed}/{args.seed + 1}, {n_total} events"
    )
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    arrays: dict[str, np.ndarray] = {
        "momentum_edges_gev": p_edges,
        "angle_edges_rad": t_edges,
        "source": np.array(source),
        "pythia_version": np.array(version),
        "date": np.array(date),
        "seed": np.array(args.seed),
        "n_events": np.array(n_total),
        "cpu_seconds": np.array(cpu),
        "machine": np.array(platform.platform()),
    }
    for k, v in meta.items():
        arrays[k] = np.array(v)
    for m in MESONS:
        key = FILE_KEYS[m]
        arrays[f"{key}_per_pot"] = table[m]
        arrays[f"{key}_stat_error"] = np.sqrt(var[m])
        arrays[f"{key}_total_per_pot"] = np.array(total[m])
        arrays[f"{key}_underflow_per_pot"] = np.array(underflow[m])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(source)
    print(f"CPU {cpu:.0f} s; written {args.out} ({args.out.stat().st_size / 1024:.0f} kB)")
    for m in MESONS:
        print(f"  <n_{m}> = {total[m]:.4f} per pN (underflow p < 10 MeV: {underflow[m]:.2e})")


if __name__ == "__main__":
    main()
