"""e N -> e N A' (and e+ e- -> A') events for missing-energy cards: x against d sigma/dx, the
emitter spectrum against the shower's track length x sigma, four-momentum conservation, the
positron resonance share, the yield link and the Parquet round trip."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from darkreach.cli import main
from darkreach.constants import m_e
from darkreach.events.electron import sample_electron
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model
from darkreach.physics.form_factors import Nucleus
from darkreach.production.electron_brem import dsigma_dx, electron_coupling_squared

MASS = 20.0  # MeV, electron card
RES_MASS = 270.0  # MeV, E_res ~ 71 GeV inside (E0 - E_cut, E0) = (50, 100) GeV


def _incoming_and_x(sample):  # type: ignore[no-untyped-def]
    """Per event: emitter energy (slot 0), target pdg (slot 1) and the X energy."""
    c = sample.columns
    first = sample.event_slices()[:-1]
    is_x = c["pdg"] == sample.metadata["x_pdg"]
    return c["E"][first], c["pdg"][first + 1], c["E"][is_x]


@pytest.fixture(scope="module")
def electron_card():  # type: ignore[no-untyped-def]
    return get_experiment("na64e-2016-2022")


@pytest.fixture(scope="module")
def electron_sample(electron_card):  # type: ignore[no-untyped-def]
    model = get_model("dark-photon-dm")
    return sample_electron(electron_card, model, MASS, 40_000, np.random.default_rng(7), 1e-4)


def test_x_follows_dsigma_dx(electron_card, electron_sample) -> None:  # type: ignore[no-untyped-def]
    e_in, _, e_x = _incoming_and_x(electron_sample)
    energies, counts = np.unique(e_in, return_counts=True)
    e0 = float(energies[np.argmax(counts)])  # the most populated bin (the primary near E0)
    x = e_x[e_in == e0] / e0
    assert x.size > 5000
    x_cut = (electron_card.beam_energy - electron_card.energy_cut) / e0
    # reference CDF: dense trapezoid in ln(1 - x), independent of the sampler's eta grid
    omx = np.geomspace(m_e / e0 * (1.0 + 1e-9), 1.0 - x_cut, 40_000)[::-1]
    grid = 1.0 - omx
    ((z, a, _, _),) = electron_card.brem_sigmas(np.array([MASS]))  # one element (Pb)
    density = np.asarray(dsigma_dx(grid, e0, MASS, Nucleus(z, a))) * omx
    lnomx = np.log(omx)
    cdf = np.concatenate([[0.0], np.cumsum(0.5 * (density[1:] + density[:-1]) * -np.diff(lnomx))])
    cdf /= cdf[-1]
    result = stats.kstest(x, lambda v: np.interp(v, grid, cdf))
    assert result.pvalue > 1e-3, result


def test_emitter_spectrum_matches_track_length_times_sigma(electron_card, electron_sample) -> None:  # type: ignore[no-untyped-def]
    e_in, _, _ = _incoming_and_x(electron_sample)
    c = electron_sample.columns
    species = c["pdg"][electron_sample.event_slices()[:-1]]
    tl = electron_card.track_lengths
    sig = sum(d * s[0] for _, _, d, s in electron_card.brem_sigmas(np.array([MASS])))
    expected = np.concatenate([sig * tl.of("e-", "e-"), sig * tl.of("e+", "e-")])
    expected = expected / expected.sum() * e_in.size
    observed = np.zeros(expected.size)
    bin_of = np.searchsorted(-tl.energy, -e_in)  # energies descending
    assert np.allclose(tl.energy[bin_of], e_in)
    np.add.at(observed, bin_of + np.where(species == 11, 0, tl.energy.size), 1.0)
    keep = expected >= 5.0  # the sparse cells pooled into one
    obs = np.append(observed[keep], observed[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    chi2 = np.sum((obs - exp) ** 2 / exp)
    dof = obs.size - 1
    assert stats.chi2.sf(chi2, dof) > 1e-3, (chi2, dof)
    assert np.any(species == -11)  # secondary positrons radiate too


def _balance(sample):  # type: ignore[no-untyped-def]
    c = sample.columns
    sign = np.where(c["status"] == 4, 1.0, np.where(c["status"] == 1, -1.0, 0.0))
    return np.stack(
        [np.bincount(c["event"], weights=sign * c[k]) for k in ("px", "py", "pz", "E")], axis=-1
    )


@pytest.mark.parametrize(
    ("card", "model", "mass"),
    [
        ("na64e-2016-2022", "dark-photon", MASS),  # visible: A' -> e+ e-
        ("na64e-2016-2022", "dark-photon-dm", MASS),
        ("na64e-positron-2022", "dark-photon", RES_MASS),  # with annihilation
    ],
)
def test_four_momentum_conserved(card: str, model: str, mass: float) -> None:
    sample = sample_electron(
        get_experiment(card), get_model(model), mass, 5000, np.random.default_rng(3), 1e-4
    )
    c = sample.columns
    assert np.max(np.abs(_balance(sample))) < 1e-9 * np.max(c["E"])
    e2 = c["E"] ** 2 - c["px"] ** 2 - c["py"] ** 2 - c["pz"] ** 2
    is_x = c["pdg"] == 32
    assert np.allclose(np.sqrt(e2[is_x]), mass, rtol=1e-6)
    lep = np.abs(c["pdg"]) == 11
    assert np.allclose(np.sqrt(np.clip(e2[lep], 0.0, None)), m_e, rtol=1e-3, atol=1e-3)
    if model == "dark-photon":
        assert np.any(c["status"] == 2)


def test_positron_resonance_share() -> None:
    exp = get_experiment("na64e-positron-2022")
    n = 20_000
    sample = sample_electron(
        exp, get_model("dark-photon-dm"), RES_MASS, n, np.random.default_rng(5)
    )
    m = np.array([RES_MASS])
    ann = float(exp.annihilation_yield(m)[0])
    brem = float(exp.brem_yield(m)[0])
    share = ann / (ann + brem)
    assert 0.0 < share < 1.0
    assert sample.metadata["annihilation_fraction"] == pytest.approx(share, rel=1e-12)
    e_in, target, e_x = _incoming_and_x(sample)
    is_ann = target == 11
    k = int(is_ann.sum())
    assert abs(k - n * share) < 5.0 * math.sqrt(n * share * (1.0 - share)) + 1.0
    e_res = (RES_MASS**2 - 2 * m_e**2) / (2 * m_e)
    assert np.allclose(e_in[is_ann], e_res) and np.allclose(e_x[is_ann], e_res + m_e)
    # an electron card: secondary positrons of the shower annihilate too (annihilation = "all")
    ecard = get_experiment("na64e-2016-2022")
    electron = sample_electron(
        ecard, get_model("dark-photon-dm"), RES_MASS, 200, np.random.default_rng(5)
    )
    e_ann = float(ecard.annihilation_yield(m)[0])
    assert electron.metadata["annihilation_fraction"] == pytest.approx(
        e_ann / (e_ann + float(ecard.brem_yield(m)[0])), rel=1e-12
    )
    # outside the dip (E_res < E0 - E_cut) there is none
    low = sample_electron(exp, get_model("dark-photon-dm"), 100.0, 200, np.random.default_rng(5))
    assert low.metadata["annihilation_fraction"] == 0.0
    assert not np.any(_incoming_and_x(low)[1] == 11)


def test_mean_weight_is_the_yield_per_particle(electron_card, electron_sample) -> None:  # type: ignore[no-untyped-def]
    m = np.array([MASS])
    per_particle = electron_card.unit_yield(m)[0] / (
        electron_card.particles_on_target * electron_card.card.efficiency(m)[0]
    )
    c2 = electron_coupling_squared(get_model("dark-photon-dm"), m)[0]
    expected = per_particle * c2 * 1e-8
    assert electron_sample.metadata["yield_per_particle_on_target"] == pytest.approx(expected)
    assert np.allclose(electron_sample.weights, expected)


def test_parquet_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("pyarrow.parquet")
    from darkreach.events.parquet import read_parquet

    out = tmp_path / "e.parquet"
    args = ["events", "na64e-positron-2022", "--model", "dark-photon", "--mass", "270MeV"]
    args += ["--coupling", "1e-4", "--n", "500", "--seed", "11", "--out", str(out)]
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "per particle on target" in captured.out
    back = read_parquet(out)
    ref = sample_electron(
        get_experiment("na64e-positron-2022"), get_model("dark-photon"), RES_MASS, 500,
        np.random.default_rng(11), 1e-4,
    )  # fmt: skip
    for key, values in ref.columns.items():
        assert np.array_equal(back.columns[key], values), key
    assert np.allclose(back.weights, ref.weights)
    assert back.metadata["seed"] == 11 and back.metadata["card"] == "na64e-positron-2022"
    assert back.metadata["yield_per_particle_on_target"] == pytest.approx(
        ref.metadata["yield_per_particle_on_target"]
    )


def test_ib_channel_refused_for_missing_energy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "never.parquet"
    code = main(["events", "na64e-2016-2022", "--channel", "ib-background", "--n", "10",
                 "--out", str(out)])  # fmt: skip
    assert code == 2
    assert not out.exists()
