"""Request and response bodies of the service (pydantic models, bounded so junk is refused)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from littoral.clock import require_utc
from littoral.services.currents import CurrentsParams
from littoral.services.requests import DriftParams, Observation, OnScene, PlanParams, Release

Name = Annotated[str, Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Password = Annotated[str, Field(min_length=8, max_length=256)]
StateCode = Literal["AZ", "IR", "KZ", "RU", "TM"]
RoleName = Literal["watch_officer", "coordinator", "admin"]
Language = Literal["en", "ru", "az", "kk", "tk", "fa"]
"""Page languages; the same as :data:`littoral.i18n.LANGUAGES` (a unit test checks)."""
Text200 = Annotated[str, Field(max_length=200)]
Text2000 = Annotated[str, Field(max_length=2000)]
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def sane_time(value: datetime) -> datetime:
    """Refuse a time outside 1990-2100: no AIS, forcing or case lies there (a typo's year 1)."""
    if not EARLIEST <= value < LATEST:
        raise ValueError(
            f"{value.isoformat()} lies outside {EARLIEST:%Y}-{LATEST:%Y}, the span of AIS, "
            "forcing data and any plausible case"
        )
    return value


def known_object(value: str) -> str:
    """Refuse a Leeway object class littoral does not know; return its identifier."""
    from littoral.drift.objects import get_object
    from littoral.errors import NotFoundError

    try:
        return get_object(value).key
    except NotFoundError as exc:
        raise ValueError(f"{exc} (littoral drift objects lists them)") from None


UtcTime = Annotated[datetime, AfterValidator(require_utc), AfterValidator(sane_time)]
ObjectClass = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(known_object)]
Lon = Annotated[float, Field(ge=-180.0, le=180.0)]
Lat = Annotated[float, Field(ge=-90.0, le=90.0)]


M = TypeVar("M", bound=BaseModel)


def from_record(model: type[M], record: object, **extra: Any) -> M:
    """Build a response ``model`` from the same-named attributes of a stored ``record``.

    Only the model's own fields are read (so a record's hash or blob never leaks); ``extra``
    gives the fields the record does not hold, or shows differently.
    """
    values = {name: getattr(record, name) for name in model.model_fields if name not in extra}
    return model(**values, **extra)


class Strict(BaseModel):
    """A request body that refuses unknown fields."""

    model_config = ConfigDict(extra="forbid")


class LoginIn(Strict):
    """Credentials."""

    name: Name
    password: Password


class UserOut(BaseModel):
    """An account as others see it (never its hash)."""

    name: str
    state: str
    role: str
    language: str
    disabled: bool
    created: datetime


class LoginOut(BaseModel):
    """A new session: the token to send as ``Authorization: Bearer`` and when it expires."""

    token: str
    expires: datetime
    user: UserOut


class UserIn(Strict):
    """A new account."""

    name: Name
    state: StateCode
    role: RoleName
    password: Password
    language: Language = "en"


class UserPatch(Strict):
    """Changes to an account by an administrator."""

    role: RoleName | None = None
    disabled: bool | None = None
    password: Password | None = None
    language: Language | None = None


class MePatch(Strict):
    """Changes a user makes to their own account."""

    language: Language


class AuditOut(BaseModel):
    """One audit entry."""

    id: int
    time: datetime
    user_name: str | None
    state: str | None
    method: str
    path: str
    status_code: int
    detail: dict[str, Any]


class AuditPage(BaseModel):
    """A page of the audit log, newest first."""

    total: int
    entries: list[AuditOut]


class Ok(BaseModel):
    """A write that returns nothing else."""

    ok: bool = True


class CaseIn(Strict):
    """A new SAR case, by hand."""

    title: Annotated[str, Field(min_length=1, max_length=200)]
    datum_lon: Lon
    datum_lat: Lat
    datum_time: UtcTime
    object_class: ObjectClass = "PIW-1"
    persons: Annotated[int, Field(ge=0, le=10_000)] = 1
    description: Text2000 = ""
    mmsi: Annotated[int, Field(ge=0, le=999_999_999)] | None = None


