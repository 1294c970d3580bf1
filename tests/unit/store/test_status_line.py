import io

from littoral.cli.ais_picture import StatusLine, parse_mmsi
from littoral.services.ingest import IngestProgress


def test_status_line_rewrites_one_line_and_ends_it() -> None:
    out = io.StringIO()
    status = StatusLine(out, interval_s=0.0)
    status(IngestProgress(lines=10, messages=2000, vessels=12, rejects=3, positions_stored=1500,
                          alerts=0, elapsed_s=2.0))  # fmt: skip
    status(IngestProgress(lines=20, messages=4000, vessels=15, rejects=4, positions_stored=3000,
                          alerts=0, elapsed_s=2.0))  # fmt: skip
    status.end()
    text = out.getvalue()
    assert text.startswith("\r2,000 msg  1,000 msg/s  12 vessels  3 rejects")
    assert "\r4,000 msg  2,000 msg/s  15 vessels  4 rejects  3,000 stored" in text
    assert text.endswith("\n")
    assert text.count("\n") == 1


def test_mmsi_parsing() -> None:
    assert parse_mmsi("273456789") == 273456789
