"""Identity changes: a ship's name, call sign or IMO number changes under one MMSI."""

from datetime import timedelta

from littoral.records import Priority, StaticReport

from .scripts import OPEN_SEA, T0, of, run, track

SHIP = 273_444_555


def static(minute: float, mmsi: int = SHIP, msg_type: int = 5, **fields: object) -> StaticReport:
    return StaticReport(mmsi=mmsi, time=T0 + timedelta(minutes=minute), msg_type=msg_type,
                        **fields)  # type: ignore[arg-type]  # fmt: skip


def sailing(mmsi: int = SHIP) -> list:
    return track(mmsi, T0, *OPEN_SEA, minutes=120, speed_kn=10)


def test_a_name_change_raises_one_alert_with_old_and_new():
    statics = [static(m, name="VOLGA STAR", callsign="UBCD7", imo=9123456) for m in (0, 6, 12)]
    statics += [static(m, name="CASPIAN PEARL", callsign="UBCD7", imo=9123456) for m in (30, 36)]
    engine, _ = run(sailing() + statics)
    (alert,) = of(engine, "identity")
    assert alert.priority == Priority.MEDIUM
    assert alert.start == T0 + timedelta(minutes=30)
    assert alert.details["fields"] == ["name"]
    assert "name VOLGA STAR -> CASPIAN PEARL" in alert.reason
    assert alert.details["alternating"] is False


def test_call_sign_and_imo_changes_are_raised():
    statics = [static(0, name="A", callsign="UBCD7", imo=9123456),
               static(20, callsign="UBXX1", imo=9876543)]  # fmt: skip
    engine, _ = run(sailing() + statics)
    (alert,) = of(engine, "identity")
    assert alert.details["fields"] == ["callsign", "imo"]
    assert "call sign UBCD7 -> UBXX1" in alert.reason


def test_padding_case_missing_fields_and_imo_zero_are_not_changes():
    statics = [
        static(0, name="VOLGA STAR", callsign="UBCD7", imo=9123456),
        static(6, name="volga  star@@@@", callsign="UBCD7@", imo=0),
        static(12, msg_type=24, name="VOLGA STAR"),  # class B part A: no call sign
        static(13, msg_type=24, callsign="UBCD7", ship_type=70),  # part B: no name
        static(18, name="VOLGA STAR", callsign=None, imo=None),
    ]
    engine, _ = run(sailing() + statics)
    assert of(engine, "identity") == []


def test_an_identity_that_comes_back_is_two_ships_on_one_mmsi():
    statics = [static(0, name="VOLGA STAR"), static(10, name="SHAH DENIZ 2"),
               static(20, name="VOLGA STAR"), static(30, name="SHAH DENIZ 2")]  # fmt: skip
    engine, _ = run(sailing() + statics)
    (alert,) = of(engine, "identity")
    assert alert.priority == Priority.HIGH
    assert alert.details["alternating"] is True
    assert alert.details["count"] == 3
    assert "two identities" in alert.reason


def test_aids_to_navigation_and_quiet_periods():
    aton = 992_731_234
    statics = [static(0, mmsi=aton, msg_type=21, name="BUOY 1"),
               static(10, mmsi=aton, msg_type=21, name="BUOY 1 OFF POSITION")]  # fmt: skip
    engine, _ = run(track(aton, T0, *OPEN_SEA, minutes=30) + statics)
    assert of(engine, "identity") == []
    # a change closes a day after it when nothing more changes
    statics = [static(0, name="A"), static(10, name="B")]
    engine, _ = run(sailing() + statics, until=T0 + timedelta(days=2))
    (alert,) = of(engine, "identity")
    assert alert.end == T0 + timedelta(minutes=10)
