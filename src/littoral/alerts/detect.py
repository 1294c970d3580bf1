"""Tell a SIT 185 message from NMEA DSC sentences by content, and parse it."""

from __future__ import annotations

from datetime import datetime

from littoral.alerts.dsc import parse_dsc
from littoral.alerts.model import ParsedAlert
from littoral.alerts.sit185 import parse_sit185
from littoral.errors import DecodeError

MAX_CHARS = 20_000


def read_alert(text: str, received: datetime) -> ParsedAlert:
    """Parse ``text`` as a DSC call (``$--DSC`` lines) or a SIT 185 message.

    ``received`` (UTC) is when it arrived: a DSC call takes its date from it.

    Raises
    ------
    DecodeError
        When the text is neither, or is malformed as the kind it looks like.
    """
    if len(text) > MAX_CHARS:
        raise DecodeError(f"alert text of {len(text)} characters is over {MAX_CHARS}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(line.startswith("$") and line[3:7] == "DSC," for line in lines):
        return parse_dsc([line for line in lines if line.startswith("$")], received)
    if "COSPAS-SARSAT" in text.upper() or "HEX ID" in text.upper():
        return parse_sit185(text)
    head = lines[0][:40] if lines else ""
    raise DecodeError(f"neither a SIT 185 message nor $--DSC sentences (starts {head!r})")
