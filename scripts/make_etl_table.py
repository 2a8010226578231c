"""Generate darkreach/data/etl/etl_ww_ratio_<spin>.npz: the ETL/WW d sigma/dx correction table.

Usage: PYTHONPATH=src python scripts/make_etl_table.py [vector|scalar]  (~15 min per spin)

See darkreach.production.muon_brem_etl_table for the grid and the interpolation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from darkreach.production.muon_brem_etl_table import TABLE_SPINS, generate_table


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "src" / "darkreach" / "data" / "etl"
    out.mkdir(parents=True, exist_ok=True)
    spins = tuple(sys.argv[1:]) or TABLE_SPINS
    for spin in spins:
        table = generate_table((spin,), progress=True)
        path = out / f"etl_ww_ratio_{spin}.npz"
        np.savez_compressed(path, **table)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