class CaseFromAlertIn(Strict):
    """A SAR case opened from a distress alert in one action."""

    alert_id: Annotated[str, Field(min_length=1, max_length=200)]
    object_class: ObjectClass | None = None
    persons: Annotated[int, Field(ge=0, le=10_000)] = 1
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class CasePatch(Strict):
    """Changes to an open case."""

    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Text2000 | None = None
    persons: Annotated[int, Field(ge=0, le=10_000)] | None = None
    object_class: ObjectClass | None = None
    datum_lon: Lon | None = None
    datum_lat: Lat | None = None
    datum_time: UtcTime | None = None


class ObservationIn(Strict):
    """One on-scene reading of wind (from) and current (toward) at a time."""

    time: UtcTime
    wind_from_deg: Annotated[float, Field(ge=0.0, le=360.0)]
    wind_speed_kn: Annotated[float, Field(ge=0.0, le=150.0)]
    current_to_deg: Annotated[float, Field(ge=0.0, le=360.0)] = 0.0
    current_speed_kn: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0


class EnvironmentIn(Strict):
    """On-scene wind (from) and current (toward), and what affects detection.

    ``observations`` (two or more, times increasing) are a series the drift follows instead
    of the single wind and current.
    """

    wind_from_deg: Annotated[float, Field(ge=0.0, le=360.0)]
    wind_speed_kn: Annotated[float, Field(ge=0.0, le=150.0)]
    current_to_deg: Annotated[float, Field(ge=0.0, le=360.0)] = 0.0
    current_speed_kn: Annotated[float, Field(ge=0.0, le=10.0)] = 0.0
    visibility_nm: Annotated[float, Field(gt=0.0, le=50.0)] = 10.0
    sea_height_m: Annotated[float, Field(ge=0.0, le=20.0)] = 1.0
    water_temp_c: Annotated[float, Field(ge=-2.0, le=40.0)] | None = None
    observations: Annotated[list[ObservationIn], Field(max_length=1000)] = []

    def on_scene(self) -> OnScene:
        """Return the use cases' on-scene record."""
        return OnScene(
            wind=(self.wind_from_deg, self.wind_speed_kn),
            current=(self.current_to_deg, self.current_speed_kn),
            visibility_nm=self.visibility_nm,
            sea_height_m=self.sea_height_m,
            water_temp_c=self.water_temp_c,
            observations=tuple(Observation(**o.model_dump()) for o in self.observations),
        )


class NoteIn(Strict):
    """A free-text entry in the case log."""

    text: Annotated[str, Field(min_length=1, max_length=2000)]


class ReopenIn(Strict):
    """Why a closed case is reopened (kept in the case log and the audit log)."""

    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class CloseIn(Strict):
    """How a case ended."""

    outcome: Literal["rescued", "found_dead", "not_found", "false_alarm", "self_resolved", "other"]
    text: Text2000 = ""


Mmsi9 = Annotated[int, Field(ge=100_000_000, le=999_999_999)]
"""A unit's nine-digit MMSI (a SAR aircraft's ``111MIDxxx``, a vessel's own)."""


class UnitLinkIn(Strict):
    """The MMSI that links a unit to its AIS track (``null`` unlinks it)."""

    mmsi: Mmsi9 | None


class UnitIn(Strict):
    """A search unit committed to a case; its base defaults to the datum (already on scene)."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    platform: Literal["vessel", "helicopter", "aircraft"] = "vessel"
    speed_kn: Annotated[float, Field(gt=0.0, le=400.0)] = 15.0
    endurance_h: Annotated[float, Field(gt=0.0, le=48.0)] = 6.0
    transit_speed_kn: Annotated[float, Field(gt=0.0, le=500.0)] | None = None
    height_ft: Annotated[float, Field(gt=0.0, le=20_000.0)] | None = None
    base: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    base_lon: Lon | None = None
    base_lat: Lat | None = None
    pattern: Literal["parallel", "creeping-line", "expanding-square"] = "parallel"
    sensor: Literal["visual", "nvg", "flir", "radar"] = "visual"
    sweep_width_nm: Annotated[float, Field(ge=0.01, le=50.0)] | None = None
    sweep_width_source: Annotated[str, Field(max_length=300)] | None = None
    mmsi: Mmsi9 | None = None

    @model_validator(mode="after")
    def _base_position_whole(self) -> UnitIn:
        if (self.base_lon is None) != (self.base_lat is None):
            given = "base_lon" if self.base_lat is None else "base_lat"
            missing = "base_lat" if self.base_lat is None else "base_lon"
            raise ValueError(f"{given} given without {missing}: a base position needs both")
        return self


_DRIFT = DriftParams()
_PLAN = PlanParams()
_CURRENTS = CurrentsParams()


class ReleaseIn(Strict):
    """Seed along a line (``to_lat``, ``to_lon``) or a cone (with ``to_radius_m``) over hours.

    The position (and with a cone the radius) moves from the datum's to these over
    ``over_h`` hours after the datum time (:class:`littoral.services.Release`).
    """

    to_lon: Lon | None = None
    to_lat: Lat | None = None
    to_radius_m: Annotated[float, Field(ge=0.0, le=200_000.0)] | None = None
    over_h: Annotated[float, Field(ge=0.0, le=120.0)] = 0.0

    @model_validator(mode="after")
    def _whole(self) -> ReleaseIn:
        self.release()  # the use case's own checks, named
        return self

    def release(self) -> Release:
        """Return the use cases' release."""
        return Release(**self.model_dump())


