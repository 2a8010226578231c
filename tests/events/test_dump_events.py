"""Beam-dump event samples (:mod:`darkreach.events.dump`): the link to the card's yield,
kinematics, decay vertices, acceptance, determinism and the CLI (docs/dump.md "Event
samples")."""

from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from darkreach.cli import main
from darkreach.constants import hbarc
from darkreach.errors import InvalidParameterError
from darkreach.events.dump import sample_dump, truncated_exponential
from darkreach.events.sample import EventSample
from darkreach.experiments.dump import BeamDump
from darkreach.experiments.dump.decay_integral import accepted_decay_probability
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model

CARD = "na62-dump-2021-mumu"
#: the card's Monte Carlo with 10x its default X per mechanism (its own MC error ~ ours)
CARD_SAMPLES = 100_000
#: STRAW chamber 1 (handbook electron_and_dump.md B.2, ALPINIST): z = 183.0 m, 0.1 < r < 1 m
STRAW1_Z, STRAW_RMIN, STRAW_RMAX = 183_000.0, 100.0, 1000.0


@lru_cache(maxsize=1)
def precise_card() -> BeamDump:
    """The mu mu card with CARD_SAMPLES X per mechanism (a fresh instance: no shared state)."""
    experiment = BeamDump(get_experiment(CARD).card)
    experiment.settings = dataclasses.replace(experiment.settings, samples=CARD_SAMPLES)
    return experiment


def grid_mass(target: float) -> float:
    """The simulation-grid mass nearest ``target`` [MeV] (no interpolation in the card)."""
    grid = precise_card().simulation_masses()
    return float(grid[np.argmin(np.abs(np.log(grid / target)))])


@lru_cache(maxsize=8)
def sample(coupling: float, n: int = 20_000, seed: int = 7, mass: float = 300.0) -> EventSample:
    return sample_dump(
        get_experiment(CARD), get_model("dark-photon"), mass, n, np.random.default_rng(seed),
        coupling,
    )  # fmt: skip


def rows(s: EventSample, pdg_sel: np.ndarray) -> dict[str, np.ndarray]:
    c = s.columns
    return {k: v[pdg_sel] for k, v in c.items()}


def four(s: EventSample, mask: np.ndarray) -> np.ndarray:
    c = s.columns
    return np.stack([c["px"][mask], c["py"][mask], c["pz"][mask], c["E"][mask]], axis=-1)


@pytest.mark.parametrize("coupling", [3e-7, 1e-6, 4e-6])
def test_mean_weight_times_pot_is_the_card_yield_over_efficiency(coupling: float) -> None:
    """mean weight x POT = BeamDump.signal_yield / efficiency within 3 sigma (both MC errors),
    from the long-lived (N ~ g^4) to the short-lived (exponential) regime. Catches a wrong
    decay length (L1/L2, p/m, a factor 2 in c tau), a lost mechanism or branching ratio, and
    an acceptance that differs from the card's."""
    experiment = precise_card()
    model = get_model("dark-photon")
    mass = grid_mass(300.0)
    s = sample_dump(experiment, model, mass, 2000, np.random.default_rng(11), coupling)
    yield_card = float(experiment.signal_yield(model, [mass], coupling)[0])
    efficiency = float(experiment.efficiencies(np.array([mass]))[0, 0])
    expected = yield_card / efficiency
    ours = float(s.weights.mean()) * experiment.pot
    assert ours == pytest.approx(s.metadata["signal_events_before_efficiency"])
    rel = s.metadata["yield_relative_error"]
    # the card's estimate has the same structure with CARD_SAMPLES X per mechanism
    sigma = rel * np.sqrt(1.0 + s.metadata["pool_per_mechanism"] / CARD_SAMPLES)
    assert rel < 0.03
    assert abs(ours / expected - 1.0) < 3.0 * sigma, (ours, expected, sigma)


