"""Argument types shared by the sub-commands: positions as people type them.

Every position option accepts what ``littoral geo where`` accepts (degrees and decimal
minutes, degrees-minutes-seconds or decimal degrees, latitude first; see
:mod:`littoral.geo.coords`). A value that cannot be read is refused by argparse with the
reader's message, which names the value.
"""

from __future__ import annotations

import argparse

from littoral.errors import InputError
from littoral.geo.coords import Position, parse_coordinate, parse_position


def latitude(text: str) -> float:
    """Argparse type: a latitude (``40 54N``, ``40.9``)."""
    try:
        return parse_coordinate(text, "lat")
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def longitude(text: str) -> float:
    """Argparse type: a longitude (``050 36E``, ``50.6``)."""
    try:
        return parse_coordinate(text, "lon")
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def position(text: str) -> Position:
    """Argparse type: a position, latitude first (``40 54N 50 36E``, ``40.9,50.6``)."""
    try:
        return parse_position(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def position_and_radius(text: str) -> tuple[Position, float]:
    """Argparse type: ``POSITION,RADIUS_M`` (``40 54N 50 36E,2000``, ``40.9,50.6,2000``)."""
    head, sep, tail = text.rpartition(",")
    try:
        radius_m = float(tail)
    except ValueError:
        radius_m = float("nan")
    if not sep or not radius_m >= 0.0:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not POSITION,RADIUS_M (e.g. '40 54N 50 36E,2000' or '40.9,50.6,2000')"
        )
    return position(head), radius_m
