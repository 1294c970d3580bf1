"""Texts carried by binary messages (types 6 and 8): where a distress call can travel too.

The international application identifiers of IMO SN.1/Circ.289 (DAC 1) include free text:
FI 29 "text description" broadcast (type 8) and FI 30 addressed (type 6), each a 10-bit
linkage identifier then 6-bit ASCII; and the older FI 0 "text telegram" of IMO SN/Circ.236
(type 6): an acknowledge flag, an 11-bit sequence number, then 6-bit ASCII (ITU-R M.1371-5,
Annex 8, table 47 for the character set). These texts become safety reports like types 12
and 14, so they are stored and the watch's distress keywords apply to them.

Examples
--------
>>> binary_text(8, {"dac": 1, "fid": 29, "description": "MAYDAY FIRE ON BOARD"})
'MAYDAY FIRE ON BOARD'
>>> binary_text(6, {"dac": 1, "fid": 0, "data": "001341644059"})
'MAYDAY'
>>> binary_text(8, {"dac": 1, "fid": 31, "data": "00"}) is None
True
"""

from __future__ import annotations

TEXT_PREFIX_BITS = {0: 12, 29: 10, 30: 10}
"""Bits before the text in the application data, by function identifier (DAC 1)."""


def binary_text(msg_type: int, fields: dict[str, object]) -> str | None:
    """Return the text of a DAC 1 text application message, or ``None`` for any other."""
    if msg_type not in (6, 8) or fields.get("dac") != 1:
        return None
    fid = fields.get("fid")
    if not isinstance(fid, int) or fid not in TEXT_PREFIX_BITS:
        return None
    described = fields.get("description")
    if isinstance(described, str) and described.strip():
        return _clean(described)
    data = fields.get("data")
    if not isinstance(data, str) or not data:
        return None
    try:
        value = int(data, 16)
    except ValueError:
        return None
    bits = 4 * len(data) - TEXT_PREFIX_BITS[fid]
    chars = bits // 6
    if chars <= 0:
        return None
    value &= (1 << bits) - 1
    value >>= bits - 6 * chars  # byte padding at the end
    out = []
    for k in range(chars - 1, -1, -1):
        code = (value >> (6 * k)) & 0x3F
        out.append(chr(code + 64 if code < 32 else code))
    return _clean("".join(out))


def _clean(text: str) -> str | None:
    text = text.split("@")[0].strip()
    return text or None
