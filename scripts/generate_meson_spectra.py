#!/usr/bin/env python
"""Generate the shipped neutral-meson spectra (400 GeV/c p on the NA62 TAX) with Pythia 8.

Not part of the darkreach package: it writes ``src/darkreach/data/meson_spectra/pythia8.npz``,
which ``darkreach.production.meson_spectra.load_spectrum(meson, "pythia8")`` reads. Provenance
of the shipped file (version, seed, events, CPU, date, command): the README beside it.

Physics set-up (handbook electron_and_dump.md B.3):

- 400 GeV/c proton on a nucleon at rest (Beams:frameType = 3, so the event record is in the
  lab frame), p p and p n mixed as Z : (A - Z) = 29 : 34.5 (copper, A = 63.5). Each sample
  is normalised to its own number of events and the two are added with these fractions.
- SoftQCD:inelastic = on (non-diffractive + single, double and central diffraction, i.e. every
  inelastic process and nothing elastic), so one event = one inelastic pN interaction = one POT
  (the proton interacts with probability ~1 in the ~22 lambda_I TAX; only the first pN
  interaction is counted, cascade secondaries are neglected: they are soft and rarely inside
  the few-mrad NA62 acceptance). Default tune (Monash 2013), default PDFs.
- Counting: every pi0, eta, eta', omega, rho0, phi in the complete event record, whether Pythia
  later decays it or not (|status| 81-99: made in hadronisation or in a decay), with its
  momentum at production. So a meson is counted before it decays, and feed-down from strong
  and electromagnetic decays (eta -> 3 pi0, omega -> pi+ pi- pi0, eta' -> eta pi pi, ...) is
  included, as in the dump. Particles with c tau > 10 mm (K_S, Lambda, Sigma+-, Xi, Omega;
  pi+-, K+-, K_L) are not decayed (ParticleDecays:limitTau0), since in copper they travel or
  interact first; K_S -> pi0 pi0 feed-down is therefore not counted.
- Histograms on the grid of darkreach.production.meson_spectra (MOMENTUM_EDGES, ANGLE_EDGES):
  lab momentum p (log bins, 10 MeV - 400 GeV) x polar angle theta to the beam. stat_error is
  sqrt(sum of squared weights) per bin (Poisson; the small correlation of several mesons of one
  event in one bin is neglected).

Backend: the event loop is a small C++ program (embedded below) linked against the Pythia 8
C++ library, because a Python loop over the event record costs more CPU than the generation.
``--pythia-dir`` must hold ``include/Pythia8/Pythia.h``, ``lib/libpythia8.a`` (or ``.so``) and
``share/Pythia8/xmldoc``: a standard Pythia build (``./configure && make``), or the C++ sources
of the ``pythia8mc`` sdist on PyPI compiled into ``libpythia8.a`` (what was done for the shipped
table; README). Needs g++ and zlib.

Usage (from the repository root)::

    PYTHONPATH=src python scripts/generate_meson_spectra.py --pythia-dir /path/to/pythia8318 \\
        --events 2000000 --seed 12345 --jobs 2
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from darkreach.production.meson_spectra import ANGLE_EDGES, MESONS, MOMENTUM_EDGES, PDG_IDS
from darkreach.units import GeV

Z_CU, A_CU = 29.0, 63.5
FILE_KEYS = {"pi0": "pi0", "eta": "eta", "eta'": "etaprime", "omega": "omega"}
FILE_KEYS |= {"rho0": "rho0", "phi": "phi"}
OUT = Path(__file__).resolve().parents[1] / "src/darkreach/data/meson_spectra/pythia8.npz"

DRIVER = r"""
// Event loop for generate_meson_spectra.py: p + nucleon at rest, meson (p, theta) histograms.
#include "Pythia8/Pythia.h"
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
using namespace Pythia8;

