"""charge-exchange-invisible (NA64h): the yield formula against a hand calculation, the round
trip to the published 2.9e9 pi- limits, exposure scaling of the projection, CLI and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from darkreach.cli import main
from darkreach.errors import BadCardError, InvalidParameterError
from darkreach.experiments.meson_invisible import ChargeExchangeInvisible
from darkreach.experiments.registry import card_path, get_experiment
from darkreach.models.registry import get_model
from darkreach.production import charge_exchange

#: arXiv:2406.01990 abstract: 2.9e9 pi- on target, no event, 90 % CL limits
PUBLISHED = {"eta": 1.1e-4, "eta'": 2.1e-4}
POT = 2.9e9


@pytest.fixture(scope="module")
def data() -> ChargeExchangeInvisible:
    exp = get_experiment("na64h-2022")
    assert isinstance(exp, ChargeExchangeInvisible)
    return exp


@pytest.fixture(scope="module")
def projection() -> ChargeExchangeInvisible:
    exp = get_experiment("na64h-projection-1e11")
    assert isinstance(exp, ChargeExchangeInvisible)
    return exp


def test_yield_by_hand() -> None:
    """N_sig = N_piOT f_M BR eps: 1e10 x 5e-6 x 1e-3 x 0.5 = 25 events (hand value); catches
    a dropped efficiency or a squared BR."""
    assert float(charge_exchange.signal_events(1e10, 5e-6, 1e-3, 0.5)) == pytest.approx(25.0)
    assert float(charge_exchange.branching_ratio_limit(2.303, 1e10, 5e-6, 0.5)) == pytest.approx(
        2.303 / 25.0 * 1e-3
    )


def test_card_yield_matches_formula(data: ChargeExchangeInvisible) -> None:
    """The card's yield at BR = 1e-4 equals N_piOT f eps BR from its own numbers."""
    sec = data.meson("eta")
    expected = POT * sec.fraction.number() * sec.efficiency.number() * 1e-4
    assert float(data.meson_signal("eta", 1e-4)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("meson", ["eta", "eta'"])
def test_round_trip_published_limits(data: ChargeExchangeInvisible, meson: str) -> None:
    """The calibrated f_M eps give back the published limits (1 %, the rounding of f_M eps)."""
    assert data.branching_ratio_limit(meson) == pytest.approx(PUBLISHED[meson], rel=0.01)


def test_signal_limit_zero_events(data: ChargeExchangeInvisible) -> None:
    """n = 0, b = 0 at 90 % CL: S_up = ln 10 = 2.303 (the published limits' convention)."""
    assert data.signal_limit() == pytest.approx(np.log(10.0), rel=1e-9)


@pytest.mark.parametrize("meson", ["eta", "eta'"])
def test_projection_scales_with_exposure(
    data: ChargeExchangeInvisible, projection: ChargeExchangeInvisible, meson: str
) -> None:
    """Background free, the limit scales as 1 / N_piOT: 1e11 pions gain 1e11 / 2.9e9 = 34.5."""
    ratio = data.branching_ratio_limit(meson) / projection.branching_ratio_limit(meson)
    assert ratio == pytest.approx(1e11 / POT, rel=1e-9)


def test_higher_cl_weaker(data: ChargeExchangeInvisible) -> None:
    """A 95 % CL limit is weaker (S_up = ln 20 = 3.0)."""
    assert data.branching_ratio_limit("eta", cl=0.95) / data.branching_ratio_limit(
        "eta"
    ) == pytest.approx(np.log(20.0) / np.log(10.0), rel=1e-6)


def test_unknown_meson_and_model(data: ChargeExchangeInvisible) -> None:
    with pytest.raises(InvalidParameterError, match=r"meson = K0 .*eta, eta'"):
        data.branching_ratio_limit("K0")
    with pytest.raises(InvalidParameterError, match="model"):
        data.reach(get_model("b-l-dm"), [10.0])


def test_bad_inputs_of_formula() -> None:
    with pytest.raises(InvalidParameterError, match="branching_ratio"):
        charge_exchange.signal_events(1e9, 1e-5, 1.5)
    with pytest.raises(InvalidParameterError, match="pions_on_target"):
        charge_exchange.signal_events(-1.0, 1e-5, 1e-3)


def test_bad_card(tmp_path: Path) -> None:
    """A meson name the charge-exchange type does not know is a one-line card error."""
    text = card_path("na64h-2022").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('name = "eta\'"', 'name = "rho0"'))
    with pytest.raises(BadCardError, match="rho0"):
        get_experiment(bad)


class _EtaModel:
    """A toy MesonInvisibleModel: BR(eta -> inv) = min(coupling, 1), nothing else."""

    name = "toy-eta"
    label = "toy"
    coupling_symbol = "g"

    def meson_invisible_branching_ratio(
        self, meson: str, mass: object, coupling: object
    ) -> np.ndarray:
        c = np.minimum(np.asarray(coupling, dtype=float), 1.0) * np.ones_like(
            np.asarray(mass, dtype=float)
        )
        return c if meson == "eta" else np.zeros_like(c)


def test_model_protocol_reach(data: ChargeExchangeInvisible) -> None:
    """A model giving BR(eta -> inv) = g is excluded above g = the eta limit (solver check)."""
    curve = data.reach(_EtaModel(), [10.0, 20.0])  # type: ignore[arg-type]
    assert curve.coupling == pytest.approx([1.1e-4, 1.1e-4], rel=0.02)


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["meson-inv", "na64h-2022", "na64h-projection-1e11", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    first, second = payload["cards"]
    assert first["limits"]["eta"] == pytest.approx(1.1e-4, rel=0.01)
    assert second["kind"] == "expected"


def test_cli_plot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "na64h.png"
    code = main(["meson-inv", "na64h-2022", "na64h-projection-1e11", "--plot", str(target)])
    capsys.readouterr()
    assert code == 0
    assert target.stat().st_size > 1000


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["na64h-2022", "--meson", "K0"], "--meson"),
        (["na62-2015"], "CARD"),
        (["na64h-2022", "--cl", "1.5"], "--cl"),
    ],
)
def test_cli_bad_input(
    args: list[str], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.png"
    code = main(["meson-inv", *args, "--plot", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert field in err and len(err.strip().splitlines()) == 1
    assert not target.exists()