def test_mechanisms_enter_in_proportion_to_their_rate() -> None:
    """The share of events per parent meson (bremsstrahlung: no parent) equals that
    mechanism's share of the accepted rate (binomial 4 sigma). Catches drawing mechanisms
    equally or by production rate only."""
    s = sample(1e-6)
    c = s.columns
    by = s.metadata["yield_by_mechanism_per_pot"]
    total = sum(by.values())
    parents = c["pdg"][c["status"] == 2]
    n = s.n_events
    x_rows = parents == 32
    meson_pdg = parents[~x_rows]
    for mech, pdg in (("eta", 221), ("omega", 223)):
        share = by[mech] / total
        observed = np.count_nonzero(meson_pdg == pdg) / n
        assert abs(observed - share) < 4.0 * np.sqrt(share * (1 - share) / n), mech
    brem = 1.0 - meson_pdg.size / n
    share = by["proton-brem"] / total
    assert abs(brem - share) < 4.0 * np.sqrt(share * (1 - share) / n)


def test_four_momentum_conserved_in_each_decay() -> None:
    """X = l- + l+ and parent = X + recoil (to rounding), X on its mass shell and the leptons
    muons. Catches a wrong boost or a recoil not from the same parent decay."""
    s = sample(1e-6)
    c = s.columns
    mass = s.metadata["mass_MeV"]
    x = four(s, c["pdg"] == 32)
    minus = four(s, c["pdg"] == 13)
    plus = four(s, c["pdg"] == -13)
    assert x.shape[0] == minus.shape[0] == plus.shape[0] == s.n_events
    scale = x[:, 3:4]
    assert np.max(np.abs(minus + plus - x) / scale) < 1e-9
    m_x = np.sqrt(x[:, 3] ** 2 - np.sum(x[:, :3] ** 2, axis=1))
    assert np.allclose(m_x, mass, rtol=1e-6)
    m_l = np.sqrt(np.clip(plus[:, 3] ** 2 - np.sum(plus[:, :3] ** 2, axis=1), 0, None))
    assert np.allclose(m_l, 105.658, rtol=1e-3)
    # parent -> X + recoil: parents are the status-2 particles other than X
    is_parent = (c["status"] == 2) & (c["pdg"] != 32)
    events = c["event"][is_parent]
    parent = four(s, is_parent)
    recoil = four(s, (c["status"] == 1) & np.isin(c["pdg"], [22, 111, 221]))
    x_of = x[events]
    assert np.max(np.abs(parent - x_of - recoil) / parent[:, 3:4]) < 1e-9


def test_decay_vertices_in_the_volume_on_the_x_line() -> None:
    """Lepton vertices lie inside the fiducial volume and on X's straight line from the beam
    spot; X and the parent start at the beam spot. Catches a vertex off the flight line or
    outside the volume."""
    experiment = get_experiment(CARD)
    geo = experiment.geometry
    s = sample(1e-6)
    c = s.columns
    lep = c["pdg"] == 13
    x = c["pdg"] == 32
    z = c["z"][lep]
    assert np.all((z >= geo.z_start) & (z <= geo.z_end))
    assert np.allclose(c["z"][x], geo.z_dump) and np.allclose(c["y"][x], geo.beam_y)
    tx = c["px"][x] / c["pz"][x]
    assert np.allclose(c["x"][lep], geo.beam_x + tx * (z - geo.z_dump), atol=1e-6)
    assert np.all(c["t"][lep] > 0.0)


def test_truncated_exponential_against_its_cdf() -> None:
    """z from the exponential truncated to the volume, for decay lengths much shorter than,
    like and much longer than the volume: KS on F(z) (uniform) p > 1e-3. Catches a plain
    exponential clipped to the volume, a wrong length (L/2) or a start at the dump."""
    geo = get_experiment(CARD).geometry
    rng = np.random.default_rng(5)
    for lam in (2_000.0, 40_000.0, 5e7):
        lams = np.full(20_000, lam)
        z = truncated_exponential(rng, lams, geo.z_start, geo.z_end, geo.z_dump)
        length = geo.z_end - geo.z_start
        cdf = -np.expm1(-(z - geo.z_start) / lam) / -np.expm1(-length / lam)
        assert stats.kstest(cdf, "uniform").pvalue > 1e-3, lam


