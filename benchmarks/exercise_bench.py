"""The exercise's traffic generator: messages generated per second, and its position encoder.

Two figures, measured in one run:

- ``generate_traffic``: a whole day (planning, report times, encoding, tag blocks, ordering)
  in AIS messages per second of wall time;
- the vectorised type 1/18 encoder (``littoral.exercise.nmea.encode_positions``) in
  tag-blocked lines per second, against the peer ``pyais.encode_dict`` called report by
  report on the same reports (and given the same tag block), with the ratio. The first lines
  of both are decoded with pyais and compared, so the two encode the same thing.

Usage: ``python benchmarks/exercise_bench.py [--vessels 1500] [--hours 24] [--rate-scale 20]
[--peer-reports 20000]``. Timings on a shared machine are noisy; the ratio in the same run is
the figure.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

import numpy as np

START = datetime(2026, 10, 14, tzinfo=UTC)


def _batch(n: int, rng: np.random.Generator):
    from littoral.exercise.nmea import PositionBatch

    is_b = rng.random(n) < 0.25
    heading = rng.uniform(0.0, 359.0, n)
    return PositionBatch(
        msg_type=np.where(is_b, 18, 1).astype(np.int64),
        mmsi=rng.integers(273_000_000, 436_999_999, n),
        time_s=START.timestamp() + np.sort(rng.uniform(0.0, 86_400.0, n)),
        lon=rng.uniform(47.0, 54.0, n),
        lat=rng.uniform(36.6, 47.0, n),
        sog_kn=rng.uniform(0.0, 18.0, n),
        cog_deg=rng.uniform(0.0, 359.9, n),
        heading_deg=np.where(is_b, np.nan, heading),
        nav_status=rng.integers(0, 9, n),
        station=rng.integers(0, 10, n),
    )


def _pyais_lines(batch, stations: tuple[str, ...]) -> list[str]:
    """The peer: one ``encode_dict`` per report, with the same tag block prepended."""
    from pyais.encode import encode_dict

    from littoral.exercise.nmea import tag_block

    out = []
    for i in range(len(batch)):
        t = int(batch.time_s[i])
        heading = batch.heading_deg[i]
        data = {
            "type": int(batch.msg_type[i]),
            "mmsi": int(batch.mmsi[i]),
            "lon": float(batch.lon[i]),
            "lat": float(batch.lat[i]),
            "speed": round(float(batch.sog_kn[i]), 1),
            "course": round(float(batch.cog_deg[i]), 1),
            "heading": 511 if np.isnan(heading) else round(float(heading)) % 360,
            "second": t % 60,
            "accuracy": 0,
        }
        if data["type"] == 1:
            data["status"] = int(batch.nav_status[i])
        else:
            data["cs"] = 1
        sentence = encode_dict(data, radio_channel="A", talker_id="AI")[0]
        out.append(tag_block(stations[int(batch.station[i])], t) + sentence)
    return out


def _same_reports(ours: list[str], theirs: list[str]) -> None:
    from pyais.stream import IterMessages

    for a, b in zip(
        IterMessages([x.encode() for x in ours]),
        IterMessages([x.encode() for x in theirs]),
        strict=True,
    ):
        da, db = a.decode(), b.decode()
        for f in ("msg_type", "mmsi", "second"):
            if getattr(da, f) != getattr(db, f):
                raise SystemExit(f"encoders differ in {f}: {getattr(da, f)} vs {getattr(db, f)}")
        for f, tol in (("lon", 2e-6), ("lat", 2e-6), ("speed", 0.051), ("course", 0.051)):
            if abs(getattr(da, f) - getattr(db, f)) > tol:
                raise SystemExit(f"encoders differ in {f}: {getattr(da, f)} vs {getattr(db, f)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--vessels", type=int, default=1500)
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--rate-scale", type=float, default=20.0)
    parser.add_argument("--peer-reports", type=int, default=20_000)
    args = parser.parse_args()

    from littoral.exercise.nmea import encode_positions
    from littoral.exercise.routes import RECEIVERS
    from littoral.exercise.traffic import generate_traffic
    from littoral.geo import CaspianSea

    sea = CaspianSea.load()
    # warm up: numba kernels of the land mask, the shore index
    generate_traffic(np.random.default_rng(1), START, 6.0, 20, rate_scale=40.0, sea=sea)
    t = time.perf_counter()
    day = generate_traffic(
        np.random.default_rng(2026),
        START,
        args.hours,
        args.vessels,
        rate_scale=args.rate_scale,
        sea=sea,
    )
    t_day = time.perf_counter() - t
    n_msg = day.n_messages
    print(
        f"generate_traffic: {args.vessels} vessels, {args.hours:g} h, rate_scale "
        f"{args.rate_scale:g}: {n_msg:,} messages ({len(day.lines):,} lines) in {t_day:.2f} s, "
        f"{n_msg / t_day:,.0f} messages/s"
    )

    stations = tuple(code for code, _, _ in RECEIVERS)
    rng = np.random.default_rng(5)
    big = _batch(max(200_000, args.peer_reports), rng)
    encode_positions(_batch(100, rng), stations)  # warm up
    t = time.perf_counter()
    ours = encode_positions(big, stations)
    t_ours = time.perf_counter() - t
    rate_ours = len(big) / t_ours

    from littoral.exercise.nmea import PositionBatch

    n_peer = args.peer_reports
    head = PositionBatch(*(getattr(big, f)[:n_peer] for f in PositionBatch.__dataclass_fields__))
    t = time.perf_counter()
    theirs = _pyais_lines(head, stations)
    t_peer = time.perf_counter() - t
    rate_peer = n_peer / t_peer
    _same_reports(ours[:2000], theirs[:2000])
    print(
        f"type 1/18 position lines with tag blocks: encode_positions {rate_ours:,.0f} lines/s "
        f"({len(big):,} reports), pyais.encode_dict one by one {rate_peer:,.0f} lines/s "
        f"({n_peer:,} reports); x{rate_ours / rate_peer:.0f}; first 2,000 decode the same"
    )


if __name__ == "__main__":
    main()
