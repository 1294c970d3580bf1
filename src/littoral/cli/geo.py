"""The ``littoral geo`` commands: ``where`` tells what lies at a position.

``littoral geo where LAT LON [--json]``: water or land (and which), distance to shore, the
state whose median-line sector it is in, the territorial / fishery / common band, and the
nearest place. The position is read by :func:`littoral.geo.coords.parse_position` (decimal
degrees or degrees and minutes, latitude first); anything else is refused with the input
repeated.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

_WATER_NAMES = {
    0: "land",
    1: "sea (Caspian Sea)",
    2: "island",
    3: "Kara-Bogaz-Gol (lagoon)",
}
_BAND_NAMES = {
    0: "-",
    1: "territorial waters (15 NM)",
    2: "fishery zone (15-25 NM)",
    3: "common maritime space (beyond 25 NM)",
    4: "internal waters (Kara-Bogaz-Gol)",
}
APPROXIMATE_NOTE = (
    "Sectors and bands are approximate: drawn from the GSHHG shore line (CIA WDB II, 1970s), "
    "not from agreed baselines; the Convention's baselines are not agreed."
)


REGION_MARGIN_DEG = 1.0
"""How far beyond the sea's bounding box a position still counts as in the Caspian region."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``littoral geo`` and its sub-commands."""
    parser = subparsers.add_parser(
        "geo",
        help="the Caspian: what lies at a position",
        description="Geography of the Caspian: water and land, shore, states' waters, places.",
    )
    geo_subparsers = parser.add_subparsers(dest="geo_command", metavar="ACTION")
    where = geo_subparsers.add_parser(
        "where",
        help="water or land, distance to shore, sector, band and nearest place at a position",
        description=(
            "Tell what lies at a position, latitude first: decimal degrees ('41.5083 50.2') "
            "or degrees and minutes ('41 30.5N 50 12.0E', '41°30.5′N 050°12.0′E'). Sectors "
            "(median line) and bands (15 NM territorial, next 10 NM fishery) are approximate."
        ),
    )
    where.add_argument(
        "position",
        nargs="+",
        metavar="LAT LON",
        help="the position, latitude first (several words are joined)",
    )
    where.add_argument("--json", action="store_true", help="print one JSON object")
    where.set_defaults(func=_where)
    parser.set_defaults(func=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def describe(lon: float, lat: float) -> dict[str, Any]:
    """Return everything ``where`` reports about a position, as plain JSON-able values."""
    from littoral.geo.coords import format_position
    from littoral.geo.places import nearest
    from littoral.geo.sea import CaspianSea
    from littoral.geo.water import WaterClass
    from littoral.geo.zones import Band, zone_at

    sea = CaspianSea.load()
    cls = WaterClass(int(sea.classify(lon, lat)))
    zone = zone_at(lon, lat)
    place, place_m = nearest(lon, lat)
    band = Band(int(zone.band))
    west, south, east, north = sea.bbox
    margin = REGION_MARGIN_DEG
    in_region = west - margin <= lon <= east + margin and south - margin <= lat <= north + margin
    return {
        "lat": lat,
        "lon": lon,
        "position": format_position(lon, lat),
        "in_caspian_region": in_region,
        "class": cls.name.lower(),
        "water": cls in (WaterClass.SEA, WaterClass.KARA_BOGAZ_GOL),
        "distance_to_shore_m": round(float(zone.distance_to_shore_m), 1),
        "sector_state": str(zone.state) or None,
        "band": band.name.lower(),
        "nearest_place": {
            "name": place.name,
            "kind": place.kind,
            "state": place.state,
            "lat": place.lat,
            "lon": place.lon,
            "distance_m": round(place_m, 1),
            "confidence": place.confidence,
        },
        "approximate": APPROXIMATE_NOTE,
    }


def _where(args: argparse.Namespace) -> int:
    from littoral.geo.coords import parse_position
    from littoral.units import M_PER_NM

    pos = parse_position(" ".join(args.position))
    info = describe(pos.lon, pos.lat)
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
        return 0
    d_m = info["distance_to_shore_m"]
    place = info["nearest_place"]
    code = {"land": 0, "sea": 1, "island": 2, "kara_bogaz_gol": 3}[info["class"]]
    band_code = {"not_water": 0, "territorial": 1, "fishery": 2, "common": 3, "internal": 4}
    lines = [
        f"position       {info['position']}  ({pos.lat:.5f}, {pos.lon:.5f})",
        f"here           {_WATER_NAMES[code]}",
        f"shore          {d_m:,.0f} m ({d_m / M_PER_NM:.1f} NM) to the nearest shore",
        f"sector         {info['sector_state'] or '-'} (median line, approximate)",
        f"band           {_BAND_NAMES[band_code[info['band']]]}",
        f"nearest place  {place['name']} ({place['kind']}, {place['state']}): "
        f"{place['distance_m'] / 1000:,.1f} km ({place['distance_m'] / M_PER_NM:.1f} NM)",
        f"note           {APPROXIMATE_NOTE}",
    ]
    if not info["in_caspian_region"]:
        # A position far from the sea is most often a swapped order or a wrong hemisphere letter.
        lines.insert(
            1,
            "warning        outside the Caspian region: check the hemisphere letters and the "
            "order (latitude first)",
        )
    print("\n".join(lines))
    return 0
