"""AIS input: NMEA sentences, tag blocks, multi-sentence assembly, decoding, sources, stats.

The public API (stable; see ``docs/ais.md``, section "API for ingest")::

    from littoral.ais import Decoder, RawLine, open_sources

    decoder = Decoder()
    with open_sources(["day1.nmea.gz", "tcp://10.0.0.5:4001"], clock=clock) as lines:
        for batch in decoder.iter_batches(lines):
            batch.positions, batch.statics, batch.safety, batch.others, batch.rejects
    decoder.stats  # IngestStats

Nothing here imports pyais at import time; it is loaded on the first message that needs it.
"""

from littoral.ais.decoder import Decoder
from littoral.ais.fastpath import LENGTH_BOUNDS
from littoral.ais.records import DecodeBatch, DecodedMessage, RawLine, Reason, Rejected
from littoral.ais.stats import IngestStats, Outcome

__all__ = [
    "LENGTH_BOUNDS",
    "DecodeBatch",
    "DecodedMessage",
    "Decoder",
    "IngestStats",
    "Outcome",
    "RawLine",
    "Reason",
    "Rejected",
]
