"""AIS ingest throughput on a synthetic Caspian day, against pyais (and aiscat if installed).

The day is 1,500 vessels and 250,000+ messages with the usual mix (class A and B positions,
static and voyage data in two sentences, type 24 parts A and B, safety text), made by the
project's traffic generator (``littoral.exercise.traffic``) when it is present, else by a
small generator below on pyais's encoder. Every measurement runs in its own process, so its
peak memory (max RSS) is its own:

- ``pyais decode``: pyais reading the file and decoding every message (the peer);
- ``aiscat decode``: the ``aiscat`` package (Python bindings of AIS-catcher's C++ decoder,
  GPL-3.0, never a dependency of littoral), when it is installed;
- ``littoral decode``: littoral's decoder alone, reading the file as the ingest does (with
  the ingest's garbage-collector setting);
- ``littoral ingest``: decode + picture + store into a fresh SQLite file (WAL), the figure
  the targets apply to: at least 100,000 messages/s and a peak under 500 MB. A file this
  size is decoded in a forked worker process (``littoral.services.decode_worker``); the CPU
  column counts the worker's time too, and the peak memory is the larger process's.

A second corpus, ``--corpus realistic``, is shaped like a real coastal aggregator feed
rather than the synthetic day (see :func:`realistic_corpus` for its proportions and where they
come from): every line behind an NMEA 4.10 tag block of one of several forms (``s:`` and
``c:``; ``c:``, ``s:`` and a provider's ``q:``/``T:``; a ``g:`` group on the fragments of a
multi-sentence message), base stations, binary messages 6 and 8, class B 18/24, aids to
navigation 21 with name extensions, 19, long-range 27, and multi-sentence 5, 21 and 8, from
25 receivers. Its targets: full ingest into SQLite >= 150,000 msg/s and >= 2x pyais
decode-only, littoral decode >= 3x pyais; the lines each path decoded are printed.

Usage: ``python benchmarks/ais_bench.py [--corpus day|realistic] [--vessels 1500]
[--messages 250000] [--keep DIR] [--repeat N]``. Timings on a shared machine are noisy; the
ratio to pyais in the same run is the figure, and with ``--repeat N`` the runs are made in N
rounds (pyais and littoral back to back in each) and the figures are the medians.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

START = datetime(2026, 10, 14, tzinfo=UTC)


def generate_day(path: Path, vessels: int, messages: int) -> tuple[int, str]:
    """Write a day of traffic to ``path``; return (number of lines, generator name)."""
    try:
        from littoral.exercise.traffic import generate_traffic
    except ImportError:
        return _own_day(path, vessels, messages), "benchmarks/ais_bench.py (pyais encoder)"
    import numpy as np

    # the generator's real rate gives ~13.6 M messages per 1,500 vessel-days; scale it down
    scale = max(1.0, 13_600_000 * vessels / 1500 / messages / 1.08)
    day = generate_traffic(
        np.random.default_rng(2026), START, hours=24, n_vessels=vessels, rate_scale=scale
    )
    path.write_text("\n".join(day.lines) + "\n")
    return len(day.lines), "littoral.exercise.traffic"


def _own_day(path: Path, vessels: int, messages: int) -> int:
    """A simple day: vessels on straight legs across the Caspian, reports in time order."""
    import numpy as np
    from pyais.encode import encode_dict

    rng = np.random.default_rng(2026)
    mmsi = rng.choice([273, 422, 423, 434, 436, 538, 636], vessels) * 1_000_000 + rng.integers(
        0, 999_999, vessels
    )
    lon0 = rng.uniform(47.5, 53.0, vessels)
    lat0 = rng.uniform(37.5, 46.0, vessels)
    course = rng.uniform(0, 360, vessels)
    speed = rng.uniform(0, 16, vessels)
    class_b = rng.random(vessels) < 0.25
    times = np.sort(rng.uniform(0, 86_400, messages))
    who = rng.integers(0, vessels, messages)
    kind = rng.random(messages)
    lines = []
    t0 = int(START.timestamp())
    for t, v, k in zip(times, who, kind, strict=True):
        hours = t / 3600
        lon = lon0[v] + speed[v] * hours / 60 * np.sin(np.radians(course[v])) / 0.75
        lat = lat0[v] + speed[v] * hours / 60 * np.cos(np.radians(course[v]))
        base = {"mmsi": int(mmsi[v]), "lon": round(float(lon), 5), "lat": round(float(lat), 5)}
        if k < 0.04:
            msg = {
                "mmsi": int(mmsi[v]),
                "type": 5,
                "shipname": f"SHIP {v}",
                "callsign": "UA1",
                "ship_type": 70,
                "to_bow": 80,
                "to_stern": 20,
                "destination": "AKTAU",
            }
        elif k < 0.06:
            msg = {"mmsi": int(mmsi[v]), "type": 24, "partno": 0, "shipname": f"BOAT {v}"}
        else:
            msg = {
                **base,
                "type": 18 if class_b[v] else 1,
                "speed": round(float(speed[v]), 1),
                "course": round(float(course[v]), 1),
                "heading": int(course[v]),
            }
        body = f"c:{t0 + int(t)}"
        check = 0
        for char in body:
            check ^= ord(char)
        for sentence in encode_dict(msg, talker_id="AI", sentence_type="VDM", radio_channel="A"):
            lines.append(f"\\{body}*{check:02X}\\{sentence}")
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


REALISTIC_SHARES: dict[str, float] = {
    "1": 0.62,
    "2": 0.01,
    "3": 0.10,
    "18": 0.08,
    "5": 0.06,
    "24A": 0.02,
    "24B": 0.02,
    "4": 0.03,
    "21": 0.015,
    "8": 0.015,
    "6": 0.005,
    "27": 0.01,
    "19": 0.005,
    "9": 0.002,
    "14": 0.001,
    "15": 0.007,
}
"""Share of each message type in :func:`realistic_corpus`.

