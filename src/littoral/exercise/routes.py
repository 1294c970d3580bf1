"""Berths, offshore fields and shipping routes of the exercise, all in (lon, lat) order.

Port coordinates in ``places.csv`` often fall on the land side of the shipped shoreline (ports
lie 0-3.5 km from the GSHHG line); a berth here is the nearest point of the sea about 1.5 km
inside the water polygon from that place, so a ship alongside never reports a position on land.
Routes were traced once as least-distance paths on a 0.02° water grid that keeps 3.5 km from the
shore where it can, then reduced to the fewest legs that stay in water with about 1.3 km of
clearance (Olya, up the Volga delta, through its channel on a 0.0025° grid);
``tests/unit/exercise/test_routes.py`` checks every leg against
:class:`littoral.geo.CaspianSea`.

The Volga-Caspian canal runs from Astrakhan through the delta; ``VOLGA_CANAL_SEA_END`` is where a
ship coming down it enters the open sea in the polygon.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Berth:
    """A port's berth in the water, the state it belongs to, and its name in ``places.csv``."""

    code: str
    name: str
    state: str
    lon: float
    lat: float


BERTHS: dict[str, Berth] = {
    b.code: b
    for b in (
        Berth("BAKU", "Baku Bay (old port / ferry terminal)", "AZ", 49.885, 40.343),
        Berth("ALAT", "Baku Intl Sea Trade Port (Alat)", "AZ", 49.443, 39.933),
        Berth("SANGACHAL", "Sangachal terminal", "AZ", 49.506, 40.139),
        Berth("AKTAU", "Aktau seaport", "KZ", 51.188, 43.600),
        Berth("KURYK", "Kuryk port", "KZ", 51.649, 43.164),
        Berth("BAUTINO", "Bautino port (Fort-Shevchenko)", "KZ", 50.255, 44.588),
        Berth("TURKMENBASHI", "Turkmenbashi Intl Seaport", "TM", 52.968, 39.960),
        Berth("MAKHACHKALA", "Makhachkala seaport", "RU", 47.524, 42.999),
        Berth("OLYA", "Olya seaport (Volga delta)", "RU", 47.555, 45.765),
        Berth("ANZALI", "Bandar Anzali", "IR", 49.466, 37.506),
        Berth("AMIRABAD", "Amirabad port", "IR", 53.369, 36.888),
        Berth("NOWSHAHR", "Nowshahr port", "IR", 51.509, 36.674),
        Berth("ASTARA", "Astara (IR) port", "IR", 48.904, 38.429),
    )
}
"""Berths by code."""

FIELDS: dict[str, tuple[float, float, str]] = {
    "NEFT DASLARI": (50.860, 40.238, "AZ"),
    "ACG": (51.098, 40.220, "AZ"),
    "SHAH DENIZ": (50.377, 39.937, "AZ"),
    "ABSHERON": (50.590, 40.100, "AZ"),
    "UMID": (49.750, 39.750, "AZ"),
    "KASHAGAN": (51.583, 46.167, "KZ"),
    "KORCHAGIN": (48.950, 44.870, "RU"),
    "FILANOVSKY": (48.600, 45.100, "RU"),
    "SARDAR-E JANGAL": (50.450, 37.950, "IR"),
}
"""Offshore oil and gas fields: (lon, lat, state), field centres from ``places.csv``."""

VOLGA_CANAL_SEA_END: tuple[float, float] = (47.750, 45.550)
"""Where the Volga-Caspian ship canal from Astrakhan meets the open sea (lon, lat)."""

Waypoints = tuple[tuple[float, float], ...]


def _ll(*lat_lon: tuple[float, float]) -> Waypoints:
    # traced as (lat, lon), as a chart reads; stored as (lon, lat)
    return tuple((lon, lat) for lat, lon in lat_lon)