def test_accepted_z_distribution_matches_the_card() -> None:
    """The accepted decay z in the six intervals between the card's nodes against the card's
    analytic accepted decay probability per interval (chi2, p > 1e-3). Catches z drawn from
    the wrong law, or an acceptance evaluated at the wrong vertex."""
    experiment = precise_card()
    model = get_model("dark-photon")
    mass = grid_mass(300.0)
    g = 1e-6
    s = sample_dump(experiment, model, mass, 20_000, np.random.default_rng(3), g)
    z = s.columns["z"][s.columns["pdg"] == 13]
    w, momentum = experiment.unit_tables(model, np.array([mass]))
    gamma = float(model.total_width(mass, g))
    lam = momentum / mass * hbarc / gamma
    nodes = experiment.acceptance_table(mass).z_nodes
    z0 = experiment.geometry.z_dump
    per_interval = np.array(
        [
            accepted_decay_probability(nodes[k : k + 2], w[0, 0][:, k : k + 2], z0, lam).sum()
            for k in range(nodes.size - 1)
        ]
    )
    expected = per_interval / per_interval.sum() * z.size
    observed = np.histogram(z, bins=nodes)[0]
    chi2 = float(np.sum((observed - expected) ** 2 / expected))
    assert stats.chi2.sf(chi2, nodes.size - 2) > 1e-3, (observed, expected)


def test_both_leptons_inside_the_straw1_annulus() -> None:
    """Each lepton, propagated straight from its vertex to STRAW 1 (z = 183 m, before the
    magnet), lies in 0.1 < r < 1 m (handbook B.2). Catches samples without the acceptance."""
    s = sample(1e-6)
    c = s.columns
    lep = np.abs(c["pdg"]) == 13
    dz = STRAW1_Z - c["z"][lep]
    x = c["x"][lep] + c["px"][lep] / c["pz"][lep] * dz
    y = c["y"][lep] + c["py"][lep] / c["pz"][lep] * dz
    r = np.hypot(x, y)
    assert np.all((r >= STRAW_RMIN) & (r <= STRAW_RMAX))


def test_seeded_and_deterministic() -> None:
    """The same seed gives the same sample, another seed another one."""
    a = sample(1e-6, 500, 1)
    b = sample_dump(
        get_experiment(CARD), get_model("dark-photon"), 300.0, 500, np.random.default_rng(1), 1e-6
    )
    c = sample(1e-6, 500, 2)
    for key in a.columns:
        assert np.array_equal(a.columns[key], b.columns[key]), key
    assert np.array_equal(a.weights, b.weights)
    assert not np.array_equal(a.columns["pz"], c.columns["pz"])


def test_weighted_sample_has_the_same_rate_and_spectrum() -> None:
    """Weighted mode: mean weight = the rate; the weighted mean X momentum agrees with the
    unweighted sample's (5 sigma). Catches weights that do not undo the flat candidate draw."""
    s = sample(1e-6)
    wt = sample_dump(
        get_experiment(CARD), get_model("dark-photon"), 300.0, 20_000,
        np.random.default_rng(8), 1e-6, weighted=True,
    )  # fmt: skip
    assert wt.weights.mean() == pytest.approx(wt.metadata["yield_per_particle_on_target"])
    assert wt.metadata["yield_per_particle_on_target"] == pytest.approx(
        s.metadata["yield_per_particle_on_target"], rel=0.05
    )
    pz_u = s.columns["pz"][s.columns["pdg"] == 32]
    pz_w = wt.columns["pz"][wt.columns["pdg"] == 32]
    mean_w = np.average(pz_w, weights=wt.weights)
    n_eff = wt.weights.sum() ** 2 / np.sum(wt.weights**2)
    err = np.hypot(pz_u.std() / np.sqrt(pz_u.size), pz_w.std() / np.sqrt(n_eff))
    assert abs(mean_w - pz_u.mean()) < 5 * err


# ----------------------------------------------------------------------------- CLI
SIGNAL = ["--model", "dark-photon", "--mass", "300MeV", "--coupling", "1e-6", "--seed", "4"]