Measured on the public captures in ``tests/data`` (pyais's live-receiver sample: types 1
85.7 %, 3 9.8 %, 18 2.4 %, 4 0.8 %, 15 0.9 %, 24 0.3 %; gpsd's ``ais-nmea.log``: 1 67.8 %,
3 12.3 %, 5 7.0 %, 24 5.3 %, 18 4.1 %, 8 3.5 %), rounded, with the rarer types the picture
must also handle (21, 27, 19, 9, 6, 14) given shares of the order an aggregator feed shows.
"""


def _tag(fields: str) -> str:
    check = 0
    for char in fields:
        check ^= ord(char)
    return f"\\{fields}*{check:02X}\\"


def _sentences(payload: str, fill: int, seq: int, channel: str) -> list[str]:
    """Armoured payload as receivers send it: 60 characters a sentence at most."""
    parts = [payload[i : i + 60] for i in range(0, len(payload), 60)] or [""]
    total = len(parts)
    out = []
    for number, part in enumerate(parts, start=1):
        seq_text = str(seq) if total > 1 else ""
        body = (
            f"AIVDM,{total},{number},{seq_text},{channel},{part},{fill if number == total else 0}"
        )
        check = 0
        for char in body:
            check ^= ord(char)
        out.append(f"!{body}*{check:02X}")
    return out


def realistic_corpus(path: Path, vessels: int, messages: int) -> int:
    """Write a feed shaped like a real aggregator's (:data:`REALISTIC_SHARES`); return lines."""
    import numpy as np
    from pyais.encode import encode_dict

    rng = np.random.default_rng(2027)
    kinds = list(REALISTIC_SHARES)
    shares = np.array([REALISTIC_SHARES[k] for k in kinds])
    drawn = rng.choice(len(kinds), messages, p=shares / shares.sum())
    mmsi = rng.choice([273, 422, 423, 434, 436, 538, 636, 374], vessels) * 1_000_000
    mmsi = mmsi + rng.integers(100_000, 999_999, vessels)
    lon0 = rng.uniform(47.5, 53.0, vessels)
    lat0 = rng.uniform(37.5, 46.0, vessels)
    stations = [f"r{2730000 + i}" for i in range(25)]
    t0 = int(START.timestamp())
    seq = 0
    lines: list[str] = []
    for i, k in enumerate(drawn.tolist()):
        kind = kinds[k]
        v = int(rng.integers(0, vessels))
        t = t0 + i * 86_400 // messages
        lon = round(float(lon0[v] + rng.normal(0, 0.001)), 5)
        lat = round(float(lat0[v] + rng.normal(0, 0.001)), 5)
        who = int(mmsi[v])
        msg: dict[str, object]
        if kind in ("1", "2", "3", "18"):
            msg = {"type": int(kind), "msg_type": int(kind), "mmsi": who, "lon": lon,
                   "lat": lat, "speed": 8.4, "course": 123.4, "heading": 122}  # fmt: skip
        elif kind == "5":
            msg = {"type": 5, "mmsi": who, "shipname": f"SHIP {v}", "callsign": "UBX5",
                   "ship_type": 80, "to_bow": 90, "to_stern": 20, "destination": "MAKHACHKALA",
                   "imo": 9_000_000 + v, "draught": 7.5}  # fmt: skip
        elif kind == "24A":
            msg = {"type": 24, "mmsi": who, "partno": 0, "shipname": f"BOAT {v}"}
        elif kind == "24B":
            msg = {"type": 24, "mmsi": who, "partno": 1, "ship_type": 37, "callsign": "UB7",
                   "to_bow": 6, "to_stern": 4}  # fmt: skip
        elif kind == "4":
            fixed = v % 50  # a base station stays where it is built
            msg = {"type": 4, "mmsi": 2_730_000 + fixed, "lon": round(float(lon0[fixed]), 5),
                   "lat": round(float(lat0[fixed]), 5), "year": 2026, "month": 10,
                   "day": 14}  # fmt: skip
        elif kind == "21":
            fixed = v % 400  # and so does a buoy
            msg = {"type": 21, "mmsi": 992_730_000 + fixed, "name": "MAKHACHKALA APPROACH",
                   "name_ext": "LIGHT BUOY 7" if v % 2 else "",
                   "lon": round(float(lon0[fixed]), 5), "lat": round(float(lat0[fixed]), 5),
                   "aid_type": 14}  # fmt: skip
        elif kind == "8":
            msg = {"type": 8, "mmsi": who, "dac": 1, "fid": 31, "data": bytes(range(v % 40 + 10))}
        elif kind == "6":
            msg = {"type": 6, "mmsi": who, "dest_mmsi": 273_000_001, "dac": 1, "fid": 0,
                   "data": b"\x01\x02\x03"}  # fmt: skip
        elif kind == "27":
            msg = {"type": 27, "mmsi": who, "lon": round(lon, 1), "lat": round(lat, 1),
                   "speed": 9, "course": 120}  # fmt: skip
        elif kind == "19":
            msg = {"type": 19, "mmsi": who, "lon": lon, "lat": lat, "speed": 5.1,
                   "course": 45.0, "heading": 44, "shipname": f"BOAT {v}",
                   "ship_type": 37}  # fmt: skip
        elif kind == "9":
            msg = {"type": 9, "mmsi": 111_273_000 + v % 10, "lon": lon, "lat": lat,
                   "speed": 120, "course": 270.0, "alt": 300}  # fmt: skip
        elif kind == "14":
            msg = {"type": 14, "mmsi": who, "text": "MAYDAY FIRE ON BOARD"}
        else:
            msg = {"type": 15, "mmsi": 2_730_000 + v % 50, "mmsi1": who, "type1_1": 5}
        encoded = encode_dict(msg, talker_id="AI", sentence_type="VDM")
        payload = "".join(e.split(",")[5] for e in encoded)
        fill = int(encoded[-1].split(",")[6][0])
        channel = "AB"[i % 2]
        sentences = _sentences(payload, fill, seq, channel)
        station = stations[i % len(stations)]
        if len(sentences) > 1:
            seq = (seq + 1) % 10
            group = 10_000 + i % 90_000
            total = len(sentences)
            for n, sentence in enumerate(sentences, start=1):
                fields = (
                    f"g:{n}-{total}-{group},s:{station},c:{t}"
                    if n == 1
                    else f"g:{n}-{total}-{group}"
                )
                lines.append(_tag(fields) + sentence)
        elif i % 5 == 0:  # a satellite or cloud provider's extra fields
            lines.append(_tag(f"c:{t},s:{station},q:u,T:2026-10-14 00.00.00") + sentences[0])
        else:
            lines.append(_tag(f"s:{station},c:{t}") + sentences[0])
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


