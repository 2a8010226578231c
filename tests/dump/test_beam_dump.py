"""The beam-dump experiment type: decay probability, acceptance, yields, two-edged limits.

References: handbook electron_and_dump.md B.2-B.8 and validation.md ED-3, ED-4, ED-5;
statistics.md 6.2 (two branches). Each test names the bug it was seen to catch.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

from darkreach.constants import hbarc, m_mu
from darkreach.errors import InvalidParameterError
from darkreach.experiments.dump.decay_integral import accepted_decay_probability
from darkreach.experiments.dump.geometry import DetectorPlane, DumpGeometry, tracks_accepted
from darkreach.models.registry import get_model
from darkreach.physics.decay import decay_in_volume_probability
from darkreach.stats import p_value, upper_limit, z_score

from .conftest import dump_variant

PHOTON = get_model("dark-photon")


# ---------------------------------------------------------------- decay probability (ED-5)
def test_ed5_decay_probability() -> None:
    """ED-5: exp(-0.8) - exp(-1.57) = 0.2413 at L1 = 80, L2 = 157, lambda = 100 (1e-4).

    Catches L/2 for L and a swapped sign (both give values far from 0.2413).
    """
    assert decay_in_volume_probability(80.0, 157.0, 100.0) == pytest.approx(0.2413, abs=1e-4)


def test_decay_probability_limits() -> None:
    """lambda >> L2: (L2 - L1)/lambda, first correction -(L1 + L2)/(2 lambda) relative;
    lambda << L1: exp(-L1/lambda)."""
    for lam in (1e5, 1e8, 1e12):
        leading = 77.0 / lam
        corrected = leading * (1.0 - (80.0 + 157.0) / (2.0 * lam))
        got = decay_in_volume_probability(80.0, 157.0, lam)
        assert got == pytest.approx(corrected, rel=1e-5)
        assert got == pytest.approx(leading, rel=2.0 * 118.5 / lam)
    lam = 2.0
    assert decay_in_volume_probability(80.0, 157.0, lam) == pytest.approx(
        math.exp(-40.0), rel=1e-12
    )


@pytest.mark.parametrize("lam", [0.5, 3.0, 30.0, 300.0, 3e4, 3e9])
def test_accepted_decay_probability_against_quadrature(lam: float) -> None:
    """Piecewise-linear acceptance x exponential: analytic sum vs fine trapezoid (1e-6).

    Catches a wrong sign or a missing 1/h in the slope term (errors of 10-100 %).
    """
    z = np.array([80.0, 90.0, 110.0, 130.0, 157.0])
    a = np.array([0.1, 0.7, 0.4, 0.9, 0.2])
    fine = np.linspace(80.0, 157.0, 400_001)
    density = np.exp(-fine / lam) / lam * np.interp(fine, z, a)
    expected = np.trapezoid(density, fine)
    got = float(accepted_decay_probability(z, a, 0.0, np.array(lam)))
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-300)


def test_accepted_decay_probability_flat_is_window() -> None:
    """A = 1 at every node reduces to exp(-L1/lambda) - exp(-L2/lambda)."""
    z = np.linspace(79.355, 156.93, 9)
    lam = np.array([1.0, 10.0, 100.0, 1e4])
    got = accepted_decay_probability(z, np.ones(9), 0.0, lam)
    assert got == pytest.approx(decay_in_volume_probability(z[0], z[-1], lam), rel=1e-12)


# ---------------------------------------------------------------- geometry
def test_track_through_planes_by_hand() -> None:
    """A track with slope 2 mrad from (0, -22 mm, 150 m), p = 50 GeV, through a magnet with a
    0.27 GeV kick: x at 218.7 m = 0.002 x 68.7 m + (0.27/50) x 21.7 m = 0.2546 m (by hand).
    Catches a kick of the wrong sign convention or applied upstream of the magnet."""
    geometry = DumpGeometry(
        z_dump=23_070.0, beam_x=0.0, beam_y=-22.0, z_start=102_425.0, z_end=180_000.0,
        magnet_z=197_000.0, pt_kick=270.0,
    )  # fmt: skip
    vertex = np.array([0.0, -22.0, 150_000.0])
    p = 50_000.0
    momentum = np.array([0.002 * p, 0.0, p])
    x_expected = 0.002 * 68_700.0 + 270.0 / p * 21_700.0
    inside = DetectorPlane("S4", 218_700.0, x_expected - 1.0, x_expected + 1.0)
    assert tracks_accepted(vertex, momentum, 1.0, (inside,), geometry)
    # the opposite charge is kicked the other way: misses the narrow ring
    assert not tracks_accepted(vertex, momentum, -1.0, (inside,), geometry)
    square = DetectorPlane("M", 246_850.0, 0.0, 5_000.0, half_width=100.0)
    assert not tracks_accepted(vertex, momentum, 1.0, (square,), geometry)


# ---------------------------------------------------------------- yields
def test_yield_scales_with_pot_efficiency_and_g4(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """N ~ POT x eff exactly; N ~ g^4 at small g (long lifetime) to 1e-4.

    Catches a coupling entering once (g^2) instead of twice (production and decay)."""
    m = np.array([300.0, 450.0])
    n1 = mumu_fast.signal_yield(PHOTON, m, 1e-9)
    n2 = mumu_fast.signal_yield(PHOTON, m, 2e-9)
    assert n2 / n1 == pytest.approx(16.0, rel=1e-4)
    doubled = dump_variant(
        simulation={"samples": 1500},
        beam={"on_target": {"value": 2.8e17, "source": "test", "status": "assumption"}},
    )
    assert doubled.signal_yield(PHOTON, m, 1e-9) == pytest.approx(2.0 * n1, rel=1e-12)


def test_yield_by_independent_monte_carlo() -> None:
    """The tabulated yield (binned momenta, decay nodes, analytic decay integral) against a
    direct Monte Carlo on the same X samples: each X decays at a z drawn from its own
    exponential inside the volume and the acceptance is evaluated there exactly. Agreement
    within 2 % + 3/sqrt(N_eff) per mechanism at a long and a short decay length (N_eff: the
    effective number of X after decay weighting; the decay positions and angles differ).
    Catches a wrong momentum binning (decay length of
    the wrong bin), nodes misplaced by the dump position, p/m inverted."""
    from darkreach.events.kinematics import two_body_decay
    from darkreach.experiments.dump.simulation import _produce, _stream, simulate_mass

    exp = dump_variant(simulation={"samples": 20000})
    geo = exp.geometry
    mass = 350.0
    gamma1 = float(PHOTON.total_width(mass, 1.0))
    table = simulate_mass(mass, geo, exp.final_states, exp.card.production.mechanisms, exp.settings)
    planes = exp.final_states[0].planes
    for g in (2e-7, 2.5e-6):
        lam_bins = table.momentum / mass * hbarc / (gamma1 * g * g)
        for mechanism in ("eta", "proton-brem"):
            made = _produce(mechanism, mass, exp.settings, _stream(exp.settings.seed, mechanism))
            assert made is not None
            x, w, _ = made
            rng = np.random.default_rng(11)
            p = np.linalg.norm(x[:, :3], axis=1)
            lam = p / mass * hbarc / (gamma1 * g * g)
            l1, l2 = geo.distance_to_start, geo.distance_to_end
            prob = decay_in_volume_probability(l1, l2, lam)
            u = rng.random(p.size)
            e1, e2 = np.exp(-l1 / lam), np.exp(-l2 / lam)
            with np.errstate(divide="ignore", invalid="ignore"):
                dist = np.where(prob > 0, -lam * np.log(e1 - u * (e1 - e2)), l1)
            tx, ty = x[:, 0] / x[:, 2], x[:, 1] / x[:, 2]
            vertex = np.stack(
                [geo.beam_x + tx * dist, geo.beam_y + ty * dist, geo.z_dump + dist], axis=-1
            )
            plus, minus = two_body_decay(rng, x, mass, m_mu, m_mu)
            accepted = tracks_accepted(vertex, plus[:, :3], 1.0, planes, geo) & tracks_accepted(
                vertex, minus[:, :3], -1.0, planes, geo
            )
            direct = float(np.sum(w * prob * accepted))
            # Monte Carlo noise of both estimates: ~1/sqrt(effective number of X) of the
            # decay-weighted sample (at the short decay length only the fastest X count)
            v = w * prob
            n_eff = float(v.sum() ** 2 / np.sum(v * v))
            tabulated = float(
                np.sum(
                    accepted_decay_probability(
                        table.z_nodes, table.weights[(mechanism, "mu mu")], geo.z_dump, lam_bins
                    )
                )
            )
            assert tabulated == pytest.approx(direct, rel=0.02 + 3.0 / math.sqrt(n_eff)), (
                g,
                mechanism,
                n_eff,
            )


def test_mass_interpolation_of_tables() -> None:
    """Tables between simulated masses (linear in ln m) agree with a simulation at that mass:
    the dark-photon yield within 1 %, each mechanism within 3 % (common random numbers keep
    neighbouring masses correlated). Catches an
    interpolation weight applied the wrong way round (t for 1 - t)."""
    from darkreach.experiments.dump.simulation import simulate_mass

    mumu_fast = dump_variant(simulation={"samples": 5000})
    grid = mumu_fast.simulation_masses()
    # away from production thresholds (phi -> eta X closes at 471.6 MeV: there the open
    # neighbour's table is used and the strength, ~ p^3, goes to zero)
    for mass in (np.sqrt(grid[2] * grid[3]), 0.3 * grid[4] + 0.7 * grid[5]):
        exact = simulate_mass(
            float(mass), mumu_fast.geometry, mumu_fast.final_states,
            mumu_fast.card.production.mechanisms, mumu_fast.settings,
        )  # fmt: skip
        interpolated = mumu_fast.acceptance_table(float(mass))
        strength = mumu_fast.production_strength(PHOTON, np.array([float(mass)]))
        total_exact = total_interpolated = 0.0
        for key, value in exact.weights.items():
            if value.sum() > 0:
                assert interpolated.weights[key].sum() == pytest.approx(value.sum(), rel=0.03)
            total_exact += float(strength[key[0]][0]) * value.sum()
            total_interpolated += float(strength[key[0]][0]) * interpolated.weights[key].sum()
        assert total_interpolated == pytest.approx(total_exact, rel=0.01)


# ---------------------------------------------------------------- two-edged limits
def test_edges_solve_the_limit_and_bracket_the_peak(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """At each excluded mass N(g_low) = N(g_high) = s_up (1e-6), N > s_up between and < s_up
    just outside; an independent brentq on ln g finds the same edges (1e-6)."""
    masses = np.array([250.0, 350.0, 500.0])
    curve = mumu_fast.reach(PHOTON, masses)
    s_up = upper_limit(0, 0.016)
    for m, low, high in zip(masses, curve.coupling, curve.coupling_upper, strict=True):
        assert np.isfinite(low) and np.isfinite(high) and high > 1.2 * low

        def n(g: float, m: float = m) -> float:
            return float(mumu_fast.signal_yield(PHOTON, np.array([m]), g)[0])

        mid = math.sqrt(low * high)
        assert n(low) == pytest.approx(s_up, rel=1e-6)
        assert n(high) == pytest.approx(s_up, rel=1e-6)
        assert n(mid) > s_up and n(0.9 * low) < s_up and n(1.1 * high) < s_up
        root_low = math.exp(brentq(lambda t: n(math.exp(t)) - s_up, math.log(1e-9), math.log(mid)))
        root_high = math.exp(brentq(lambda t: n(math.exp(t)) - s_up, math.log(mid), 0.0))
        assert root_low == pytest.approx(low, rel=1e-6)
        assert root_high == pytest.approx(high, rel=1e-6)


def test_observed_event_weakens_the_limit_near_411(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """n = 1 counts within 10 MeV of 411 MeV, 0 elsewhere (handbook B.7); s_up(1) > s_up(0)."""
    masses = np.array([395.0, 411.0, 420.0, 428.0])
    limits = mumu_fast.signal_limits(masses, 0.9, "cls")
    s0, s1 = (
        upper_limit(0, 0.016, background_uncertainty=0.002),
        upper_limit(1, 0.016, background_uncertainty=0.002),
    )
    assert limits == pytest.approx([s0, s1, s1, s0], rel=1e-9)
    curve = mumu_fast.reach(PHOTON, masses)
    raw = mumu_fast.card.model_dump()
    raw["channels"][0]["observed_events"] = ()
    from darkreach.experiments.dump import BeamDump, BeamDumpCard

    blind = BeamDump(BeamDumpCard.model_validate(raw)).reach(PHOTON, masses)
    # the event moves the lower edge up where it counts, nowhere else
    assert curve.coupling[1] > 1.05 * blind.coupling[1]
    assert curve.coupling[2] > 1.05 * blind.coupling[2]
    assert curve.coupling[[0, 3]] == pytest.approx(blind.coupling[[0, 3]], rel=1e-9)
    n_with = mumu_fast.signal_yield(PHOTON, masses[1:2], curve.coupling[1])[0]
    n_without = mumu_fast.signal_yield(PHOTON, masses[1:2], blind.coupling[1])[0]
    assert n_with == pytest.approx(s1, rel=1e-6) and n_without == pytest.approx(s0, rel=1e-6)


def test_ed3_p_value() -> None:
    """ED-3: P(N >= 1 | 0.016) = 1.59 % (1e-3 abs), 2.41 sigma two-sided, 2.15 one-sided."""
    p = p_value(1, 0.016)
    assert p == pytest.approx(0.0159, abs=1e-3)
    assert p == pytest.approx(1 - math.exp(-0.016), rel=1e-12)
    assert z_score(p, sided="two") == pytest.approx(2.41, abs=0.01)
    assert z_score(p) == pytest.approx(2.15, abs=0.01)


def test_ed4_lower_edge_scaling_with_pot() -> None:
    """ED-4: background free and long-lived (lambda >> L2: the e+e- channel at 20-60 MeV),
    the lower edge moves as POT^(-1/4): x 0.61 from 1.4e17 to 1e18 POT (0.01 abs); the upper
    edge moves only logarithmically (< 25 %). Catches N ~ g^2 (x 0.37) or POT^(-1/2)."""
    free = {"background": {"value": 0.0, "source": "test", "status": "assumption"}}
    masses = np.array([20.0, 60.0])

    def edges(pot: float) -> tuple[np.ndarray, np.ndarray]:
        exp = dump_variant(
            "na62-dump-2021-ee",
            simulation={"samples": 1500},
            beam={"on_target": {"value": pot, "source": "test", "status": "assumption"}},
        )
        raw = exp.card.model_dump()
        raw["channels"][0].update(free)
        raw["channels"][0]["observed_events"] = ()
        from darkreach.experiments.dump import BeamDump, BeamDumpCard

        exp = BeamDump(BeamDumpCard.model_validate(raw))
        curve = exp.reach(PHOTON, masses)
        assert curve.coupling_upper is not None
        return curve.coupling, curve.coupling_upper

    low_a, high_a = edges(1.4e17)
    low_b, high_b = edges(1e18)
    assert low_b / low_a == pytest.approx(0.61, abs=0.01)
    assert np.all(high_b > high_a) and np.all(high_b / high_a < 1.25)


# ---------------------------------------------------------------- determinism and MC error
def test_seeded_and_mc_error_reported(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """Same seed: identical edges; another seed: lower edges within 4x the stated error."""
    masses = np.array([260.0, 380.0])
    a = mumu_fast.reach(PHOTON, masses)
    b = dump_variant(simulation={"samples": 1500}).reach(PHOTON, masses)
    assert np.array_equal(a.coupling, b.coupling)
    other = dump_variant(simulation={"samples": 1500, "seed": 99}).reach(PHOTON, masses)
    error = mumu_fast.mc_relative_error(PHOTON, masses) / 4.0
    assert np.all(error > 0.0) and np.all(error < 0.05)
    assert np.all(np.abs(other.coupling / a.coupling - 1.0) < 4.0 * math.sqrt(2) * error)
    assert any("statistical error" in note for note in a.notes)


# ---------------------------------------------------------------- bad input
def test_mass_below_dimuon_threshold_is_one_line(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """An explicit mass below 2 m_mu for a mu mu card: InvalidParameterError naming mass."""
    with pytest.raises(InvalidParameterError, match=r"mass = .* allowed: > 211\.3"):
        mumu_fast.signal_yield(PHOTON, np.array([150.0]), 1e-6)


def test_reach_outside_range_is_nan(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """Grid masses outside the card's range give NaN edges, not errors (shared grids); a grid
    entirely outside is an error naming the range."""
    curve = mumu_fast.reach(PHOTON, np.array([100.0, 300.0, 5000.0]))
    assert np.isnan(curve.coupling[[0, 2]]).all() and np.isfinite(curve.coupling[1])
    with pytest.raises(InvalidParameterError, match=r"mass = 100-5000 MeV .* allowed: 211\.3"):
        mumu_fast.reach(PHOTON, np.array([100.0, 5000.0]))


def test_models_without_quark_coupling_are_refused(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """A scalar has no meson-decay production here: one-line error naming the model."""
    with pytest.raises(InvalidParameterError, match="model"):
        mumu_fast.reach(get_model("scalar"), np.array([300.0]))


def test_gaps_between_edges_are_found() -> None:
    """A yield with two humps in ln g (two excluded intervals) is flagged as not one interval;
    a single hump is not. Catches a gap check that only looks at the edges."""
    from darkreach.experiments.dump import BeamDump

    limit = np.array([1.0, 1.0])

    def two_humps(g: np.ndarray) -> np.ndarray:
        x = np.log10(g)
        one = 2.0 * np.exp(-((x + 7.0) ** 2) / 0.1)
        two = 2.0 * np.exp(-((x + 5.0) ** 2) / 0.1)
        return np.array([one[0] + two[0], one[1]])

    d = math.sqrt(0.1 * math.log(2.0))  # half-width in log10 g where a hump equals the limit
    low = np.array([10 ** (-7.0 - d), 10 ** (-7.0 - d)])
    high = np.array([10 ** (-5.0 + d), 10 ** (-7.0 + d)])
    gaps = BeamDump._gaps(two_humps, limit, low, high)
    assert gaps.tolist() == [True, False]


def test_tables_come_back_from_the_disk_cache(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second card object reads the Monte Carlo tables from the disk cache (no simulation)
    and gets identical edges; a different seed is a different key (simulated again)."""
    import darkreach.experiments.dump.experiment as experiment_module

    monkeypatch.setenv("DARKREACH_CACHE", str(tmp_path))
    masses = np.array([260.0, 380.0])
    first = dump_variant(simulation={"samples": 500}).reach(PHOTON, masses)

    def no_simulation(*args: object, **kwargs: object) -> None:
        raise AssertionError("simulated although cached")

    monkeypatch.setattr(experiment_module, "simulate_mass", no_simulation)
    again = dump_variant(simulation={"samples": 500}).reach(PHOTON, masses)
    assert np.array_equal(first.coupling, again.coupling)
    with pytest.raises(AssertionError, match="simulated although cached"):
        dump_variant(simulation={"samples": 500, "seed": 7}).reach(PHOTON, masses)


