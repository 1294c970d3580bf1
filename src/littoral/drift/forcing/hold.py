"""Holding a reader's first and last fields beyond its time span (``--hold-last``).

A forecast ends; a search may go on. Without this a run past the forcing's end is refused
before it starts (naming the variable, place and time). With :class:`HoldLast` the reader
counts as covering all time: before its first time it gives its first field, after its last
time its last field, unchanged. The choice shows in the field's provenance text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.base import Bbox, ForcingReader, sample_reader
from littoral.drift.forcing.grid import Coverage, GridField, Reach, iso


class HoldLast:
    """A reader whose first and last fields hold before and after its time span.

    Parameters
    ----------
    reader:
        The reader to extend.
    """

    def __init__(self, reader: ForcingReader) -> None:
        self.reader = reader

    @property
    def name(self) -> str:
        """Provenance text."""
        return f"{self.reader.name}, held past its end"

    @property
    def n_members(self) -> int:
        """Ensemble members of the reader."""
        from littoral.drift.forcing.members import n_members

        return n_members(self.reader)

    def member(self, k: int) -> HoldLast:
        """Member ``k`` of the reader, held past its end."""
        from littoral.drift.forcing.members import member_of

        return HoldLast(member_of(self.reader, k))

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return self.reader.variables

    def coverage(self, name: str) -> Coverage:
        """Return the reader's area, at all times."""
        c = self.reader.coverage(name)
        return Coverage(lon_min=c.lon_min, lon_max=c.lon_max, lat_min=c.lat_min,
                        lat_max=c.lat_max)  # fmt: skip

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Return the reader's field, its end fields repeated out to the run's span."""
        lo, hi = min(t0_s, t1_s), max(t0_s, t1_s)
        cov = self.reader.coverage(names[0])
        first = cov.t_min_s if cov.t_min_s is not None else lo
        last = cov.t_max_s if cov.t_max_s is not None else hi
        inner_lo, inner_hi = min(max(lo, first), last), max(min(hi, last), first)
        fld = self.reader.field(names, bbox, inner_lo, inner_hi, reach)
        times, data = fld.times_s, fld.data
        notes = []
        if lo < times[0]:
            times = np.concatenate([[lo], times])
            data = np.concatenate([data[:1], data])
            notes.append(f"first field ({iso(float(fld.times_s[0]))}) held from {iso(lo)}")
        if hi > times[-1]:
            times = np.concatenate([times, [hi]])
            data = np.concatenate([data, data[-1:]])
            notes.append(f"last field ({iso(float(fld.times_s[-1]))}) held to {iso(hi)}")
        if times.size == 1:
            times = np.array([times[0], times[0] + 1.0])
            data = np.concatenate([data, data])
        source = fld.source + (f"; {'; '.join(notes)}" if notes else "")
        return GridField(names=names, times_s=times.astype(np.float64), lon=fld.lon,
                         lat=fld.lat, data=np.ascontiguousarray(data), source=source,
                         filled_cells=fld.filled_cells, gap_cells=fld.gap_cells)  # fmt: skip

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Values at points (held beyond the span)."""
        return sample_reader(self, names, time, lon, lat)