PYAIS_DECODE = """
import sys, time
from pyais.stream import FileReaderStream
t = time.perf_counter()
c = time.process_time()
n = 0
for msg in FileReaderStream(sys.argv[1]):
    try:
        msg.decode()
    except Exception:
        pass
    n += 1
print(n, time.perf_counter() - t, time.process_time() - c)
"""

AISCAT_DECODE = """
import sys, time
import aiscat
t = time.perf_counter()
c = time.process_time()
n = sum(1 for _ in aiscat.from_file(sys.argv[1]))
print(n, time.perf_counter() - t, time.process_time() - c)
"""

LITTORAL_DECODE = """
import sys, time
from datetime import UTC, datetime
from littoral.ais import Decoder
from littoral.ais.sources import FileSource
from littoral.clock import FixedClock
try:
    from littoral.services.ingest import fewer_collections
except ImportError:  # (versions before the services package)
    from littoral.tracks.ingest import fewer_collections
try:  # the chunks the ingest reads a file in
    from littoral.services.ingest import FILE_CHUNK_LINES
except ImportError:  # (versions before it was set)
    FILE_CHUNK_LINES = 5000
t = time.perf_counter()  # (imports excluded, as in the other runs)
c = time.process_time()
decoder = Decoder(keep_others=False)
with fewer_collections(), FileSource([sys.argv[1]], FixedClock(datetime.now(UTC))) as source:
    for texts, name, read in source.chunks(FILE_CHUNK_LINES):
        decoder.decode_texts(texts, name, read)
    decoder.flush()
print(decoder.stats.messages, time.perf_counter() - t, time.process_time() - c,
      ",".join(f"{k}={v}" for k, v in sorted(getattr(decoder.stats, "by_path", {}).items()))
      or "-",
      ",".join(f"{k.replace(' ', '')}={v}"
               for k, v in getattr(decoder.stats, "fallbacks", {}).items()) or "-",
      decoder.stats.rejected)
"""

