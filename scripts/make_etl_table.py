"""Generate darkreach/data/etl/etl_ww_ratio.npz: the ETL/WW d sigma/dx correction table.

Usage: PYTHONPATH=src python scripts/make_etl_table.py  (about 10-20 min of one core)

See darkreach.production.muon_brem_etl_table for the grid and the interpolation.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from darkreach.production.muon_brem_etl_table import generate_table


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "src" / "darkreach" / "data" / "etl"
    out.mkdir(parents=True, exist_ok=True)
    table = generate_table(progress=True)
    np.savez_compressed(out / "etl_ww_ratio.npz", **table)
    print(f"wrote {out / 'etl_ww_ratio.npz'}")


if __name__ == "__main__":
    main()
