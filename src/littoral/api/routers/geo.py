"""The base map as GeoJSON: the Caspian water polygon and shore, places, zones, depths."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from littoral.api.deps import UserDep
from littoral.services.formats import position_text

router = APIRouter(prefix="/api/geo", tags=["geo"])

SIMPLIFY_DEG = 0.003
"""Tolerance of the drawn shore (about 300 m): the page needs no 10,000-vertex ring."""


def _feature(geometry: Any, **properties: Any) -> dict[str, Any]:
    import shapely

    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(geometry),
        "properties": properties,
    }


@cache
def sea_geojson() -> dict[str, Any]:
    """Return the sea, Kara-Bogaz-Gol and the islands, simplified for drawing."""
    from littoral.geo import CaspianSea

    sea = CaspianSea.load()
    simple = {"tolerance": SIMPLIFY_DEG, "preserve_topology": True}
    return {
        "type": "FeatureCollection",
        "bbox": list(sea.bbox),
        "features": [
            _feature(sea.polygon.simplify(**simple), kind="sea", name="Caspian Sea"),
            _feature(sea.kara_bogaz_gol.simplify(**simple), kind="lagoon", name="Kara-Bogaz-Gol"),
        ],
        "attribution": "Shore: GSHHG 2.3.6 (Wessel and Smith), LGPL-3.0-or-later; not a legal "
        "baseline",
    }


@router.get("/sea")
def sea(user: UserDep) -> JSONResponse:
    """Return the Caspian water polygon with its islands as holes, and Kara-Bogaz-Gol."""
    return JSONResponse(sea_geojson())


@router.get("/places")
def places(
    user: UserDep,
    kind: Annotated[str | None, Query(max_length=20, pattern=r"^[a-z]+$")] = None,
    state: Annotated[str | None, Query(max_length=2, pattern=r"^[A-Z]{2}$")] = None,
) -> dict[str, Any]:
    """Return ports, rescue centres, bases and offshore fields as GeoJSON points."""
    from littoral.geo import places as find_places

    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "name": p.name,
                    "kind": p.kind,
                    "state": p.state,
                    "confidence": p.confidence,
                    "source": p.source,
                    "position": position_text(p.lon, p.lat),
                },
            }
            for p in find_places(kind, state)
        ],
    }


@router.get("/zones")
def zones(user: UserDep) -> JSONResponse:
    """Return territorial and fishery zones (approximate: drawn from the shore polygon)."""
    from littoral.api.zones_layer import zones_geojson

    return JSONResponse(zones_geojson())


@router.get("/depth")
def depth(user: UserDep) -> JSONResponse:
    """Return isobaths (10 to 500 m) traced from the shipped depth grid; not for navigation."""
    from littoral.api.depth_layer import depth_geojson

    return JSONResponse(depth_geojson())
