"""`watch run` over stored history raises the same alerts as `ais ingest --watch` did live.

A property test: the same NMEA day (ships, a man-overboard beacon, a "MAYDAY" text, a test
text) is delivered in random interleavings (messages delayed within the watch's lateness)
and ingested in random pieces, each with or without the watch, as after crashes and
restarts. Replaying the store then gives exactly the alerts of one uninterrupted live run.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from littoral.cli.main import main
from littoral.exercise.nmea import static_sentences, with_tag_blocks

T0_S = int(datetime(2026, 5, 1, 6, 0, tzinfo=UTC).timestamp())
MOB = 972_000_104
SHIPS = {273_000_101: (50.6, 42.0), 423_000_102: (51.0, 41.6), 436_000_103: (51.4, 42.4)}


def _position(mmsi: int, t_s: int, lon: float, lat: float, status: int, k: int) -> str:
    fields: dict[str, str | int | float] = {
        "type": 1, "mmsi": mmsi, "status": status, "speed": 8.0, "lon": lon, "lat": lat,
        "course": 90.0, "heading": 90, "second": t_s % 60,
    }  # fmt: skip
    return with_tag_blocks(static_sentences(fields, 0), "AZ-BAK", t_s, k)


def _text(mmsi: int, t_s: int, text: str, k: int, dest: int | None = None) -> str:
    fields: dict[str, str | int | float] = {"type": 14, "mmsi": mmsi, "text": text}
    if dest is not None:
        fields = {"type": 12, "mmsi": mmsi, "dest_mmsi": dest, "seqno": 0, "text": text}
    return with_tag_blocks(static_sentences(fields, k % 10), "KZ-AKT", t_s, k)


def day() -> list[tuple[int, str]]:
    """(receive time, line) of 90 minutes: three ships, a MOB beacon and four texts."""
    out: list[tuple[int, str]] = []
    k = 0
    for minute in range(90):
        t = T0_S + 60 * minute
        for mmsi, (lon, lat) in SHIPS.items():
            k += 1
            out.append((t + 7, _position(mmsi, t + 7, lon + 0.0022 * minute, lat, 0, k)))
        if 30 <= minute < 40:
            k += 1
            out.append((t + 20, _position(MOB, t + 20, 51.2, 42.1, 14, k)))
    for t, mmsi, text, dest in (
        (T0_S + 31 * 60 + 5, MOB, "MOB ACTIVE", None),
        (T0_S + 60 * 60 + 40, 273_000_101, "MAYDAY FIRE ON BOARD", None),
        (T0_S + 70 * 60 + 40, 423_000_102, "SART TEST", 423_000_999),
        (T0_S + 80 * 60 + 40, 436_000_103, "DISTRESS TAKING WATER", 273_000_101),
    ):
        k += 1
        out.append((t, _text(mmsi, t, text, k, dest)))
    return out


DAY = day()


def _ingest(db: Path, lines: list[str], watch: bool, name: str) -> None:
    path = db.parent / f"{name}.nmea"
    path.write_text("\n".join(lines) + "\n")
    args = ["ais", "ingest", str(path), "--db", str(db), "--create", "--quiet"]
    assert main([*args, "--watch"] if watch else args) == 0


def _alerts(out: str) -> dict[str, dict[str, object]]:
    """The final state of every alert printed (a live run prints each change)."""
    final: dict[str, dict[str, object]] = {}
    for line in out.splitlines():
        alert = json.loads(line)
        final[alert["id"]] = alert
    return final


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seed=st.integers(0, 2**32 - 1),
    share=st.floats(0.0, 0.6),
    cuts=st.lists(st.integers(1, len(DAY) - 1), max_size=4, unique=True),
    watched=st.lists(st.booleans(), min_size=5, max_size=5),
)
def test_replay_of_stored_history_equals_the_live_watch(
    capsys: pytest.CaptureFixture[str],
    seed: int,
    share: float,
    cuts: list[int],
    watched: list[bool],
) -> None:
    rng = np.random.default_rng(seed)
    times = np.array([t for t, _ in DAY], dtype=float)
    delayed = rng.random(len(DAY)) < share
    times[delayed] += rng.uniform(0.0, 230.0, int(delayed.sum()))  # within the lateness
    lines = [DAY[i][1] for i in np.argsort(times, kind="stable")]
    with tempfile.TemporaryDirectory() as tmp:
        live_db, pieces_db = Path(tmp) / "live.sqlite", Path(tmp) / "pieces.sqlite"
        capsys.readouterr()
        _ingest(live_db, lines, True, "all")
        live = _alerts(capsys.readouterr().out)
        bounds = [0, *sorted(cuts), len(lines)]
        for n, (a, b) in enumerate(itertools.pairwise(bounds)):
            _ingest(pieces_db, lines[a:b], watched[n], f"piece{n}")
        capsys.readouterr()
        assert main(["watch", "run", "--db", str(pieces_db), "--no-store"]) == 0
        replay = _alerts(capsys.readouterr().out)
    assert {a["rule"] for a in live.values()} == {"distress"}
    assert sorted(a["details"]["cause"] for a in live.values()) == ["beacon", "text", "text"]
    assert replay == live


def _static(mmsi: int, t_s: int, name: str, callsign: str, k: int) -> str:
    fields: dict[str, str | int | float] = {
        "type": 5, "mmsi": mmsi, "shipname": name, "callsign": callsign, "imo": 9123456,
        "shiptype": 80, "destination": "AKTAU",
    }  # fmt: skip
    return with_tag_blocks(static_sentences(fields, k % 10), "AZ-BAK", t_s, k)


def test_identity_changes_replay_as_they_were_raised_live(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ship = 273_000_101
    lines = [line for _, line in DAY if "MOB" not in line]
    names = ["VOLGA STAR"] * 5 + ["CASPIAN PEARL"] * 3 + ["VOLGA STAR"] * 2
    statics = [
        (T0_S + 600 * k + 30, _static(ship, T0_S + 600 * k + 30, name, "UBCD7", 1000 + k))
        for k, name in enumerate(names)
    ]
    merged = sorted([*zip([t for t, _ in DAY], [line for _, line in DAY], strict=True),
                     *statics])  # fmt: skip
    lines = [line for _, line in merged]
    live_db, pieces_db = tmp_path / "live.sqlite", tmp_path / "pieces.sqlite"
    capsys.readouterr()
    _ingest(live_db, lines, True, "all")
    live = _alerts(capsys.readouterr().out)
    _ingest(pieces_db, lines[:300], False, "one")  # without the watch, then a restart
    _ingest(pieces_db, lines[300:], False, "two")
    capsys.readouterr()
    assert main(["watch", "run", "--db", str(pieces_db), "--no-store"]) == 0
    replay = _alerts(capsys.readouterr().out)
    identity = [a for a in live.values() if a["rule"] == "identity"]
    assert len(identity) == 1
    assert identity[0]["details"]["alternating"] is True
    assert identity[0]["priority"] == "HIGH"
    assert replay == live


def test_a_binary_mayday_received_without_the_watch_is_alerted_by_the_replay(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ship, t = 273_000_101, T0_S + 45 * 60
    fields: dict[str, str | int | float] = {
        "type": 8, "mmsi": ship, "dac": 1, "fid": 29, "linkage": 1,
        "description": "MAYDAY ENGINE ROOM FIRE",
    }  # fmt: skip
    binary = with_tag_blocks(static_sentences(fields, 0), "AZ-BAK", t, 999)
    lines = [line for _, line in sorted([*DAY, (t, binary)])]
    db = tmp_path / "store.sqlite"
    _ingest(db, lines, False, "all")  # the watch was off
    capsys.readouterr()
    assert main(["watch", "run", "--db", str(db), "--no-store"]) == 0
    replay = _alerts(capsys.readouterr().out)
    texts = [a["details"].get("text") for a in replay.values() if a["rule"] == "distress"]
    assert "MAYDAY ENGINE ROOM FIRE" in texts