def test_production_strengths_follow_the_quark_charges(mumu_fast) -> None:  # type: ignore[no-untyped-def]
    """B-L against the dark photon, per unit coupling^2 (handbook B.3): proton bremsstrahlung
    scales with eps_p^2 = (2 x_u + x_d)^2, i.e. (1/e)^2 for B-L against 1; pi0 -> gamma X gives
    2 (g/e)^2 against 2 eps^2 (ratio 1/e^2), eta -> gamma X 1/2 (g/e)^2 against 2 eps^2
    (ratio 1/(4 e^2), eta-eta' angle arcsin(-1/3)). Catches eps_p entering linearly (invisible
    for the dark photon, whose eps_p = 1) and a mechanism given the wrong model's charges."""
    from darkreach.constants import e_charge

    masses = np.array([50.0, 100.0])
    b_l = mumu_fast.production_strength(get_model("b-l"), masses)
    photon = mumu_fast.production_strength(PHOTON, masses)
    assert b_l["proton-brem"] / photon["proton-brem"] == pytest.approx(1 / e_charge**2, rel=1e-9)
    assert b_l["pi0"] / photon["pi0"] == pytest.approx(1 / e_charge**2, rel=1e-6)
    assert b_l["eta"] / photon["eta"] == pytest.approx(0.25 / e_charge**2, rel=1e-6)