class DriftIn(Strict):
    """A drift run request; the defaults are the use cases' (:class:`DriftParams`).

    ``release`` seeds a line or a cone over a window instead of at the datum.
    """

    duration_h: Annotated[float, Field(gt=0.0, le=120.0)] = _DRIFT.duration_h
    particles: Annotated[int, Field(ge=100, le=20_000)] = _DRIFT.particles
    step_min: Annotated[float, Field(ge=1.0, le=60.0)] = _DRIFT.step_min
    output_min: Annotated[float, Field(ge=5.0, le=360.0)] = _DRIFT.output_min
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] = _DRIFT.seed
    datum_radius_nm: Annotated[float, Field(ge=0.0, le=50.0)] = _DRIFT.datum_radius_nm
    perturb: bool = _DRIFT.perturb
    coast_action: Literal["stranding", "previous"] = _DRIFT.coast_action
    release: ReleaseIn | None = None

    def params(self) -> DriftParams:
        """Return the use cases' drift parameters."""
        return DriftParams(**self.model_dump(exclude={"release"}))

    def release_of(self) -> Release | None:
        """Return how the particles are released, when not at the datum point."""
        return None if self.release is None else self.release.release()


class CurrentsIn(Strict):
    """A modelled-currents request for a case; defaults are :class:`CurrentsParams`'."""

    spin_up_h: Annotated[float, Field(ge=0.0, le=72.0)] = _CURRENTS.spin_up_h
    duration_h: Annotated[float, Field(ge=1.0, le=168.0)] = _CURRENTS.duration_h
    rest_level_bs_m: Annotated[float, Field(ge=-40.0, le=-20.0)] = _CURRENTS.rest_level_bs_m
    volga_m3s: Annotated[float, Field(ge=0.0, le=50_000.0)] = _CURRENTS.volga_m3s

    def params(self) -> CurrentsParams:
        """Return the use cases' currents parameters."""
        return CurrentsParams(**self.model_dump())


class PlanIn(Strict):
    """A search plan request: when the search starts; the datum error without a drift run."""

    start_time: UtcTime | None = None
    error_nm: Annotated[float, Field(gt=0.0, le=100.0)] = _PLAN.error_nm

    def params(self) -> PlanParams:
        """Return the use cases' plan parameters."""
        return PlanParams(**self.model_dump())


class CaseOut(BaseModel):
    """A case as the page shows it."""

    id: int
    state: str
    title: str
    status: str
    created: datetime
    created_by: str
    datum_lon: float
    datum_lat: float
    datum_time: datetime
    datum_text: str
    object_class: str
    persons: int
    alert_id: str | None
    mmsi: int | None
    description: str
    environment: dict[str, Any]
    forcing_file: str | None
    outcome: str | None
    outcome_text: str | None
    closed: datetime | None
    editable: bool
    can_commit_units: bool
    copy_of: str | None = None
    """The centre whose joint case this is a read-only copy of (``None``: a case here)."""


class LogOut(BaseModel):
    """One case log entry."""

    time: datetime
    user_name: str
    action: str
    text: str


class UnitOut(BaseModel):
    """A committed unit and, once recorded, the track it searched."""

    id: int
    case_id: int
    state: str
    name: str
    platform: str
    speed_kn: float
    endurance_h: float
    spec: dict[str, Any]
    committed: datetime
    track: list[list[Any]] | None


