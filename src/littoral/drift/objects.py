"""The Leeway object classes: how a drifting object moves in the wind.

Leeway is the motion of an object relative to the surface water caused by the wind (and the
waves it makes). For each object class the US Coast Guard fitted a linear regression of the
downwind and crosswind components of leeway against the 10 m wind speed ``W``::

    L = slope * W + offset      (slope in %, W in m/s, L and offset in cm/s)

with a residual standard deviation ``std`` (cm/s). Crosswind has two branches, for objects
drifting to the right and to the left of the downwind direction (see ``docs/conventions.md``,
"Leeway crosswind sign").

Sources (the numbers of the shipped table, used with this citation):

- Allen, A. A. and J. V. Plourde, 1999: Review of Leeway: Field Experiments and
  Implementation. US Coast Guard R&D Center, CG-D-08-99.
- Allen, A. A., 2005: Leeway Divergence. US Coast Guard R&D Center, CG-D-05-05.
- The SAROPS object list of 2010 as compiled by Breivik (2011); the ensemble use follows
  Breivik, Ø. and A. A. Allen, 2008: An operational search and rescue model for the Norwegian
  Sea and the North Sea. J. Marine Systems 69, 99-113.
"""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from littoral.errors import NotFoundError


@dataclass(frozen=True, slots=True)
class LeewayObject:
    """One Leeway object class and its regression coefficients.

    Attributes
    ----------
    number:
        Row number in the published table (1-85).
    key:
        Class identifier, e.g. ``"PIW-1"``.
    description:
        Plain-language description as published.
    level:
        Sub-class level (0 is a general class; higher levels are more specific).
    downwind_slope_pct, downwind_offset_cm_s, downwind_std_cm_s:
        Downwind regression: slope (% of wind speed), offset and residual std (cm/s).
    right_slope_pct, right_offset_cm_s, right_std_cm_s:
        Crosswind regression for objects drifting right of downwind.
    left_slope_pct, left_offset_cm_s, left_std_cm_s:
        Crosswind regression for objects drifting left of downwind.
    """

    number: int
    key: str
    description: str
    level: int
    downwind_slope_pct: float
    downwind_offset_cm_s: float
    downwind_std_cm_s: float
    right_slope_pct: float
    right_offset_cm_s: float
    right_std_cm_s: float
    left_slope_pct: float
    left_offset_cm_s: float
    left_std_cm_s: float

    def label(self) -> str:
        """Return ``"KEY: description"`` for lists and reports."""
        return f"{self.key}: {self.description}"


@cache
def leeway_objects() -> tuple[LeewayObject, ...]:
    """Return all Leeway object classes of the shipped table, in published order."""
    text = (
        resources.files("littoral.drift")
        .joinpath("data/leeway_objects.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    out: list[LeewayObject] = []
    for row in rows:
        out.append(
            LeewayObject(
                number=int(row["id"]),
                key=row["key"].strip(),
                description=row["description"].strip(),
                level=int(row["subclass_level"]),
                downwind_slope_pct=float(row["downwind_slope_pct"]),
                downwind_offset_cm_s=float(row["downwind_offset_cm_s"]),
                downwind_std_cm_s=float(row["downwind_std_cm_s"]),
                right_slope_pct=float(row["right_slope_pct"]),
                right_offset_cm_s=float(row["right_offset_cm_s"]),
                right_std_cm_s=float(row["right_std_cm_s"]),
                left_slope_pct=float(row["left_slope_pct"]),
                left_offset_cm_s=float(row["left_offset_cm_s"]),
                left_std_cm_s=float(row["left_std_cm_s"]),
            )
        )
    return tuple(out)


def get_object(key: str) -> LeewayObject:
    """Return the object class with identifier ``key`` (case-insensitive, e.g. ``"piw-1"``).

    Raises
    ------
    NotFoundError
        If no class has that identifier; the message suggests close matches.
    """
    wanted = key.strip().upper()
    for obj in leeway_objects():
        if obj.key.upper() == wanted:
            return obj
    hints = [o.key for o in search_objects(key)][:5] or difflib.get_close_matches(
        wanted, [o.key for o in leeway_objects()], n=5, cutoff=0.6
    )
    hint = f"; did you mean {', '.join(hints)}?" if hints else "; see `littoral drift objects`"
    raise NotFoundError(f"Leeway object class {key!r} does not exist{hint}")


def search_objects(text: str) -> list[LeewayObject]:
    """Return the classes whose identifier or description contains ``text``.

    The match is case-insensitive; an exact identifier match comes first. An empty string
    returns every class.

    Examples
    --------
    >>> [o.key for o in search_objects("sailboat mono-hull (dismasted")]
    ['SAILBOAT-2', 'SAILBOAT-3', 'SAILBOAT-4']
    """
    needle = text.strip().lower()
    exact = [o for o in leeway_objects() if o.key.lower() == needle]
    rest = [
        o
        for o in leeway_objects()
        if o not in exact and (needle in o.key.lower() or needle in o.description.lower())
    ]
    return exact + rest
