"""Several forcing readers combined by priority, with fallbacks.

For each vector quantity (wind, current, Stokes drift) the first reader in priority order that
provides it and covers every seed position over the whole run is used; a reader that lacks the
variable, the area or the time is passed over for the next one. When none fits, the error
names the variable and the place and time the best candidate lacks, before anything runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.clock import require_utc
from littoral.drift.forcing.base import (
    Bbox,
    ForcingReader,
    check_covers,
    pair_of,
)
from littoral.drift.forcing.grid import Coverage, GridField, Reach, epoch_s
from littoral.errors import ForcingError, InputError


class ForcingSet:
    """Readers in priority order (first is preferred).

    Parameters
    ----------
    readers:
        The readers, highest priority first.
    """

    def __init__(self, readers: Sequence[ForcingReader]) -> None:
        if not readers:
            raise InputError("a forcing set needs at least one reader")
        self.readers: tuple[ForcingReader, ...] = tuple(readers)

    @property
    def name(self) -> str:
        """Provenance text: the readers in priority order."""
        return " > ".join(r.name for r in self.readers)

    @property
    def variables(self) -> frozenset[str]:
        """CF names any reader provides."""
        out: set[str] = set()
        for r in self.readers:
            out |= r.variables
        return frozenset(out)

    def resolve(
        self,
        pair: tuple[str, str],
        t0_s: float,
        t1_s: float,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> ForcingReader:
        """Return the first reader that provides ``pair`` at all the points over the time span.

        Raises
        ------
        ForcingError
            Naming the variable, the place and the time no reader covers.
        """
        first_error: ForcingError | None = None
        for reader in self.readers:
            if not all(n in reader.variables for n in pair):
                continue
            try:
                for n in pair:
                    check_covers(reader, n, t0_s, t1_s, lon, lat)
            except ForcingError as exc:
                first_error = first_error or exc
                continue
            return reader
        if first_error is not None:
            raise first_error
        raise ForcingError(f"no forcing reader provides {pair[0]} (readers: {self.name})")

    def coverage(self, name: str) -> Coverage:
        """Coverage of the first reader providing ``name``."""
        for r in self.readers:
            if name in r.variables:
                return r.coverage(name)
        raise ForcingError(f"no forcing reader provides {name}")

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return the field of the first reader covering the box's corners and the time span."""
        lon = np.array([bbox[0], bbox[2]])
        lat = np.array([bbox[1], bbox[3]])
        return self.resolve(names, t0_s, t1_s, lon, lat).field(names, bbox, t0_s, t1_s, reach)

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values from the first reader that covers all the points at ``time``."""
        t_s = epoch_s(require_utc(time, "time"))
        lon = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        out: dict[str, npt.NDArray[np.float64]] = {}
        for name in names:
            pair = pair_of(name)
            reader = self.resolve(pair, t_s, t_s, lon, lat)
            out.update(reader.sample(pair, time, lon, lat))
        return {n: out[n] for n in names}
