"""Calibrate the NA62 dump cards' selection efficiency to the published contours.

Developer script (not part of the package). The published 2021 NA62 contours are read from
FORESEE's digitisations (MIT licence; KlingFelix/FORESEE, Models/DarkPhoton/model/lines/
bounds_NA62mumu.txt and bounds_NA62ee.txt: closed outlines, m [GeV], eps). They are NOT
shipped: give the FORESEE checkout on the command line. For each card the lower edge of the
contour is taken at node masses (darkreach.curves.polygon_edges), and the efficiency table
that puts the card's lower edge through those points is fitted in closed form
(darkreach.calibrate; eps_new = eps_old s_up / S_old). The upper edge is then a prediction,
and the script prints how well it agrees.

    python scripts/calibrate_na62_dump.py /path/to/FORESEE/Models/DarkPhoton/model/lines

prints the tables to paste into the cards (efficiency.table of the single channel) and the
agreement of both edges before and after.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from darkreach.calibrate import Curve, calibrate_efficiency
from darkreach.curves import polygon_edges
from darkreach.experiments.registry import get_experiment
from darkreach.models.registry import get_model

#: node masses [MeV] per card: inside the published contour, away from its closing tips
NODES = {
    "na62-dump-2021-mumu": [220, 250, 300, 350, 400, 450, 500, 530],
    "na62-dump-2021-ee": [8, 12, 20, 30, 50, 80, 120, 180, 250, 320, 400, 460],
}
FILES = {"na62-dump-2021-mumu": "bounds_NA62mumu.txt", "na62-dump-2021-ee": "bounds_NA62ee.txt"}


def main(lines_dir: Path) -> None:
    photon = get_model("dark-photon")
    for card, nodes in NODES.items():
        data = np.loadtxt(lines_dir / FILES[card])
        masses = np.array(nodes, dtype=float)
        low, high = polygon_edges(data[:, 0] * 1000.0, data[:, 1], masses)
        experiment = get_experiment(card)
        before = experiment.reach(photon, masses)
        assert before.coupling_upper is not None
        print(f"\n{card}: published (FORESEE {FILES[card]}) vs the card as it is")
        rows = zip(masses, low, before.coupling, high, before.coupling_upper, strict=True)
        for m, a, b, c, d in rows:
            print(
                f"  {m:6.0f} MeV  low {a:.3e} card {b:.3e} ({b / a:5.2f})"
                f"  high {c:.3e} card {d:.3e} ({d / c:5.2f})"
            )
        curve = Curve(masses, low, FILES[card], "dark-photon")
        result = calibrate_efficiency(experiment, photon, curve, name=card)
        print(f"  efficiency table: masses {list(masses)}")
        print(f"  values {list(result.efficiency)}")
        print(f"  lower edge after: max |dev| {np.max(np.abs(result.deviation)):.2e}")
        from darkreach.experiments.dump import BeamDump, BeamDumpCard

        new = BeamDump(BeamDumpCard.model_validate(result.card_data))
        after = new.reach(photon, masses)
        assert after.coupling_upper is not None
        ratio = after.coupling_upper / high
        print(f"  upper edge after / published: {np.round(ratio, 3)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
