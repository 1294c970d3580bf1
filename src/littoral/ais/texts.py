"""Hand-written decoders of the safety texts a feed carries most: types 14 and 6 (DAC 1, FI 0).

A safety-related broadcast (type 14) and an addressed text telegram (type 6, DAC 1, FI 0 of
IMO SN/Circ.236) become :class:`~littoral.records.reports.SafetyReport` records. Through
pyais's tables (:func:`littoral.ais.generic.decode_fields`) each costs a full message object,
and the first one the import of pyais itself; here each is a few shifts of the payload.

Only the plain layouts are taken: a type 14 whose text is whole characters, a type 6 whose
data is whole bytes, both within the longest text the type holds. Anything else gives
``None`` and goes through pyais's tables as before; ``tests/unit/ais`` checks both give the
same records.
"""

from __future__ import annotations

from datetime import datetime

from littoral.ais.binary_text import binary_text
from littoral.ais.sixbit import text
from littoral.records.reports import SafetyReport

_HEADER_14_BITS = 40  # type, repeat, MMSI, spare
_TEXT_14_MAX_BITS = 960  # 160 characters (the field holds 968 bits)
_DATA_6_AT = 88  # type, repeat, MMSI, sequence, destination, retransmit, spare, DAC, FI
_DATA_6_MAX_BITS = 920
_MMSI_MASK = (1 << 30) - 1


def safety_records(
    msg_type: int, value: int, bits: int, time: datetime, source: str
) -> tuple[SafetyReport, ...] | None:
    """Return the records of a type 14 or a type 6 text telegram; ``None`` to use pyais.

    ``value`` holds the message's ``bits`` bits (fill bits removed).
    """
    if msg_type == 14:
        return _type_14(value, bits, time, source)
    if msg_type == 6:
        return _type_6(value, bits, time, source)
    return None


def _type_14(value: int, bits: int, time: datetime, source: str) -> tuple[SafetyReport, ...] | None:
    text_bits = bits - _HEADER_14_BITS
    if text_bits <= 0 or text_bits > _TEXT_14_MAX_BITS or text_bits % 6:
        return None
    mmsi = (value >> (bits - 38)) & _MMSI_MASK
    message = text(value & ((1 << text_bits) - 1), text_bits // 6)
    return (SafetyReport(mmsi, time, 14, message, source, dest_mmsi=None),)


def _type_6(value: int, bits: int, time: datetime, source: str) -> tuple[SafetyReport, ...] | None:
    data_bits = bits - _DATA_6_AT
    if data_bits <= 0 or data_bits > _DATA_6_MAX_BITS or data_bits % 8:
        return None
    application = (value >> data_bits) & 0xFFFF
    if application != (1 << 6):  # DAC 1, FI 0
        return None
    data = f"{value & ((1 << data_bits) - 1):0{data_bits // 4}x}"
    message = binary_text(6, {"dac": 1, "fid": 0, "data": data})
    if message is None:
        return ()
    mmsi = (value >> (bits - 38)) & _MMSI_MASK
    dest_mmsi = (value >> (bits - 70)) & _MMSI_MASK
    return (SafetyReport(mmsi, time, 6, message, source, dest_mmsi=dest_mmsi),)
