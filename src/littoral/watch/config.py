"""Thresholds of the watch rules, with their defaults and where the defaults come from.

Every field is a key of the rules file (see :mod:`littoral.watch.config_file` and
``docs/watch.md``). Defaults follow the published practice of Global Fishing Watch (GFW) and
Skylight (Allen Institute for AI):

- GFW encounters: two vessels within 500 m for at least 2 h, median speed under 2 kn, at least
  10 km from an anchorage; events less than 4 h apart are merged (Miller et al. 2018,
  "Identifying global patterns of transshipment behavior", Front. Mar. Sci. 5:240; GFW
  events API documentation).
- GFW loitering: average speed under 2 kn (ibid.); the 2 h duration and the 10 km port
  distance reuse the encounter thresholds.
- Skylight "standard rendezvous": within 250 m for at least 30 min (the ``short`` preset).
- AIS gaps ("going dark"): GFW counts gaps of 12 h or more far from shore where reception is
  good (Welch et al. 2022, "Hot spots of unseen fishing vessels", Sci. Adv. 8:eabq2109);
  Skylight's dark-activity alerts use several hours. littoral takes 6 h anywhere and 1 h where
  reception is known to be good (terrestrial receivers) or near offshore installations.
- Identities: ITU-R M.585 (MMSI formats, 970/972/974 for AIS-SART, MOB and EPIRB-AIS);
  navigation status codes of ITU-R M.1371 (6 aground, 14 AIS-SART active).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SERVICE_SHIP_TYPES: tuple[int, ...] = (31, 32, 33, 34, 50, 51, 52, 53, 54, 55, 58)
"""AIS ship types that work at installations and beside other ships: towing, dredging,
diving, pilot, SAR, tug, port tender, anti-pollution, law enforcement, medical."""


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """How the engine orders event time and how much it keeps per alert."""

    lateness_s: float = 300.0
    """Messages may arrive up to this long after later ones and still count in order."""
    tick_s: float = 60.0
    """Event-time step at which time-driven rules (encounters, silence) are evaluated."""
    batch_ticks: int = 15
    """Ticks judged together at most (their rules run once over all their positions)."""
    max_evidence: int = 20
    """Most evidence positions kept per alert (the first half and the latest)."""
    update_interval_s: float = 600.0
    """An open alert is re-published with fresh evidence at most this often."""
    grid_deg: float = 0.01
    """Cell size of the cached zone, port and land lookups (about 1 km)."""
    keep_closed_s: float = 7 * 86400.0
    """Closed alerts are kept in memory (``Engine.alerts``) this long after they end."""


@dataclass(frozen=True, slots=True)
class NonLittoralConfig:
    """Rule 1: a ship of a flag other than the five Caspian states."""

    enabled: bool = True
    window_s: float = 7 * 86400.0
    """A vessel already reported as seen within this window is not reported again."""
    quiet_s: float = 6 * 3600.0
    """The "seen" alert closes after this long without a report."""
    territorial: bool = True
    """Also alert when the vessel enters a state's territorial band."""


@dataclass(frozen=True, slots=True)
class GoingDarkConfig:
    """Rule 2: a vessel that was reporting stops."""

    enabled: bool = True
    threshold_s: float = 6 * 3600.0
    covered_threshold_s: float = 3600.0
    """Silence threshold inside receiver coverage or near an offshore field."""
    field_radius_m: float = 10_000.0
    min_port_distance_m: float = 10_000.0
    """A silence that begins closer than this to a port is not reported."""
    min_reports: int = 5
    """Position reports a vessel must have sent before its silence counts."""
    coverage_cell_deg: float = 0.2
    coverage_min_reports: int = 50
    """A coverage cell is "covered" once this many position reports were received in it."""


@dataclass(frozen=True, slots=True)
class LoiteringConfig:
    """Rule 3: slow for long, away from ports."""

    enabled: bool = True
    max_speed_kn: float = 2.0
    min_duration_s: float = 7200.0
    min_port_distance_m: float = 10_000.0
    field_radius_m: float = 5_000.0
    """Non-service vessels loitering this close to an offshore field are high priority."""
    service_radius_m: float = 20_000.0
    """Service vessels this close to an offshore field's centre are at work at its platforms
    (which lie within 15-20 km of the field centres of the places table): not reported."""
    max_gap_s: float = 3600.0
    """A silence longer than this ends a loitering run."""
    service_ship_types: tuple[int, ...] = SERVICE_SHIP_TYPES


@dataclass(frozen=True, slots=True)
class EncounterConfig:
    """Rule 4: two vessels side by side, slowly, away from ports."""

    enabled: bool = True
    max_distance_m: float = 500.0
    min_duration_s: float = 7200.0
    max_median_speed_kn: float = 2.0
    min_port_distance_m: float = 10_000.0
    merge_gap_s: float = 4 * 3600.0
    stale_s: float = 600.0
    """A position older than this at a tick is not used to pair vessels."""
    pair_max_speed_kn: float = 4.0
    """A vessel faster than this at a tick is not paired at that tick."""
    service_radius_m: float = 20_000.0
    """A service vessel this close to an offshore field's centre is at its platforms."""
    service_ship_types: tuple[int, ...] = SERVICE_SHIP_TYPES


