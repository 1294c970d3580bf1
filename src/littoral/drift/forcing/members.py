"""Ensemble members given as several files (one forecast member per file).

An ECMWF ENS file carries its members on a ``number`` axis
(:class:`~littoral.drift.forcing.gridded.GriddedForcing` reads it); a centre that keeps one
file per member gives them as several files. :class:`MemberFiles` makes those one reader
with ``n_members`` and :meth:`MemberFiles.member`, so
:func:`littoral.drift.ensemble.run_ensemble` treats both alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
import numpy.typing as npt

from littoral.drift.forcing.base import Bbox, ForcingReader
from littoral.drift.forcing.grid import Coverage, GridField, Reach
from littoral.errors import ForcingError, InputError


def n_members(reader: ForcingReader) -> int:
    """Return the number of ensemble members of a reader (1 if it has none)."""
    return int(getattr(reader, "n_members", 1))


def member_of(reader: ForcingReader, k: int) -> ForcingReader:
    """Return the reader restricted to member ``k`` (itself if it has one member)."""
    if n_members(reader) == 1:
        return reader
    pick = getattr(reader, "member")  # noqa: B009 - a protocol extension, checked above
    out: ForcingReader = pick(k)
    return out


class MemberFiles:
    """Several readers of the same quantity, one ensemble member each.

    Parameters
    ----------
    readers:
        One reader per member, all providing the same variables.
    """

    def __init__(self, readers: Sequence[ForcingReader]) -> None:
        if len(readers) < 2:
            raise InputError("an ensemble of files needs at least two files")
        first = readers[0].variables
        for r in readers[1:]:
            if r.variables != first:
                raise InputError(
                    f"ensemble member {r.name} has {sorted(r.variables)}, the first has "
                    f"{sorted(first)}"
                )
            if n_members(r) != 1:
                raise InputError(f"{r.name} has members of its own; give it alone")
        self.readers = tuple(readers)

    @property
    def n_members(self) -> int:
        """Number of members (files)."""
        return len(self.readers)

    def member(self, k: int) -> ForcingReader:
        """Return the reader of member ``k``."""
        if not 0 <= k < len(self.readers):
            raise InputError(f"member={k!r}: the ensemble has {len(self.readers)} files")
        return self.readers[k]

    @property
    def name(self) -> str:
        """Provenance text."""
        return f"ensemble of {len(self.readers)} files ({self.readers[0].name}, ...)"

    @property
    def variables(self) -> frozenset[str]:
        """CF names provided."""
        return self.readers[0].variables

    def coverage(self, name: str) -> Coverage:
        """Coverage of the first member."""
        return self.readers[0].coverage(name)

    def _refuse(self) -> ForcingError:
        return ForcingError(
            f"{self.name}: run it as an ensemble (the particles are spread over the members)"
        )

    def field(
        self,
        names: tuple[str, str],
        bbox: Bbox,
        t0_s: float,
        t1_s: float,
        reach: Reach | None = None,
    ) -> GridField:
        """Refused: a member must be picked first."""
        raise self._refuse()

    def sample(
        self,
        names: Sequence[str],
        time: datetime,
        lon: npt.NDArray[np.float64],
        lat: npt.NDArray[np.float64],
    ) -> dict[str, npt.NDArray[np.float64]]:
        """Refused: a member must be picked first."""
        raise self._refuse()
