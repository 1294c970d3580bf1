"""One valid record of each kind a federation message carries, for the fuzz tests to vary.

Imported by ``tests/unit/federation/test_wire_fuzz.py`` (the decoders) and
``tests/contract/test_federated_fuzz.py`` (the whole intake on both stores).
"""

from __future__ import annotations

from datetime import UTC, datetime

from littoral.records.alerts import Alert, Evidence, Priority
from littoral.records.reports import AisClass, PositionReport, StaticReport

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)

POSITION = PositionReport(273000001, T0, 49.5, 40.2, 1, "BAKU1", 10.5, 91.0, 90.0, 0,
                          AisClass.A, True)  # fmt: skip
STATIC = StaticReport(mmsi=273000001, time=T0, msg_type=5, source="BAKU1", name="KAPAZ",
                      callsign="4JAB", imo=9123456, ship_type=80, destination="BAKU",
                      eta=T0, draught_m=5.5, ais_class=AisClass.A)  # fmt: skip
ALERT = Alert(id="a1", rule="dark", priority=Priority.HIGH, mmsis=(273000001,), start=T0,
              lon=49.5, lat=40.2, reason="dark 2 h",
              evidence=[Evidence(mmsi=273000001, time=T0, lon=49.5, lat=40.2)])  # fmt: skip