LITTORAL_INGEST = """
import sys, time
from datetime import UTC, datetime
from littoral.ais.sources import FileSource
from littoral.clock import FixedClock
from littoral.store import open_store
try:
    from littoral.services.ingest import ingest
except ImportError:  # (versions before the services package)
    from littoral.tracks.ingest import ingest
import resource
def worker_cpu():  # a decode worker's CPU time, once it has ended (and been waited for)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
clock = FixedClock(datetime.now(UTC))
t = time.perf_counter()
c = time.process_time() + worker_cpu()
with open_store(sys.argv[2]) as store, FileSource([sys.argv[1]], clock) as lines:
    result = ingest(lines, store, clock, sources=[sys.argv[1]])
    elapsed, cpu = time.perf_counter() - t, time.process_time() + worker_cpu() - c
    print(result.stats.messages, elapsed, cpu, result.positions_stored, store.vessels.count(),
          store.positions.count())
"""


GENERATE = """
import sys
sys.path.insert(0, sys.argv[4])
from ais_bench import generate_day, realistic_corpus
from pathlib import Path
if sys.argv[5] == "realistic":
    lines = realistic_corpus(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
    name = "realistic corpus (ais_bench.realistic_corpus)"
else:
    lines, name = generate_day(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
print(lines, name.replace(" ", "_"))
"""


