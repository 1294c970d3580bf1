"""What the user chose for the forcing, turned into readers and recorded provenance.

One place for the command line, the API and the services layer: a :class:`ForcingChoice`
says where the wind and the current come from (files, directories, globs or URLs, opened
by content; on-scene values; or, for the current, an explicit ``wind`` or ``none``), how gaps
are treated and whether the last field holds past the forcing's end. :func:`build_readers`
returns the readers in priority order and the attributes that go into the result, so the
printed summary and the output file say what was chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from littoral.drift.forcing.base import ForcingReader
from littoral.drift.forcing.constant import ConstantForcing
from littoral.drift.forcing.gaps import check_fill
from littoral.drift.forcing.hold import HoldLast
from littoral.drift.forcing.names import CURRENT_U, CURRENT_V, WIND
from littoral.drift.forcing.windcurrent import IAMSAR_RULE, WindDrivenCurrent
from littoral.errors import InputError

CURRENT_SOURCES = ("wind", "none")
"""Explicit current choices when there is no current product."""


@dataclass(frozen=True, kw_only=True)
class ForcingChoice:
    """The user's forcing choices.

    Attributes
    ----------
    wind_files:
        Wind files (or directories, globs, URLs); several are ensemble members.
    current_files:
        Current files (littoral's own ``currents run`` output is one); several are members.
    wind:
        On-scene wind, (**from** degrees, knots).
    current:
        On-scene current, (**toward** degrees, knots).
    current_from:
        Without a current: ``"wind"`` (IAMSAR wind-driven current) or ``"none"``.
    fill:
        Gap fill (``None`` refuses gaps), see :mod:`littoral.drift.forcing.gaps`.
    hold_last:
        Hold the last field past the forcing's end.
    """

    wind_files: Sequence[str] = field(default_factory=tuple)
    current_files: Sequence[str] = field(default_factory=tuple)
    wind: tuple[float, float] | None = None
    current: tuple[float, float] | None = None
    current_from: str | None = None
    fill: str | None = None
    hold_last: bool = False


@dataclass(frozen=True, kw_only=True)
class BuiltForcing:
    """Readers in priority order, the ensemble members, and the provenance to record."""

    readers: list[ForcingReader]
    attrs: dict[str, str]

    def summary(self, gaps_filled: str | None = None) -> str:
        """Return one line for the printed summary (with the gap count once a run is done)."""
        a = self.attrs
        gaps = a["forcing_fill"]
        if gaps_filled is not None and not gaps.startswith("none"):
            gaps += f" ({gaps_filled} gap values filled)"
        return (
            f"current: {a['current_choice']}; gaps: {gaps}; past the end: {a['forcing_hold_last']}"
        )


def _open(spec: str, kind: str, fill: str | None, hold: bool) -> ForcingReader:
    from littoral.drift.forcing.detect import open_forcing

    reader = open_forcing(spec, kind, fill=fill)
    if hold and not isinstance(reader, ConstantForcing):
        return HoldLast(reader)
    return reader


def _members(readers: list[ForcingReader]) -> ForcingReader:
    if len(readers) == 1:
        return readers[0]
    from littoral.drift.forcing.members import MemberFiles

    return MemberFiles(readers)


def build_readers(choice: ForcingChoice) -> BuiltForcing:
    """Open the chosen forcing.

    Raises
    ------
    InputError
        When the wind is missing, the current is missing without an explicit choice, or a
        choice is unknown; or a file cannot be read.
    """
    fill = check_fill(choice.fill)
    if not choice.wind_files and choice.wind is None:
        raise InputError("give the wind: --wind FROM_DEG/SPEED_KN or --wind-file F")
    has_current = bool(choice.current_files) or choice.current is not None
    if choice.current_from is not None and choice.current_from not in CURRENT_SOURCES:
        raise InputError(
            f"current_from={choice.current_from!r} must be one of {', '.join(CURRENT_SOURCES)}"
        )
    if has_current and choice.current_from is not None:
        raise InputError("give a current or --current-from, not both")
    if not has_current and choice.current_from is None:
        raise InputError(
            "no current given: choose --current TO_DEG/SPEED_KN, --current-file F (a model's "
            "output, littoral's own `currents run` included), --current-from wind (IAMSAR "
            "wind-driven current) or --current-from none (no current)"
        )
    hold = choice.hold_last
    readers: list[ForcingReader] = []
    wind_readers = [_open(p, "wind", fill, hold) for p in choice.wind_files]
    if wind_readers:
        readers.append(_members(wind_readers))
    cur_readers = [_open(p, "current", fill, hold) for p in choice.current_files]
    if cur_readers:
        readers.append(_members(cur_readers))
    if choice.wind is not None or choice.current is not None:
        readers.append(ConstantForcing.from_observation(wind=choice.wind, current=choice.current))
    if choice.current_from == "wind":
        wind_src = [r for r in readers if all(n in r.variables for n in WIND)]
        readers.append(WindDrivenCurrent(wind_src[0]))
        current_choice = f"wind-driven ({IAMSAR_RULE.source})"
    elif choice.current_from == "none":
        readers.append(ConstantForcing({CURRENT_U: 0.0, CURRENT_V: 0.0}, name="no current"))
        current_choice = "none (the user chose no current)"
    elif cur_readers:
        current_choice = "file: " + ", ".join(choice.current_files)
    else:
        current_choice = "on-scene value"
    attrs = {
        "current_choice": current_choice,
        "forcing_fill": fill or "none (a gap refuses the run)",
        "forcing_hold_last": "hold the last field" if hold else "refuse",
    }
    return BuiltForcing(readers=readers, attrs=attrs)