ROUTES: dict[tuple[str, str], Waypoints] = {
    # ferries and ro-ro
    ("BAKU", "AKTAU"): _ll((40.343, 49.885), (40.18, 50.32), (40.22, 50.44), (43.6, 51.188)),
    ("ALAT", "AKTAU"): _ll((39.933, 49.443), (40.22, 50.44), (43.6, 51.188)),
    ("KURYK", "TURKMENBASHI"): _ll(
        (43.164, 51.649), (40.8, 51.9), (39.68, 53.04), (39.8, 53.1), (39.96, 52.968)
    ),
    ("ALAT", "TURKMENBASHI"): _ll(
        (39.933, 49.443), (39.72, 53.08), (39.86, 53.04), (39.96, 52.968)
    ),
    # tankers
    ("AKTAU", "BAKU"): _ll((43.6, 51.188), (40.22, 50.44), (40.18, 50.32), (40.343, 49.885)),
    ("MAKHACHKALA", "BAKU"): _ll(
        (42.999, 47.524),
        (42.5, 48.26),
        (40.4, 50.46),
        (40.18, 50.4),
        (40.32, 49.9),
        (40.343, 49.885),
    ),
    ("TURKMENBASHI", "BAKU"): _ll(
        (39.96, 52.968), (39.74, 53.1), (39.68, 52.82), (40.3, 49.92), (40.343, 49.885)
    ),
    ("AKTAU", "MAKHACHKALA"): _ll((43.6, 51.188), (42.999, 47.524)),
    ("MAKHACHKALA", "AMIRABAD"): _ll(
        (42.999, 47.524), (42.5, 48.26), (40.4, 50.46), (36.888, 53.369)
    ),
    ("AKTAU", "AMIRABAD"): _ll((43.6, 51.188), (41.04, 51.54), (36.888, 53.369)),
    # river-sea ships from the Volga
    ("OLYA", "ANZALI"): _ll(
        (45.765, 47.555), (45.75, 47.59), (45.695, 47.644), (40.34, 50.46), (37.506, 49.466)
    ),
    ("OLYA", "AMIRABAD"): _ll(
        (45.765, 47.555), (45.75, 47.59), (45.695, 47.644), (37.3, 52.98), (36.888, 53.369)
    ),
    ("OLYA", "NOWSHAHR"): _ll(
        (45.765, 47.555), (45.75, 47.59), (45.695, 47.644), (40.34, 50.46), (36.674, 51.509)
    ),
    ("MAKHACHKALA", "ANZALI"): _ll(
        (42.999, 47.524), (42.5, 48.26), (40.4, 50.46), (37.7, 49.62), (37.506, 49.466)
    ),
    ("OLYA", "BAKU"): _ll(
        (45.765, 47.555),
        (45.75, 47.59),
        (45.695, 47.644),
        (40.34, 50.46),
        (40.18, 50.4),
        (40.32, 49.9),
        (40.343, 49.885),
    ),
    ("OLYA", "AKTAU"): _ll(
        (45.765, 47.555),
        (45.75, 47.59),
        (45.695, 47.644),
        (44.06, 49.5),
        (43.6, 51.16),
        (43.6, 51.188),
    ),
    # supply vessels to the offshore fields
    ("BAKU", "NEFT DASLARI"): _ll((40.343, 49.885), (40.18, 50.32), (40.238, 50.86)),
    ("BAKU", "ACG"): _ll((40.343, 49.885), (40.18, 50.32), (40.22, 51.098)),
    ("SANGACHAL", "SHAH DENIZ"): _ll((40.139, 49.506), (39.937, 50.377)),
    ("ALAT", "UMID"): _ll((39.933, 49.443), (39.75, 49.75)),
    ("BAKU", "ABSHERON"): _ll((40.343, 49.885), (40.18, 50.32), (40.1, 50.59)),
    ("BAUTINO", "KASHAGAN"): _ll((44.588, 50.255), (44.94, 50.36), (46.167, 51.583)),
    ("OLYA", "KORCHAGIN"): _ll(
        (45.765, 47.555), (45.75, 47.59), (45.695, 47.644), (45.4, 47.98), (44.87, 48.95)
    ),
    ("OLYA", "FILANOVSKY"): _ll(
        (45.765, 47.555), (45.75, 47.59), (45.695, 47.644), (45.4, 47.98), (45.1, 48.6)
    ),
    ("ANZALI", "SARDAR-E JANGAL"): _ll((37.506, 49.466), (37.95, 50.45)),
    # the Volga-Caspian canal's sea end to the western ports (for ships arriving from Astrakhan)
    ("VOLGA CANAL", "MAKHACHKALA"): _ll((45.55, 47.75), (43.32, 47.84), (42.999, 47.524)),
    ("VOLGA CANAL", "BAKU"): _ll(
        (45.55, 47.75),
        (40.66, 50.24),
        (40.38, 50.46),
        (40.18, 50.4),
        (40.32, 49.9),
        (40.343, 49.885),
    ),
}
"""Shipping routes as waypoint tuples (lon, lat) from the first named place to the second."""