SHORT_ENCOUNTER = {"max_distance_m": 250.0, "min_duration_s": 1800.0}
"""The ``preset = "short"`` values (Skylight's standard rendezvous)."""


@dataclass(frozen=True, slots=True)
class IntegrityConfig:
    """Rule 5: positions and identities that cannot be true."""

    enabled: bool = True
    max_speed_kn: float = 30.0
    min_jump_m: float = 1_000.0
    """Jumps shorter than this are position noise, whatever the implied speed."""
    land_margin_m: float = 500.0
    """A position must be at least this far inland to count as on land."""
    port_radius_m: float = 4_000.0
    """Positions this close to a port are never on land (charted coasts are 0-3.5 km off)."""
    quiet_s: float = 3600.0
    """An integrity alert closes after this long without a new anomaly."""
    twin_min_switches: int = 3
    """Switches between two incompatible tracks before "two places at once" is raised."""


@dataclass(frozen=True, slots=True)
class DistressConfig:
    """Rule 6: distress beacons, distress texts, aground at sea."""

    enabled: bool = True
    quiet_s: float = 1800.0
    """A distress alert is marked silent after this long without a distress report; the
    watch never closes it (an officer does)."""
    renotify_s: float = 300.0
    """An open distress alert that nobody has acknowledged is announced again this often."""
    aground_min_port_distance_m: float = 4_000.0
    keywords: tuple[str, ...] = ("SART ACTIVE", "MOB ACTIVE", "EPIRB ACTIVE", "MAYDAY", "DISTRESS")
    test_keywords: tuple[str, ...] = ("TEST",)


@dataclass(frozen=True, slots=True)
class IdentityConfig:
    """Rule 8: a ship's name, call sign or IMO number changes."""

    enabled: bool = True
    """Run this rule."""
    quiet_s: float = 86400.0
    """An identity alert closes after this long without a further change."""


@dataclass(frozen=True, slots=True)
class InterferenceConfig:
    """Rule 9: positions of several vessels jump to one point (GNSS interference)."""

    enabled: bool = True
    """Run this rule."""
    window_s: float = 900.0
    """Jumps this close in time count together."""
    radius_m: float = 2_000.0
    """Landing points within this distance of each other are one point."""
    min_vessels: int = 3
    """Different vessels whose positions jump to one point before the alert opens."""
    quiet_s: float = 3600.0
    """The alert closes after this long without a further jump to the point."""


@dataclass(frozen=True, slots=True)
class AreaConfig:
    """Rule 7: one user-defined area and its filter."""

    name: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    """Polygons, each a tuple of rings of (lon, lat): the exterior first, then holes."""
    flags: tuple[str, ...] = ()
    """Only vessels of these flag codes (empty: any flag)."""
    non_littoral: bool = False
    """Only vessels whose flag is not a Caspian state."""
    ship_types: tuple[int, ...] = ()
    min_speed_kn: float | None = None
    max_speed_kn: float | None = None
    priority: str = "MEDIUM"


@dataclass(frozen=True, slots=True)
class ZoneConfig:
    """One zone of interest of a state (``[[zone]]``)."""

    name: str
    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]
    """Polygons, each a tuple of rings of (lon, lat): the exterior first, then holes."""


@dataclass(frozen=True, slots=True)
class ScopeConfig:
    """Where the rules apply: the area of application and the zones of interest."""

    enabled: bool = True
    """Apply the rules only inside the area (false: everywhere, as for a test feed)."""
    shore_margin_m: float = 25_000.0
    """Positions on land count as in the Caspian up to this far from its shore."""
    approaches: bool = True
    """Add the Volga delta, the lower Volga to Volgograd and the Volga-Don canal entrance."""
    states: tuple[str, ...] = ()
    """Zones of interest: the median-line sectors of these states (e.g. ["KZ"])."""
    zones: tuple[ZoneConfig, ...] = ()
    """Zones of interest drawn as polygons (``[[zone]]`` tables)."""


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """All thresholds of the watch engine."""

    engine: EngineConfig = field(default_factory=EngineConfig)
    non_littoral: NonLittoralConfig = field(default_factory=NonLittoralConfig)
    going_dark: GoingDarkConfig = field(default_factory=GoingDarkConfig)
    loitering: LoiteringConfig = field(default_factory=LoiteringConfig)
    encounter: EncounterConfig = field(default_factory=EncounterConfig)
    integrity: IntegrityConfig = field(default_factory=IntegrityConfig)
    distress: DistressConfig = field(default_factory=DistressConfig)
    identity: IdentityConfig = field(default_factory=IdentityConfig)
    interference: InterferenceConfig = field(default_factory=InterferenceConfig)
    scope: ScopeConfig = field(default_factory=ScopeConfig)
    areas: tuple[AreaConfig, ...] = ()
