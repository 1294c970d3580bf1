"""The shipped Caspian polygon: GSHHG full resolution, read from the package data.

The file ``data/caspian.npz`` is written by ``scripts/build_caspian_polygon.py`` from GSHHG
2.3.6 (Wessel, P. and Smith, W. H. F., 1996: A global, self-consistent, hierarchical,
high-resolution shoreline database, J. Geophys. Res. 101(B4), 8741-8743; LGPL-3.0-or-later;
see ``data/NOTICE.md``). It holds rings of float32 (lon, lat) vertices: the sea exterior, the
islands of the sea, Kara-Bogaz-Gol (cut from the sea at its strait) and its island, plus the
cut segment itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import numpy as np
import numpy.typing as npt

from littoral.geo.water import (
    RING_KBG_EXTERIOR,
    RING_KBG_ISLAND,
    RING_SEA_EXTERIOR,
    RING_SEA_ISLAND,
)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Rings:
    """The rings of the shipped polygon as float64 arrays.

    Attributes
    ----------
    coords : ndarray, shape (n, 2)
        All vertices, (lon, lat) degrees, ring after ring; rings are not closed (the last
        vertex differs from the first).
    offsets : ndarray, shape (r + 1,)
        Ring ``k`` is ``coords[offsets[k]:offsets[k + 1]]``.
    kinds : ndarray, shape (r,)
        Ring kind codes (``littoral.geo.water.RING_*``).
    gshhg_ids : ndarray, shape (r,)
        GSHHG polygon id of each ring.
    strait_cut : ndarray, shape (2, 2)
        The two vertices joined by the cut between the sea and Kara-Bogaz-Gol.
    meta : dict
        Source and licence notes written by the build script.
    """

    coords: FloatArray
    offsets: npt.NDArray[np.int64]
    kinds: npt.NDArray[np.int8]
    gshhg_ids: npt.NDArray[np.int32]
    strait_cut: FloatArray
    meta: dict[str, object]

    def ring(self, k: int) -> FloatArray:
        """Vertices of ring ``k``."""
        return self.coords[self.offsets[k] : self.offsets[k + 1]]

    def rings_of(self, kind: int) -> list[FloatArray]:
        """All rings of one kind."""
        return [self.ring(k) for k in range(len(self.kinds)) if self.kinds[k] == kind]

    @property
    def sea_exterior(self) -> FloatArray:
        """The outer ring of the sea (closed by the strait cut)."""
        return self.rings_of(RING_SEA_EXTERIOR)[0]

    @property
    def sea_islands(self) -> list[FloatArray]:
        """Rings of the islands of the sea."""
        return self.rings_of(RING_SEA_ISLAND)

    @property
    def kbg_exterior(self) -> FloatArray:
        """The outer ring of Kara-Bogaz-Gol (closed by the strait cut)."""
        return self.rings_of(RING_KBG_EXTERIOR)[0]

    @property
    def kbg_islands(self) -> list[FloatArray]:
        """Rings of the islands of Kara-Bogaz-Gol."""
        return self.rings_of(RING_KBG_ISLAND)


def load_rings() -> Rings:
    """Read the shipped polygon file."""
    ref = resources.files("littoral.geo") / "data" / "caspian.npz"
    with resources.as_file(ref) as path, np.load(path) as npz:
        return Rings(
            coords=np.asarray(npz["coords"], dtype=np.float64),
            offsets=np.asarray(npz["ring_offsets"], dtype=np.int64),
            kinds=np.asarray(npz["ring_kind"], dtype=np.int8),
            gshhg_ids=np.asarray(npz["ring_gshhg_id"], dtype=np.int32),
            strait_cut=np.asarray(npz["strait_cut"], dtype=np.float64),
            meta=json.loads(str(npz["meta"])),
        )
