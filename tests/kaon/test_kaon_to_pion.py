"""K+ -> pi+ X (dark scalar, ALP, generic) against bounds_and_new_channels.md 2.2, 2.3, 2.6,
the dark-scalar widths against models.md 3.1-3.2, and ``darkreach kaon br`` for K -> pi X."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.constants import G_F, alpha_em, m_K_charged, m_mu, m_pi_charged
from darkreach.errors import InvalidParameterError, KinematicallyForbiddenError
from darkreach.models import DarkScalar, MuonPhilicScalar, get_model
from darkreach.models.dark_scalar import WIDTH_COMPLETE_BELOW, photon_amplitude_sum
from darkreach.production import kaon_to_pion as kp
from darkreach.production.kaon import GAMMA_K
from darkreach.units import GeV

M_K = m_K_charged


# --------------------------------------------------------------------------- dark scalar rate


def test_constants_of_section_2_2() -> None:
    # handbook 2.2 [RUN]: C_sd = 1.240e-9, M_KP = 1.2185 GeV (printed to 4 and 5 digits)
    assert kp.c_sd() == pytest.approx(1.240e-9, rel=5e-4)
    assert kp.m_kp() == pytest.approx(1.2185 * GeV, rel=1e-4)
    assert kp.mass_max() == pytest.approx(M_K - m_pi_charged)


def test_scalar_br_is_prefactor_times_two_p_over_mk() -> None:
    # BR = 1.731e-3 theta^2 (2 p_S / m_K) at every mass (tolerance 5e-4: printed digits)
    masses = np.array([1e-3, 50.0, 100.0, 200.0, 300.0, 350.0])
    ratio = kp.br_k_to_pi_scalar(masses, 1.0) / (2.0 * kp.momentum(masses) / M_K)
    assert ratio == pytest.approx(np.full(masses.shape, 1.731e-3), rel=5e-4)


@pytest.mark.parametrize(
    ("mass", "expected", "rel"),
    [(1e-3, 1.59e-3, 3e-3), (100.0, 1.51e-3, 3e-3), (200.0, 1.25e-3, 3e-3), (300.0, 7.5e-4, 7e-3)],
)
def test_scalar_br_values_section_2_2(mass: float, expected: float, rel: float) -> None:
    # handbook 2.2: 1.59e-3, 1.51e-3, 1.25e-3, 7.5e-4 theta^2 at 0, 0.1, 0.2, 0.3 GeV, printed to
    # 3 / 2 digits: tolerance = half a unit of the last printed digit
    assert float(kp.br_k_to_pi_scalar(mass, 1.0)) == pytest.approx(expected, rel=rel)


def test_scalar_br_linear_in_sin2_theta_and_vectorised() -> None:
    masses = np.array([[10.0], [100.0]])
    s2 = np.array([1e-8, 1e-6, 1.0])
    br = kp.br_k_to_pi_scalar(masses, s2)
    assert br.shape == (2, 3)
    assert br[:, 1] == pytest.approx(1e-6 * br[:, 2], rel=1e-12)
    assert float(kp.br_k_to_pi_scalar(100.0, 0.0)) == 0.0


def test_scalar_options_f0_and_charm_sign() -> None:
    base = float(kp.br_k_to_pi_scalar(100.0))
    assert float(kp.br_k_to_pi_scalar(100.0, f0=1.0)) == pytest.approx(base / 0.96**2)
    flipped = float(kp.br_k_to_pi_scalar(100.0, charm_sign=-1.0)) / base
    assert 0.8 < flipped < 0.9  # -7 % in the amplitude
    with pytest.raises(InvalidParameterError, match="charm_sign"):
        kp.c_sd(0.5)


def test_end_point_and_window() -> None:
    top = kp.mass_max()
    # BR ~ sqrt(m_max - m) near the end point and -> 0 there
    near = kp.br_k_to_pi_scalar(np.array([top - 1e-2, top - 1e-4]), 1.0)
    assert near[1] < 2e-5 and near[0] / near[1] == pytest.approx(10.0, rel=1e-3)
    for bad in (top, 400.0):
        with pytest.raises(KinematicallyForbiddenError, match=r"354\.11"):
            kp.br_k_to_pi_scalar(bad, 1.0)
    with pytest.raises(InvalidParameterError, match="mass"):
        kp.br_k_to_pi_scalar(0.0, 1.0)
    with pytest.raises(InvalidParameterError, match="sin\\^2 theta <= 1"):
        kp.br_k_to_pi_scalar(100.0, 1.5)


def test_published_limit_round_trip_section_2_6() -> None:
    # ALPINIST lower edge theta^2 = 3.59e-8 (m = 0), 9.58e-9 (0.2 GeV) -> BR 5.7e-11, 1.2e-11
    assert float(kp.br_k_to_pi_scalar(1e-3, 3.59e-8)) == pytest.approx(5.7e-11, rel=1e-2)
    assert float(kp.br_k_to_pi_scalar(200.0, 9.58e-9)) == pytest.approx(1.2e-11, rel=5e-2)


# --------------------------------------------------------------------------- ALP and generic


def test_alp_massless_gluon_limit_by_hand() -> None:
    # c_GG only, m_a -> 0: A = 4 N_8 (c_GG/Lambda) (m_K^2 - m_pi^2) m_K^2 / (4 m_K^2 - m_pi^2)
    # and lambda^{1/2} = m_K^2 - m_pi^2
    c = 1e-3 / GeV
    d = M_K**2 - m_pi_charged**2
    amp = 4.0 * 1.53e-7 * c * d * M_K**2 / (4.0 * M_K**2 - m_pi_charged**2)
    gamma = amp**2 * d / (16.0 * math.pi * M_K**3)
    assert float(kp.br_k_to_pi_alp(1e-4, c)) == pytest.approx(gamma / GAMMA_K, rel=1e-6)


def test_alp_c_sd_only_and_scale() -> None:
    # c_sd only: A = -(m_K^2 - m_pi^2) c_sd / (2 Lambda), independent of m_a
    d = M_K**2 - m_pi_charged**2
    amp = kp.amplitude_k_to_pi_alp(np.array([10.0, 200.0]), 0.0, c_sd=1e-10, scale=1e3 * GeV)
    assert amp == pytest.approx(np.full(2, -d * 1e-10 / (2e3 * GeV)), rel=1e-12)
    # only c / Lambda enters
    a1 = kp.br_k_to_pi_alp(100.0, 2.0, c_uu=0.3, c_ss=-0.2, scale=2e6)
    a2 = kp.br_k_to_pi_alp(100.0, 1.0, c_uu=0.15, c_ss=-0.1, scale=1e6)
    assert a1 == pytest.approx(a2, rel=1e-12)


def test_generic_interface() -> None:
    assert float(kp.br_k_to_pi_x(100.0, width=3.0 * GAMMA_K * 1e-9)) == pytest.approx(3e-9)
    amp2 = (kp.c_sd() * kp.m_kp()) ** 2 * 1e-6
    assert float(kp.br_k_to_pi_x(150.0, amplitude_sq=amp2)) == pytest.approx(
        float(kp.br_k_to_pi_scalar(150.0, 1e-6)), rel=1e-12
    )
    with pytest.raises(InvalidParameterError, match="exactly one"):
        kp.br_k_to_pi_x(100.0)
    with pytest.raises(InvalidParameterError, match="width"):
        kp.br_k_to_pi_x(100.0, width=-1.0)


# --------------------------------------------------------------------------- dark-scalar model


def test_dark_scalar_lepton_widths_vs_models_md_3_1() -> None:
    # models.md 3.1 with g_S = sin(theta) m_mu / v, v = (sqrt 2 G_F)^{-1/2}
    model = get_model("dark-scalar")
    assert isinstance(model, DarkScalar) and model.coupling_symbol == r"\sin^2\theta"
    m, s2 = np.array([250.0, 300.0]), 1e-6
    g_s = math.sqrt(s2) * m_mu * math.sqrt(math.sqrt(2.0) * G_F)
    muonic = MuonPhilicScalar().partial_widths(m, g_s)["mu mu"]
    assert model.partial_widths(m, s2)["mu mu"] == pytest.approx(muonic, rel=1e-3)
    assert float(model.partial_widths(200.0, s2)["mu mu"]) == 0.0


def test_dark_scalar_photon_width() -> None:
    # light S: every loop function -> 4/3, sum = 3(4/3) + (4/3)(4/3 + 1/3 + 4/3) - 7 = 1
    assert photon_amplitude_sum(np.array([1e-4])) == pytest.approx(1.0, rel=1e-6)
    model = DarkScalar()
    m = 0.5
    expected = alpha_em**2 * 1e-6 * m**3 / (256.0 * math.pi**3 * kp.V_HIGGS**2)
    assert float(model.partial_widths(m, 1e-6)["gamma gamma"]) == pytest.approx(expected, rel=1e-4)
    # below 2 m_e only gamma gamma; the widths are incomplete above 2 m_pi (no pi pi channel)
    assert model.branching_ratios(0.9, 1e-6)["gamma gamma"] == pytest.approx(1.0)
    assert pytest.approx(2.0 * m_pi_charged) == WIDTH_COMPLETE_BELOW
    with pytest.raises(InvalidParameterError, match="sin\\^2 theta"):
        model.partial_widths(100.0, 2.0)


# --------------------------------------------------------------------------- CLI


def test_cli_dark_scalar_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["kaon", "br", "--model", "dark-scalar", "--mass", "100MeV", "--coupling", "1e-6", "--json"]
    )
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert payload["branching_ratio"] == pytest.approx(1.51e-9, rel=3e-3)
    assert payload["process"] == "K+ -> pi+ X" and payload["coupling_symbol"] == "sin^2 theta"


def test_cli_alp_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kaon", "br", "--model", "alp-gluon", "--mass", "0.1GeV", "--coupling", "1e-3"])
    out = capsys.readouterr().out
    assert code == 0 and out.startswith("BR(K+ -> pi+ X)")
    expected = float(kp.br_k_to_pi_alp(100.0, 1e-3 / GeV))
    assert f"{expected:.4g}" in out
    assert main(["--cite"]) == 0
    cited = capsys.readouterr().out
    assert "2110.10698" in cited and "0912.0390" in cited


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--model", "dark-scalar", "--coupling", "1.5"], ["--coupling", "0 <= sin^2 theta <= 1"]),
        (["--model", "dark-scalar", "--coupling", "-1e-6"], ["--coupling", "sin^2 theta"]),
        (["--model", "dark-scalar", "--coupling", "nan"], ["--coupling", "nan"]),
        (["--model", "alp-gluon", "--coupling", "-1"], ["--coupling", "c_GG/Lambda"]),
        (["--model", "dark-scalar", "--coupling", "1e-6", "--mass", "360MeV"], ["354.11"]),
        (
            ["--model", "dark-scalar", "--coupling", "1e-6", "--m2miss-min", "0.01GeV2"],
            ["--m2miss-min"],
        ),
    ],
)
def test_cli_bad_input_one_line_exit_2(
    args: list[str], needles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    full = ["kaon", "br", *args]
    if "--mass" not in args:
        full += ["--mass", "100MeV"]
    code = main(full)
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    for needle in needles:
        assert needle in captured.err
