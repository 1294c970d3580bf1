r"""Vectorised NMEA 0183 encoding of AIS position reports, with NMEA 4.10 tag blocks.

A scenario day holds hundreds of thousands of position reports; encoding them one by one with
:func:`pyais.encode_dict` costs about 80 µs each. Types 1 (class A) and 18 (class B) have a
fixed 168-bit layout (ITU-R M.1371-5, Annex 8, tables 45 and 58), so they are packed here into
four 42-bit integer words per report with numpy and armoured in one pass. Static messages
(types 5, 24, 14) do not change during a day; :func:`static_sentences` encodes them once per
station with pyais and each transmission only prepends a fresh tag block.

Every line carries a tag block ``\\s:STATION,c:UNIX_TIME*hh\\`` (NMEA 4.10, IEC 61162-1) so its
receive time and receiving station travel with it. Station codes are fixed at six characters
(``AZ-BAK``) which keeps every position line the same width and lets numpy build them as one
byte matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from littoral.errors import InputError

STATION_CODE_LEN = 6
"""Width of a receiving-station code in the tag block ``s:`` field."""

PAYLOAD_CHARS = 28
"""Armoured characters of a 168-bit payload (168 / 6)."""

_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)

# (name, width in bits) of message type 1 and of message type 18, in transmission order.
_TYPE1_FIELDS: tuple[tuple[str, int], ...] = (
    ("type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("status", 4),
    ("turn", 8),
    ("speed", 10),
    ("accuracy", 1),
    ("lon", 28),
    ("lat", 27),
    ("course", 12),
    ("heading", 9),
    ("second", 6),
    ("maneuver", 2),
    ("spare", 3),
    ("raim", 1),
    ("radio", 19),
)
_TYPE18_FIELDS: tuple[tuple[str, int], ...] = (
    ("type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("reserved", 8),
    ("speed", 10),
    ("accuracy", 1),
    ("lon", 28),
    ("lat", 27),
    ("course", 12),
    ("heading", 9),
    ("second", 6),
    ("reserved2", 2),
    ("cs", 1),
    ("display", 1),
    ("dsc", 1),
    ("band", 1),
    ("msg22", 1),
    ("assigned", 1),
    ("raim", 1),
    ("radio", 20),
)


@dataclass(frozen=True)
class PositionBatch:
    """Position reports to encode, one element per report (all arrays of equal length).

    Attributes
    ----------
    msg_type:
        1 (class A) or 18 (class B) per report.
    mmsi:
        Station identity.
    time_s:
        Receive time, seconds since 1970-01-01 UTC (the tag block ``c:`` is its floor).
    lon, lat:
        Reported position, degrees.
    sog_kn:
        Speed over ground, knots (``nan``: not available).
    cog_deg:
        Course over ground, degrees (``nan``: not available).
    heading_deg:
        True heading, degrees (``nan``: not available).
    nav_status:
        Navigational status (type 1 only; ignored for type 18).
    station:
        Index into the station-code table given to :func:`encode_positions`.
    """

    msg_type: npt.NDArray[np.int64]
    mmsi: npt.NDArray[np.int64]
    time_s: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    sog_kn: npt.NDArray[np.float64]
    cog_deg: npt.NDArray[np.float64]
    heading_deg: npt.NDArray[np.float64]
    nav_status: npt.NDArray[np.int64]
    station: npt.NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.mmsi.shape[0])


def nmea_checksum(body: str) -> str:
    r"""Return the two-hex-digit XOR checksum of ``body`` (the text between the delimiters)."""
    value = 0
    for byte in body.encode("ascii"):
        value ^= byte
    return f"{value:02X}"


def tag_block(station: str, time_s: int, group: str = "") -> str:
    r"""Return an NMEA 4.10 tag block ``\\[g:...,]s:station,c:time*hh\\``.

    Parameters
    ----------
    station:
        Receiving station code (``s:`` field).
    time_s:
        Receive time, whole seconds since 1970-01-01 UTC (``c:`` field).
    group:
        Optional sentence-group field ``n-m-id`` for multi-sentence messages (``g:``).
    """
    body = f"s:{station},c:{time_s}"
    if group:
        body = f"g:{group},{body}"
    return f"\\{body}*{nmea_checksum(body)}\\"


def _field_values(batch: PositionBatch, msg_type: int) -> dict[str, npt.NDArray[np.int64]]:
    n = len(batch)
    zeros = np.zeros(n, dtype=np.int64)
    speed = np.where(np.isnan(batch.sog_kn), 1023, np.clip(np.round(batch.sog_kn * 10), 0, 1022))
    course = np.where(
        np.isnan(batch.cog_deg), 3600, np.round(np.mod(batch.cog_deg, 360.0) * 10) % 3600
    )
    heading = np.where(
        np.isnan(batch.heading_deg), 511, np.round(np.mod(batch.heading_deg, 360.0)) % 360
    )
    values: dict[str, npt.NDArray[np.int64]] = {
        "type": np.full(n, msg_type, dtype=np.int64),
        "repeat": zeros,
        "mmsi": batch.mmsi.astype(np.int64),
        "speed": speed.astype(np.int64),
        "accuracy": zeros,
        "lon": np.round(batch.lon * 600_000.0).astype(np.int64),
        "lat": np.round(batch.lat * 600_000.0).astype(np.int64),
        "course": course.astype(np.int64),
        "heading": heading.astype(np.int64),
        "second": (np.floor(batch.time_s).astype(np.int64) % 60),
    }
    if msg_type == 1:
        values["status"] = batch.nav_status.astype(np.int64)
        values["turn"] = np.full(n, -128, dtype=np.int64)  # rate of turn not available
    else:
        values["cs"] = np.ones(n, dtype=np.int64)  # class B "CS" (carrier sense) unit
    return values


def _payload_chars(
    values: dict[str, npt.NDArray[np.int64]], msg_type: int
) -> npt.NDArray[np.uint8]:
    # 168 bits as four 42-bit words (7 armoured characters each), built field by field
    fields = _TYPE1_FIELDS if msg_type == 1 else _TYPE18_FIELDS
    n = next(iter(values.values())).shape[0]
    words = np.zeros((4, n), dtype=np.int64)
    pos = 0
    for name, width in fields:
        if name in values:
            v = values[name] & ((1 << width) - 1)  # two's complement for signed fields
            end = pos + width
            for k in range(pos // 42, (end - 1) // 42 + 1):
                lo, hi = max(pos, 42 * k), min(end, 42 * k + 42)
                part = (v >> (end - hi)) & ((1 << (hi - lo)) - 1)
                words[k] |= part << (42 * k + 42 - hi)
        pos += width
    sixbit = np.empty((n, PAYLOAD_CHARS), dtype=np.uint8)
    for k in range(4):
        for c in range(7):
            sixbit[:, 7 * k + c] = (words[k] >> (36 - 6 * c)) & 63
    armour: npt.NDArray[np.uint8] = sixbit + 48
    armour[armour > 87] += 8
    return armour


def _xor_columns(mat: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    out: npt.NDArray[np.uint8] = np.bitwise_xor.reduce(mat, axis=1)
    return out


def _put_hex(mat: npt.NDArray[np.uint8], col: int, value: npt.NDArray[np.uint8]) -> None:
    mat[:, col] = _HEX[value >> 4]
    mat[:, col + 1] = _HEX[value & 0x0F]


def encode_positions(batch: PositionBatch, stations: tuple[str, ...]) -> list[str]:
    """Encode position reports as tag-blocked ``!AIVDM`` lines, in the batch's order.

    Parameters
    ----------
    batch:
        The reports; ``msg_type`` must be 1 or 18 throughout.
    stations:
        Station codes of exactly :data:`STATION_CODE_LEN` ASCII characters; ``batch.station``
        indexes this tuple.

    Returns
    -------
    list of str
        One line per report, without line terminator.

    Raises
    ------
    InputError
        If a message type other than 1 or 18 is present, or a station code has the wrong width.
    """
    for code in stations:
        if len(code) != STATION_CODE_LEN or not code.isascii():
            raise InputError(f"station code {code!r} must be {STATION_CODE_LEN} ASCII characters")
    bad = ~np.isin(batch.msg_type, (1, 18))
    if bad.any():
        raise InputError(
            f"msg_type={int(batch.msg_type[bad][0])!r}: only 1 and 18 are encoded here"
        )
    n = len(batch)
    out: list[str] = [""] * n
    station_bytes = np.frombuffer("".join(stations).encode("ascii"), dtype=np.uint8).reshape(
        len(stations), STATION_CODE_LEN
    )
    for msg_type in (1, 18):
        idx = np.flatnonzero(batch.msg_type == msg_type)
        if idx.size == 0:
            continue
        sub = PositionBatch(*(getattr(batch, f)[idx] for f in PositionBatch.__dataclass_fields__))
        lines = _encode_same_type(sub, msg_type, station_bytes)
        for i, line in zip(idx.tolist(), lines, strict=True):
            out[i] = line
    return out


def _encode_same_type(
    batch: PositionBatch, msg_type: int, station_bytes: npt.NDArray[np.uint8]
) -> list[str]:
    n = len(batch)
    seconds = np.floor(batch.time_s).astype(np.int64)
    if seconds.min() < 1_000_000_000 or seconds.max() > 9_999_999_999:
        raise InputError("time_s must lie between 2001 and 2286 (ten-digit Unix seconds)")
    # \s:<station>,c:<10 digits>*hh\!AIVDM,1,1,,A,<28 chars>,0*hh
    tag_body_len = 2 + STATION_CODE_LEN + 3 + 10
    head = b"!AIVDM,1,1,,"
    sentence_len = len(head) + 2 + PAYLOAD_CHARS + 5
    width = 1 + tag_body_len + 4 + sentence_len
    mat = np.empty((n, width), dtype=np.uint8)
    mat[:, 0] = ord("\\")
    c = 1
    mat[:, c : c + 2] = np.frombuffer(b"s:", dtype=np.uint8)
    mat[:, c + 2 : c + 2 + STATION_CODE_LEN] = station_bytes[batch.station]
    c += 2 + STATION_CODE_LEN
    mat[:, c : c + 3] = np.frombuffer(b",c:", dtype=np.uint8)
    c += 3
    digits = (seconds[:, None] // (10 ** np.arange(9, -1, -1, dtype=np.int64))) % 10
    mat[:, c : c + 10] = digits.astype(np.uint8) + ord("0")
    c += 10
    mat[:, c] = ord("*")
    _put_hex(mat, c + 1, _xor_columns(mat[:, 1:c]))
    mat[:, c + 3] = ord("\\")
    s0 = c + 4
    mat[:, s0 : s0 + len(head)] = np.frombuffer(head, dtype=np.uint8)
    c = s0 + len(head)
    # alternate the two AIS VHF channels as real transponders do
    mat[:, c] = np.where(np.arange(n) % 2 == 0, ord("A"), ord("B"))
    mat[:, c + 1] = ord(",")
    c += 2
    mat[:, c : c + PAYLOAD_CHARS] = _payload_chars(_field_values(batch, msg_type), msg_type)
    c += PAYLOAD_CHARS
    mat[:, c : c + 3] = np.frombuffer(b",0*", dtype=np.uint8)
    _put_hex(mat, c + 3, _xor_columns(mat[:, s0 + 1 : c + 2]))
    text = mat.tobytes().decode("ascii")
    return [text[i : i + width] for i in range(0, n * width, width)]


def static_sentences(data: dict[str, str | int | float], seq_id: int) -> list[str]:
    """Encode one static/safety message (types 5, 14, 24) with pyais, without tag blocks.

    Parameters
    ----------
    data:
        Fields as :func:`pyais.encode_dict` takes them, including ``type``.
    seq_id:
        Sequential message identifier 0-9 for multi-sentence messages.

    Returns
    -------
    list of str
        The ``!AIVDM`` sentences of the message.
    """
    from pyais import encode_dict

    fields: dict[str, str | int | float | bytes | bool] = dict(data)
    sentences: list[str] = encode_dict(
        fields, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq_id
    )
    return sentences


def with_tag_blocks(sentences: list[str], station: str, time_s: int, group_id: int) -> str:
    """Return ``sentences`` each prefixed by a tag block, joined by newlines.

    A multi-sentence message gets the NMEA 4.10 group field ``g:n-m-id`` on every sentence.
    """
    if len(sentences) == 1:
        return tag_block(station, time_s) + sentences[0]
    total = len(sentences)
    return "\n".join(
        tag_block(station, time_s, f"{k}-{total}-{group_id}") + s
        for k, s in enumerate(sentences, start=1)
    )
