"""The one record every alert parser returns: :class:`ParsedAlert` and its positions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AlertKind(StrEnum):
    """What kind of message an alert came from."""

    SIT185 = "sit185"
    DSC = "dsc"


class PositionSource(StrEnum):
    """Where a position of an alert comes from.

    ``encoded`` is the beacon's own GNSS position, ``doppler_a``/``doppler_b`` the two Doppler
    solutions of a LEOSAR pass, ``doa`` a MEOSAR difference-of-arrival solution, ``confirmed``
    the position a mission control centre has confirmed (resolved), ``dsc`` a DSC call's
    position.
    """

    ENCODED = "encoded"
    DOPPLER_A = "doppler_a"
    DOPPLER_B = "doppler_b"
    DOA = "doa"
    CONFIRMED = "confirmed"
    DSC = "dsc"


@dataclass(frozen=True, kw_only=True, slots=True)
class AlertPosition:
    """One candidate position of an alert, in decimal degrees (WGS 84)."""

    lat: float
    lon: float
    source: PositionSource
    probability: float | None = None
    """Probability (0-1) that this is the true position, for Doppler solutions."""
    accuracy_nm: float | None = None
    """Expected accuracy (radius, NM) where the message gives one."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ParsedAlert:
    """A distress alert read from a SIT 185 message or a DSC call.

    Attributes
    ----------
    kind
        ``sit185`` or ``dsc``.
    time
        Detection time (SIT 185) or the time in the call, else the time it was received (UTC).
    beacon_id
        The 15-hex beacon ID (SIT 185), else None.
    mmsi
        The MMSI of the station in distress where the message names one.
    country
        The country of the beacon's or station's MID, as the ITU table names it.
    positions
        Candidate positions, best first as the message orders them.
    stage
        SIT 185: ``initial``, ``conflict``, ``confirmed``, ``update`` or ``notification``;
        DSC: ``distress``, ``distress_ack``, ``distress_relay``, ``urgency``, ``safety`` or
        ``routine``.
    message_number
        The SIT 185 message number, else None.
    protocol
        The decoded beacon protocol (SIT 185) or the DSC format, in words.
    nature
        Nature of distress (DSC), in words, else None.
    distress
        Whether the alert is a distress (every SIT 185 alert is; DSC by format or category).
    details
        Further facts of the message, as text (communication mode, beacon serial, remarks).
    """

    kind: AlertKind
    time: datetime
    beacon_id: str | None = None
    mmsi: int | None = None
    country: str | None = None
    positions: tuple[AlertPosition, ...] = ()
    stage: str
    message_number: int | None = None
    protocol: str | None = None
    nature: str | None = None
    distress: bool = True
    details: dict[str, str] = field(default_factory=dict)

    def best_position(self) -> AlertPosition | None:
        """Return the most likely position: confirmed, encoded, DSC, DOA, then likeliest Doppler."""
        order = {
            PositionSource.CONFIRMED: 0,
            PositionSource.ENCODED: 1,
            PositionSource.DSC: 1,
            PositionSource.DOA: 2,
        }
        if not self.positions:
            return None
        return min(
            self.positions,
            key=lambda p: (order.get(p.source, 3), -(p.probability or 0.0)),
        )

    def to_json(self) -> dict[str, object]:
        """Return the alert as JSON-ready values (times as ISO 8601)."""
        return {
            "kind": self.kind.value,
            "time": self.time.isoformat(),
            "beacon_id": self.beacon_id,
            "mmsi": self.mmsi,
            "country": self.country,
            "positions": [
                {
                    "lat": p.lat,
                    "lon": p.lon,
                    "source": p.source.value,
                    "probability": p.probability,
                    "accuracy_nm": p.accuracy_nm,
                }
                for p in self.positions
            ],
            "stage": self.stage,
            "message_number": self.message_number,
            "protocol": self.protocol,
            "nature": self.nature,
            "distress": self.distress,
            "details": dict(self.details),
        }