def test_cli_parquet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "a.parquet"
    code = main(["events", CARD, *SIGNAL, "--n", "300", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"darkreach"])
    assert meta["card"] == CARD and meta["seed"] == 4 and meta["coupling"] == 1e-6
    assert "per proton on target" in meta["weight_unit"]
    weight = table.column("weight").to_numpy()
    assert np.allclose(weight, meta["yield_per_particle_on_target"])
    assert set(np.unique(table.column("status").to_numpy())) == {1, 2, 4}


def test_cli_hepmc3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pyhepmc = pytest.importorskip("pyhepmc")
    out = tmp_path / "a.hepmc3"
    code = main(["events", CARD, *SIGNAL, "--n", "50", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    n = 0
    with pyhepmc.open(str(out)) as f:
        for event in f:
            n += 1
            ids = [p.pid for p in event.particles]
            assert ids[0] == 2212 and 32 in ids and 13 in ids and -13 in ids
            x = next(p for p in event.particles if p.pid == 32)
            assert x.end_vertex is not None and len(x.end_vertex.particles_out) == 2
            assert 102_425.0 <= x.end_vertex.position.z <= 180_000.0
    assert n == 50


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--mass", "3GeV", "--coupling", "1e-6"], "mass"),
        (["--mass", "300MeV", "--coupling", "1e-2"], "coupling"),
        (["--mass", "300MeV"], "coupling"),
    ],
)
def test_cli_bad_input(
    args: list[str], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mass outside the card's range, a coupling at which nothing reaches the volume (X
    decays in the shielding) or no coupling: one line, exit 2, nothing written."""
    out = tmp_path / "b.parquet"
    code = main(["events", CARD, "--model", "dark-photon", *args, "--n", "10", "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and field in err
    assert not out.exists()


def test_library_rejects_a_zero_rate_coupling() -> None:
    with pytest.raises(InvalidParameterError, match="coupling"):
        sample_dump(
            get_experiment(CARD), get_model("dark-photon"), 300.0, 10,
            np.random.default_rng(0), 1e-2,
        )  # fmt: skip


def test_two_channel_card_yield_link() -> None:
    """na62-dump-1e18 (e e and mu mu): mean weight x POT = sum over channels of the card's
    yield without efficiency, POT g^2 BR_c sum_b P(W_c[b], lambda_b) from the card's tables
    (within 3 sigma), and each channel's share of events its share of that sum (4 sigma).
    Catches a channel dropped or drawn with the wrong branching ratio or planes."""
    experiment = BeamDump(get_experiment("na62-dump-1e18").card)
    experiment.settings = dataclasses.replace(experiment.settings, samples=CARD_SAMPLES)
    model = get_model("dark-photon")
    grid = experiment.simulation_masses()
    mass = float(grid[np.argmin(np.abs(np.log(grid / 400.0)))])
    g = 1e-6
    s = sample_dump(experiment, model, mass, 4000, np.random.default_rng(21), g)
    w, momentum = experiment.unit_tables(model, np.array([mass]))
    lam = momentum / mass * hbarc / float(model.total_width(mass, g))
    nodes = experiment.acceptance_table(mass).z_nodes
    ratios = model.branching_ratios(mass, g)
    per_channel = np.array(
        [
            experiment.pot * g * g * float(ratios[state.channel])
            * accepted_decay_probability(nodes, w[0, c], experiment.geometry.z_dump, lam).sum()
            for c, state in enumerate(experiment.final_states)
        ]
    )  # fmt: skip
    ours = s.metadata["signal_events_before_efficiency"]
    rel = s.metadata["yield_relative_error"]
    sigma = rel * np.sqrt(1.0 + s.metadata["pool_per_mechanism"] / CARD_SAMPLES)
    assert abs(ours / per_channel.sum() - 1.0) < 3.0 * sigma, (ours, per_channel, sigma)
    pdg = s.columns["pdg"]
    electrons = np.count_nonzero(pdg == 11) / s.n_events
    share = per_channel[[st.channel for st in experiment.final_states].index("e e")]
    share /= per_channel.sum()
    assert 0.05 < share < 0.95
    assert abs(electrons - share) < 4.0 * np.sqrt(share * (1 - share) / s.n_events)
