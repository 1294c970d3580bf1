"""Distress alerts from outside the AIS picture: Cospas-Sarsat SIT 185 messages and DSC calls.

- :func:`read_alert`: detect the kind of a text (SIT 185 or NMEA DSC) and parse it;
- :func:`parse_sit185` (:mod:`littoral.alerts.sit185`), :func:`parse_dsc`
  (:mod:`littoral.alerts.dsc`), :func:`decode_beacon_id` (:mod:`littoral.alerts.beacon`);
- :class:`ParsedAlert` with its :class:`AlertPosition` list: the one record they return.

Malformed input raises :class:`~littoral.errors.DecodeError` naming what is wrong.
"""

from littoral.alerts.beacon import BeaconId, decode_beacon_id
from littoral.alerts.detect import read_alert
from littoral.alerts.dsc import parse_dsc
from littoral.alerts.model import AlertKind, AlertPosition, ParsedAlert, PositionSource
from littoral.alerts.sit185 import parse_sit185

__all__ = [
    "AlertKind",
    "AlertPosition",
    "BeaconId",
    "ParsedAlert",
    "PositionSource",
    "decode_beacon_id",
    "parse_dsc",
    "parse_sit185",
    "read_alert",
]
