"""``darkreach meson-inv``: BR(M -> invisible) limits of charge-exchange cards (NA64h).

Example::

    darkreach meson-inv na64h-2022 na64h-projection-1e11 --json
    darkreach meson-inv na64h-2022 --meson eta --plot eta.png
"""

from __future__ import annotations

from pathlib import Path

import click

from darkreach.cli._common import check_output_paths, emit_json, write_outputs
from darkreach.errors import InvalidParameterError
from darkreach.text import plain_text
from darkreach.validate import check_cl

__all__ = ["meson_inv"]


@click.command("meson-inv")
@click.argument("cards", nargs=-1, required=True, metavar="CARD...")
@click.option(
    "--meson",
    default=None,
    help="Only this meson (a name of the card: eta, eta', ...). Default: all of each card.",
)
@click.option("--cl", type=float, default=None, help="Confidence level (default: the card's).")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write a plot of the limits (.png, .pdf or .svg).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def meson_inv(
    cards: tuple[str, ...], meson: str | None, cl: float | None, plot: Path | None, as_json: bool
) -> None:
    """Upper limits (data) or expected sensitivity (projections) on BR(M -> invisible).

    CARD is a charge-exchange-invisible card (na64h-2022, na64h-projection-1e11) or a .toml
    path: N_sig = N_piOT f_M BR eps, the limit S_up / (N_piOT f_M eps).
    """
    from darkreach.experiments.meson_invisible import ChargeExchangeInvisible
    from darkreach.experiments.registry import get_experiment

    if cl is not None:
        check_cl(cl, "--cl")
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InvalidParameterError("--plot", str(plot), "a file ending in .png, .pdf or .svg")
    card_files = [Path(c) for c in cards if Path(c).is_file()]
    if plot is not None:
        check_output_paths([("--plot", plot)], inputs=card_files)
    rows = []
    for card in cards:
        exp = get_experiment(card)
        if not isinstance(exp, ChargeExchangeInvisible):
            raise InvalidParameterError(
                "CARD", card, "a charge-exchange-invisible card (na64h-2022, ...)"
            )
        names = exp.meson_names if meson is None else (meson,)
        try:
            limits = {n: exp.branching_ratio_limit(n, cl=cl) for n in names}
        except InvalidParameterError as exc:
            if exc.field == "meson":
                raise InvalidParameterError("--meson", exc.value, exc.allowed) from None
            raise
        rows.append((exp, limits))
    if plot is not None:
        from darkreach.plotting_kaon import plot_meson_invisible_limits

        fig = plot_meson_invisible_limits(
            [(e.title, e.card.curve_kind, lim) for e, lim in rows],
            title="charge exchange, invisible neutral mesons",
        )
        fmt = plot.suffix.lstrip(".").lower()
        write_outputs(
            [(plot, lambda path: fig.savefig(path, dpi=150, format=fmt), "--plot")],
            inputs=card_files,
        )
    if as_json:
        emit_json(
            {
                "observable": "BR(M -> invisible) upper limit",
                "cards": [
                    {
                        "card": e.name,
                        "title": plain_text(e.title),
                        "kind": e.card.curve_kind,
                        "cl": e.card.statistics.cl if cl is None else cl,
                        "particles_on_target": e.particles_on_target,
                        "signal_limit": e.signal_limit(cl),
                        "limits": lim,
                    }
                    for e, lim in rows
                ],
            }
        )
        return
    for e, lim in rows:
        level = e.card.statistics.cl if cl is None else cl
        for name, value in lim.items():
            click.echo(
                f"BR({name} -> invisible) < {value:.3g}   [{e.name}, {e.card.curve_kind}, "
                f"{100 * level:g}% CL]"
            )
    if plot is not None:
        click.echo(f"wrote plot: {plot}")