FERRY_ROUTES: tuple[tuple[str, str], ...] = (
    ("BAKU", "AKTAU"),
    ("ALAT", "AKTAU"),
    ("KURYK", "TURKMENBASHI"),
    ("ALAT", "TURKMENBASHI"),
)
TANKER_ROUTES: tuple[tuple[str, str], ...] = (
    ("AKTAU", "BAKU"),
    ("MAKHACHKALA", "BAKU"),
    ("TURKMENBASHI", "BAKU"),
    ("AKTAU", "MAKHACHKALA"),
    ("MAKHACHKALA", "AMIRABAD"),
    ("AKTAU", "AMIRABAD"),
)
RIVER_SEA_ROUTES: tuple[tuple[str, str], ...] = (
    ("OLYA", "ANZALI"),
    ("OLYA", "AMIRABAD"),
    ("OLYA", "NOWSHAHR"),
    ("MAKHACHKALA", "ANZALI"),
    ("OLYA", "BAKU"),
    ("OLYA", "AKTAU"),
)
SUPPLY_ROUTES: tuple[tuple[str, str], ...] = (
    ("BAKU", "NEFT DASLARI"),
    ("BAKU", "ACG"),
    ("SANGACHAL", "SHAH DENIZ"),
    ("ALAT", "UMID"),
    ("BAKU", "ABSHERON"),
    ("BAUTINO", "KASHAGAN"),
    ("OLYA", "KORCHAGIN"),
    ("OLYA", "FILANOVSKY"),
    ("ANZALI", "SARDAR-E JANGAL"),
)

FISHING_AREAS: tuple[tuple[str, float, float, float, float], ...] = (
    # state, lon_min, lat_min, lon_max, lat_max: the shallow North Caspian, and the kilka
    # grounds off Gilan and Mazandaran
    ("RU", 47.3, 44.3, 49.6, 45.6),
    ("KZ", 49.6, 44.6, 52.5, 46.6),
    ("IR", 49.6, 37.0, 52.0, 37.5),
)
"""Fishing grounds (state, lon_min, lat_min, lon_max, lat_max)."""

LEISURE_PORTS: tuple[str, ...] = (
    "BAKU",
    "AKTAU",
    "ANZALI",
    "NOWSHAHR",
    "MAKHACHKALA",
    "TURKMENBASHI",
)
"""Ports whose coasts class B leisure craft sail off."""

RECEIVERS: tuple[tuple[str, float, float], ...] = (
    ("RU-OLY", 47.64, 45.70),
    ("RU-MKH", 47.52, 42.98),
    ("KZ-BAU", 50.26, 44.55),
    ("KZ-KSG", 51.58, 46.17),
    ("KZ-AKT", 51.20, 43.62),
    ("AZ-BAK", 49.87, 40.36),
    ("AZ-NDS", 50.86, 40.24),
    ("TM-TRK", 52.98, 40.00),
    ("IR-ANZ", 49.46, 37.48),
    ("IR-AMD", 53.37, 36.86),
)
"""AIS receiving stations of the exercise network (code, lon, lat): shore sites and two
platform-mounted receivers (Neft Daslari, Kashagan). A report is heard by the nearest one."""