int main(int argc, char* argv[]) {
  // args: xmldoc idB nEvents seed pBeam edgesFile outFile id1 id2 ...
  if (argc < 9) return 2;
  std::string xml = argv[1];
  int idB = std::atoi(argv[2]);
  long nEvents = std::atol(argv[3]);
  int seed = std::atoi(argv[4]);
  std::string pBeam = argv[5];
  std::vector<double> pEdges, tEdges;
  { std::ifstream in(argv[6]); int np, nt; in >> np >> nt;
    pEdges.resize(np); tEdges.resize(nt);
    for (auto& x : pEdges) in >> x; for (auto& x : tEdges) in >> x; }
  std::vector<int> ids;
  for (int i = 8; i < argc; ++i) ids.push_back(std::atoi(argv[i]));
  int nP = pEdges.size() - 1, nT = tEdges.size() - 1, nM = ids.size();
  std::vector<double> counts(nM * nP * nT, 0.), total(nM, 0.), under(nM, 0.);

  Pythia pythia(xml, false);
  std::vector<std::string> cmds = {
    "Beams:frameType = 3", "Beams:idA = 2212", "Beams:idB = " + std::to_string(idB),
    "Beams:pzA = " + pBeam, "Beams:pzB = 0.", "SoftQCD:inelastic = on",
    "ParticleDecays:limitTau0 = on", "ParticleDecays:tau0Max = 10.",
    "Random:setSeed = on", "Random:seed = " + std::to_string(seed),
    "Next:numberCount = 0", "Next:numberShowEvent = 0", "Next:numberShowInfo = 0",
    "Next:numberShowProcess = 0"};
  for (auto& c : cmds) if (!pythia.readString(c)) { std::cerr << "bad " << c << "\n"; return 3; }
  if (!pythia.init()) return 4;
  long done = 0, failed = 0;
  while (done < nEvents) {
    if (!pythia.next()) { if (++failed > 1000 + nEvents / 100) return 5; continue; }
    ++done;
    for (int i = 0; i < pythia.event.size(); ++i) {
      const Particle& prt = pythia.event[i];
      int st = std::abs(prt.status());
      if (st < 81 || st > 99) continue;
      int m = std::find(ids.begin(), ids.end(), prt.id()) - ids.begin();
      if (m == nM) continue;
      double p = prt.pAbs(), th = prt.theta();
      total[m] += 1.;
      if (p < pEdges[0]) { under[m] += 1.; continue; }
      int ip = std::upper_bound(pEdges.begin(), pEdges.end(), p) - pEdges.begin() - 1;
      int it = std::upper_bound(tEdges.begin(), tEdges.end(), th) - tEdges.begin() - 1;
      if (ip >= nP) ip = nP - 1;
      if (it >= nT) it = nT - 1;
      counts[(m * nP + ip) * nT + it] += 1.;
    }
  }
  std::ofstream out(argv[7], std::ios::binary);
  double head[5] = {double(done), double(failed), pythia.info.sigmaGen(),
                    pythia.settings.parm("Pythia:versionNumber"), double(nM)};
  out.write((char*)head, sizeof head);
  for (int m = 0; m < nM; ++m) {
    out.write((char*)&total[m], sizeof(double));
    out.write((char*)&under[m], sizeof(double));
    out.write((char*)&counts[m * nP * nT], sizeof(double) * nP * nT);
  }
  return 0;
}
"""


def build_driver(pythia_dir: Path, work: Path) -> Path:
    """Compile the C++ event loop against the Pythia library in ``pythia_dir``."""
    src = work / "meson_driver.cc"
    src.write_text(DRIVER)
    lib = pythia_dir / "lib" / "libpythia8.a"
    if not lib.exists():
        lib = pythia_dir / "lib" / "libpythia8.so"
    exe = work / "meson_driver"
    cmd = ["g++", "-O2", "-std=c++11", f"-I{pythia_dir / 'include'}", str(src), str(lib)]
    cmd += ["-lz", "-ldl", "-lpthread", "-o", str(exe)]
    subprocess.run(cmd, check=True)
    return exe


def run_sample(
    exe: Path, xmldoc: Path, target: int, n: int, seed: int, beam: float, work: Path
) -> dict[str, object]:
    """Run the driver for one target nucleon; return counts per meson and counters."""
    edges = work / "edges.txt"
    out = work / f"out_{target}.bin"
    ids = [str(PDG_IDS[m]) for m in MESONS]
    t0 = time.time()
    args = [exe, xmldoc, target, n, seed, beam, edges, out, *ids]
    proc = subprocess.run(
        [str(a) for a in args],
        env={**os.environ, "PYTHIA8DATA": str(xmldoc)},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"driver failed ({proc.returncode}): {proc.stderr[-2000:]}")
    raw = np.fromfile(out, dtype=np.float64)
    n_done, n_failed, sigma, version, n_m = raw[:5]
    shape = (MOMENTUM_EDGES.size - 1, ANGLE_EDGES.size - 1)
    size = 2 + shape[0] * shape[1]
    per = {}
    for k, m in enumerate(MESONS):
        block = raw[5 + k * size : 5 + (k + 1) * size]
        per[m] = (block[0], block[1], block[2:].reshape(shape))
    assert int(n_m) == len(MESONS)
    return {
        "events": int(n_done),
        "failed": int(n_failed),
        "sigma_gen_mb": float(sigma),
        "version": f"{version:.3f}",
        "mesons": per,
        "wall_s": time.time() - t0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pythia-dir", type=Path, required=True)
    parser.add_argument("--events", type=int, default=2_000_000, help="pN events in total")
    parser.add_argument("--seed", type=int, default=12345, help="seed of the pp sample; pn: +1")
    parser.add_argument("--beam", type=float, default=400.0, help="beam momentum [GeV/c]")
    parser.add_argument("--jobs", type=int, default=1, help="1: pp then pn; 2: in parallel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    f_p = Z_CU / A_CU
    n_pp = round(args.events * f_p)
    samples = {
        "pp": (2212, n_pp, args.seed, f_p),
        "pn": (2112, args.events - n_pp, args.seed + 1, 1.0 - f_p),
    }
    xmldoc = args.pythia_dir / "share" / "Pythia8" / "xmldoc"
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        exe = build_driver(args.pythia_dir, work)
        p_edges = np.asarray(MOMENTUM_EDGES / GeV)
        t_edges = np.asarray(ANGLE_EDGES)
        with (work / "edges.txt").open("w") as fh:
            fh.write(f"{p_edges.size} {t_edges.size}\n")
            fh.write(" ".join(repr(float(x)) for x in p_edges) + "\n")
            fh.write(" ".join(repr(float(x)) for x in t_edges) + "\n")
        cpu0 = time.process_time()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {
                label: pool.submit(run_sample, exe, xmldoc, tgt, n, seed, args.beam, work)
                for label, (tgt, n, seed, _) in samples.items()
            }
            results = {label: fut.result() for label, fut in futures.items()}
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
        cpu += time.process_time() - cpu0

    shape = (p_edges.size - 1, t_edges.size - 1)
    table = {m: np.zeros(shape) for m in MESONS}
    var = {m: np.zeros(shape) for m in MESONS}
    total = dict.fromkeys(MESONS, 0.0)
    underflow = dict.fromkeys(MESONS, 0.0)
    arrays: dict[str, np.ndarray] = {}
    for label, (_, _, seed, frac) in samples.items():
        res = results[label]
        w = frac / int(res["events"])  # type: ignore[call-overload]
        for m in MESONS:
            tot, under, counts = res["mesons"][m]  # type: ignore[index]
            table[m] += w * counts
            var[m] += w**2 * counts
            total[m] += w * tot
            underflow[m] += w * under
        arrays[f"{label}_events"] = np.array(res["events"])
        arrays[f"{label}_failed"] = np.array(res["failed"])
        arrays[f"{label}_sigma_gen_mb"] = np.array(res["sigma_gen_mb"])
        arrays[f"{label}_seed"] = np.array(seed)
        print(f"{label}: {res['events']} events, sigma_gen = {res['sigma_gen_mb']:.2f} mb")
    version = str(results["pp"]["version"])
    n_total = sum(int(r["events"]) for r in results.values())  # type: ignore[call-overload]
    source = (
        f"pythia8 {version} SoftQCD:inelastic, {args.beam:g} GeV/c p on p/n at rest "
        f"(Cu Z/A), seed {args.seed}/{args.seed + 1}, {n_total} events"
    )
    arrays |= {
        "momentum_edges_gev": p_edges,
        "angle_edges_rad": t_edges,
        "source": np.array(source),
        "pythia_version": np.array(version),
        "date": np.array(datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")),
        "n_events": np.array(n_total),
        "cpu_seconds": np.array(cpu),
        "machine": np.array(platform.platform()),
        "command": np.array(" ".join(sys.argv[1:])),
    }
    for m in MESONS:
        key = FILE_KEYS[m]
        arrays[f"{key}_per_pot"] = table[m]
        arrays[f"{key}_stat_error"] = np.sqrt(var[m])
        arrays[f"{key}_total_per_pot"] = np.array(total[m])
        arrays[f"{key}_underflow_per_pot"] = np.array(underflow[m])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    print(source)
    print(f"CPU {cpu:.0f} s; written {args.out} ({args.out.stat().st_size / 1024:.0f} kB)")
    for m in MESONS:
        print(f"  <n_{m}> = {total[m]:.4f} per pN (p < 10 MeV: {underflow[m]:.2e})")


if __name__ == "__main__":
    main()
