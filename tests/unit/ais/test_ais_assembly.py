"""Multi-sentence assembly: a stray fragment never joins the next message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pyais.encode import encode_dict

from littoral.ais import Decoder, RawLine, Reason
from littoral.ais.sixbit import checksum
from littoral.records.reports import StaticReport

T0 = datetime(2024, 3, 1, 12, tzinfo=UTC)


def _type5(mmsi: int, name: str, destination: str, seq: int) -> list[str]:
    data = {
        "type": 5,
        "mmsi": mmsi,
        "shipname": name,
        "callsign": "C6AB7",
        "destination": destination,
        "ship_type": 80,
        "imo": 9_300_000 + mmsi % 100_000,
        "draught": 11.5,
    }
    return encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A", seq_id=seq)


def _type21(mmsi: int, name: str, seq: int) -> list[str]:
    """A type 21 with a name extension, in two sentences as receivers send a long one."""
    data = {
        "type": 21,
        "mmsi": mmsi,
        "name": name[:20],
        "name_ext": name[20:],
        "lon": -93.9,
        "lat": 29.98,
        "aid_type": 14,
    }
    (one,) = encode_dict(data, talker_id="AI", sentence_type="VDM", radio_channel="A")
    payload, fill = one.split(",")[5], one.split(",")[6][0]
    bodies = [f"AIVDM,2,1,{seq},A,{payload[:40]},0", f"AIVDM,2,2,{seq},A,{payload[40:]},{fill}"]
    return [f"!{body}*{checksum(body):02X}" for body in bodies]


def _run(texts: list[str], vectorised: bool) -> tuple[Decoder, list[StaticReport], list[str]]:
    decoder = Decoder(vectorised=vectorised)
    raws = [RawLine(t, "rx", T0 + timedelta(seconds=i)) for i, t in enumerate(texts)]
    batch = decoder.decode_lines(raws)
    batch.extend(decoder.flush())
    return decoder, batch.statics, [r.reason for r in batch.rejects]


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_stray_second_fragment_is_not_glued_to_the_next_message(vectorised: bool) -> None:
    lost = _type5(352001234, "GULF TRADER", "PORT ARTHUR ANCH", seq=3)
    motiva = _type5(538004321, "NORDIC HAWK", "MOTIVA CONVENT", seq=3)
    assert len(lost) == len(motiva) == 2
    # fragment 1 of the first message was lost on the air; its fragment 2 is left over
    decoder, statics, reasons = _run([lost[1], *motiva], vectorised)
    (static,) = statics
    assert static.mmsi == 538004321
    assert static.destination == "MOTIVA CONVENT"
    assert static.name == "NORDIC HAWK"
    assert reasons == [Reason.FRAGMENT_ORPHAN]
    assert decoder.stats.by_reason == {Reason.FRAGMENT_ORPHAN: 1}


@pytest.mark.parametrize("vectorised", [True, False])
def test_aids_to_navigation_after_stray_fragments_are_decoded(vectorised: bool) -> None:
    first = _type21(993672001, "SABINE PASS JETTY LIGHT 31", seq=1)
    second = _type21(993672002, "SABINE PASS JETTY LIGHT 32", seq=1)
    assert len(first) == len(second) == 2  # the name extension makes two sentences
    leftover = _type5(367000001, "LOST", "NOWHERE", seq=1)[1]
    _decoder, statics, reasons = _run([leftover, *first, leftover, *second], vectorised)
    assert [s.mmsi for s in statics] == [993672001, 993672002]
    assert [s.name for s in statics] == [
        "SABINE PASS JETTY LIGHT 31",
        "SABINE PASS JETTY LIGHT 32",
    ]
    assert reasons == [Reason.FRAGMENT_ORPHAN, Reason.FRAGMENT_ORPHAN]


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_new_first_fragment_replaces_an_open_group(vectorised: bool) -> None:
    broken = _type5(352001234, "GULF TRADER", "PORT ARTHUR ANCH", seq=5)
    good = _type5(538004321, "NORDIC HAWK", "MOTIVA CONVENT", seq=5)
    # fragment 2 of the first message was lost: its fragment 1 must not take the next one's 2
    _decoder, statics, reasons = _run([broken[0], *good], vectorised)
    assert [s.destination for s in statics] == ["MOTIVA CONVENT"]
    assert reasons == [Reason.FRAGMENT_REPLACED]


def test_groups_expire_by_tag_block_time() -> None:
    def tagged(text: str, seconds: int) -> str:
        from littoral.ais.sixbit import checksum

        inner = f"s:rx,c:{seconds}"
        return f"\\{inner}*{checksum(inner):02X}\\{text}"

    first, second = _type5(352001234, "GULF TRADER", "HOUSTON", seq=2)
    later = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    c0 = int(T0.timestamp())
    decoder = Decoder(fragment_timeout_s=60)
    # all lines read at the same instant (a file): the tag-block times decide
    texts = [tagged(first, c0), tagged(later, c0 + 120), tagged(second, c0 + 121)]
    batch = decoder.decode_texts(texts, "file", T0)
    assert batch.statics == []
    assert sorted(r.reason for r in batch.rejects) == [
        Reason.FRAGMENT_EXPIRED,
        Reason.FRAGMENT_ORPHAN,
    ]


@pytest.mark.parametrize("vectorised", [True, False])
def test_a_later_fragment_without_time_is_dated_by_its_group(vectorised: bool) -> None:
    first, second = _type5(273001234, "VOLGA 4", "ASTRAKHAN", seq=4)

    def tagged(text: str, inner: str) -> str:
        return f"\\{inner}*{checksum(inner):02X}\\{text}"

    c0 = int(T0.timestamp())
    texts = [tagged(first, f"g:1-2-77,s:rx,c:{c0}"), tagged(second, "g:2-2-77")]
    decoder = Decoder(vectorised=vectorised)
    # read weeks later (a file): only the first fragment carries a time
    batch = decoder.decode_texts(texts, "file", T0 + timedelta(days=50))
    batch.extend(decoder.flush())
    assert [s.destination for s in batch.statics] == ["ASTRAKHAN"]
    assert batch.statics[0].time == T0
    assert batch.rejects == []