def run_child(code: str, *args: str) -> tuple[list[str], float, float]:
    """Run ``code`` in a fresh interpreter; return its output words, CPU s and peak RSS MB.

    The child prints its message count, wall and CPU seconds of the measured work (imports
    excluded). CPU time is reported beside wall time because this machine is shared: wall
    time depends on what else runs, CPU time much less.
    """
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed with status {proc.returncode}")
    return out.split(), usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vessels", type=int, default=1500)
    parser.add_argument("--messages", type=int, default=250_000)
    parser.add_argument("--keep", type=Path, help="keep the NMEA file and store in this folder")
    parser.add_argument("--corpus", choices=("day", "realistic"), default="day")
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="rounds of the runs, one after another in each; the medians are the figures",
    )  # fmt: skip
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error(f"--repeat {args.repeat} must be at least 1")

    folder = args.keep or Path(tempfile.mkdtemp(prefix="littoral-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    day = folder / f"{args.corpus}.nmea"
    t = time.perf_counter()
    here = str(Path(__file__).resolve().parent)
    if args.keep and day.exists():  # the same lines again (another version, another run)
        words = [str(len(day.read_text().splitlines())), f"{day.name}_(kept)"]
    else:
        words, _, _ = run_child(
            GENERATE, str(day), str(args.vessels), str(args.messages), here, args.corpus
        )
    print(
        f"day: {int(words[0]):,} lines from {words[1].replace('_', ' ')} in "
        f"{time.perf_counter() - t:.1f} s ({day.stat().st_size / 1e6:.1f} MB)"
    )

    rounds: list[dict[str, dict[str, float]]] = []

    def measure(name: str, code: str, *extra: str) -> list[str]:
        words, _, rss = run_child(code, *extra)
        rounds[-1][name] = {
            "messages": int(words[0]),
            "wall_s": float(words[1]),
            "cpu_s": float(words[2]),
            "rss_mb": rss,
        }
        return words

    has_aiscat = importlib.util.find_spec("aiscat") is not None
    if not has_aiscat:
        print("aiscat: not installed (pip install aiscat, AIS-catcher's decoder), skipped")
    db = folder / "bench.sqlite"
    for _ in range(args.repeat):
        # each round runs the peer and littoral back to back: on a shared machine the
        # ratio within a round is the figure, and the median over rounds the steadier one
        rounds.append({})
        measure("pyais decode", PYAIS_DECODE, str(day))
        if has_aiscat:
            measure("aiscat decode", AISCAT_DECODE, str(day))
        decoded = measure("littoral decode", LITTORAL_DECODE, str(day))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        words = measure("littoral ingest", LITTORAL_INGEST, str(day), str(db))
    print(f"littoral: lines by path {decoded[3]}; fallbacks {decoded[4]}; rejected {decoded[5]}")
    stored, vessels, rows = int(words[3]), int(words[4]), int(words[5])
    if args.repeat > 1:
        for k, r in enumerate(rounds, 1):
            peer_wall = r["pyais decode"]["wall_s"]
            print(
                f"round {k}: pyais {peer_wall:.2f} s, littoral decode "
                f"{r['littoral decode']['wall_s']:.2f} s "
                f"({peer_wall / r['littoral decode']['wall_s']:.2f}x), ingest "
                f"{r['littoral ingest']['wall_s']:.2f} s "
                f"({peer_wall / r['littoral ingest']['wall_s']:.2f}x)"
            )
        print(f"medians of {args.repeat} rounds (each ratio the median of the rounds' ratios):")
    results = {
        name: {
            key: float(statistics.median(r[name][key] for r in rounds)) for key in rounds[0][name]
        }
        for name in rounds[0]
    }

    def ratio(name: str) -> float:
        """Median over rounds of pyais's wall time over ``name``'s (same messages)."""
        return float(
            statistics.median(r["pyais decode"]["wall_s"] / r[name]["wall_s"] for r in rounds)
        )

    print(
        f"{'run':<17}{'messages':>9}{'wall s':>8}{'msg/s':>9}{'CPU s':>7}{'msg/CPU-s':>10}"
        f"{'peak MB':>8}{'vs pyais':>9}"
    )
    for name, r in results.items():
        rate = r["messages"] / r["wall_s"]
        print(
            f"{name:<17}{r['messages']:>9,.0f}{r['wall_s']:>8.2f}{rate:>9,.0f}{r['cpu_s']:>7.2f}"
            f"{r['messages'] / r['cpu_s']:>10,.0f}{r['rss_mb']:>8.0f}"
            f"{ratio(name):>8.2f}x"
        )
    ingest = results["littoral ingest"]
    decode = results["littoral decode"]
    own_cpu = max(ingest["cpu_s"] - decode["cpu_s"], 1e-9)
    print(
        f"picture + store alone (ingest CPU - decode CPU): {own_cpu:.2f} CPU s, "
        f"{ingest['messages'] / own_cpu:,.0f} msg/CPU-s"
    )
    print(
        f"stored {stored:,} positions ({rows:,} rows) of {vessels:,} vessels; "
        f"store {db.stat().st_size / 1e6:.0f} MB"
    )
    rate = ingest["messages"] / ingest["wall_s"]
    target = 150_000 if args.corpus == "realistic" else 100_000
    ok_rate, ok_mem = rate >= target, ingest["rss_mb"] < 500
    print(
        f"target full ingest >= {target:,} msg/s: {'met' if ok_rate else 'NOT met'} "
        f"({rate:,.0f} wall, {ingest['messages'] / ingest['cpu_s']:,.0f} per CPU s); "
        f"peak < 500 MB: {'met' if ok_mem else 'NOT met'} ({ingest['rss_mb']:.0f} MB)"
    )
    if args.corpus == "realistic":
        ingest_x = ratio("littoral ingest")
        decode_x = ratio("littoral decode")
        print(
            f"target full ingest >= 2x pyais decode: {'met' if ingest_x >= 2 else 'NOT met'} "
            f"({ingest_x:.2f}x); decode >= 3x pyais: {'met' if decode_x >= 3 else 'NOT met'} "
            f"({decode_x:.2f}x)"
        )
    print(json.dumps({k: {m: round(v, 3) for m, v in r.items()} for k, r in results.items()}))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