class RunOut(BaseModel):
    """A background run and its progress."""

    id: int
    case_id: int
    kind: str
    status: str
    progress: float
    created: datetime
    finished: datetime | None
    message: str
    summary: dict[str, Any]


class AckIn(Strict):
    """An officer's acknowledgement or closing of an alert."""

    comment: Annotated[str, Field(max_length=2000)] = ""


class VesselBrief(BaseModel):
    """A vessel as the map draws it."""

    mmsi: int
    lon: float | None
    lat: float | None
    sog_kn: float | None
    cog_deg: float | None
    heading_deg: float | None
    name: str | None
    flag: str | None
    littoral: bool
    category: str
    station: str
    time: str | None
    """Time of the newest position; its age is ``VesselsOut.now`` minus it."""


class VesselsOut(BaseModel):
    """Vessels in view, with the service's time to tell each one's age by."""

    count: int
    now: str
    vessels: list[VesselBrief]


class AlertOut(BaseModel):
    """An alert with what officers did with it."""

    id: str
    rule: str
    priority: str
    """LOW, MEDIUM, HIGH or CRITICAL, as every command prints it."""
    mmsis: list[int]
    start: str
    end: str | None
    lon: float | None
    """None while the position is not known (a distress text, an unlocated beacon)."""
    lat: float | None
    reason: str
    status: str
    details: dict[str, Any]
    updated: str | None = None
    acknowledged_by: str | None = None
    acknowledged: str | None = None
    comment: str | None = None


class ObjectShareIn(Strict):
    """One search object of a scenario and its relative share."""

    object_class: Annotated[str, AfterValidator(known_object)]
    fraction: Annotated[float, Field(gt=0.0, le=1000.0)] = 1.0


class TransitionIn(Strict):
    """An object that becomes another after a time (vessel to life raft)."""

    from_object: Annotated[str, AfterValidator(known_object)]
    to_object: Annotated[str, AfterValidator(known_object)]
    after_h: Annotated[float, Field(ge=0.0, le=240.0)]


class ScenarioIn(Strict):
    """A weighted search scenario: a position, a voyage track over a time window, or an area."""

    name: Annotated[str, Field(min_length=1, max_length=64)]
    weight: Annotated[float, Field(ge=0.0, le=1000.0)] = 1.0
    kind: Literal["position", "track", "area"] = "position"
    lat: Lat | None = None
    lon: Lon | None = None
    to_lat: Lat | None = None
    to_lon: Lon | None = None
    radius_nm: Annotated[float, Field(ge=0.0, le=200.0)] = 1.0
    ring: Annotated[list[tuple[Lon, Lat]], Field(max_length=500)] | None = None
    time: Annotated[datetime, AfterValidator(require_utc), AfterValidator(sane_time)] | None = None
    time_end: Annotated[datetime, AfterValidator(require_utc), AfterValidator(sane_time)] | None = (
        None
    )
    objects: Annotated[list[ObjectShareIn], Field(min_length=1, max_length=6)] | None = None
    transitions: Annotated[list[TransitionIn], Field(max_length=6)] = []
    reason: Text2000 = ""


class ScenarioWeightsIn(Strict):
    """New weights of named scenarios and why (kept with each scenario and in the log)."""

    weights: Annotated[dict[str, Annotated[float, Field(ge=0.0, le=1000.0)]], Field(min_length=1)]
    reason: Annotated[str, Field(min_length=1, max_length=2000)]


class ScenarioOut(BaseModel):
    """A stored scenario, its weight, its share of the case's probability, and why."""

    id: int
    case_id: int
    name: str
    weight: float
    share: float
    share_now: float | None = None
    """The scenario's share in the latest drift cloud, after the searches recorded since
    (None before a drift of the scenarios)."""
    spec: dict[str, Any]
    reason: str
    updated: datetime
    updated_by: str


class ScenarioResolveIn(Strict):
    """Keep one scenario (at a confirmed position, when given) and rule out the others."""

    reason: Annotated[str, Field(min_length=1, max_length=2000)]
    lat: Lat | None = None
    lon: Lon | None = None
    radius_nm: Annotated[float, Field(ge=0.0, le=200.0)] | None = None
