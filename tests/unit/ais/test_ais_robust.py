"""Nothing raises out of the decoder, and every line is counted.

Garbage, truncation, wrong checksums, shuffled fragments, and a fuzz run of the sentence
parser bounded by its number of examples (a few seconds).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyais.encode import encode_dict

from littoral.ais import Decoder, Outcome, RawLine, Reason
from littoral.ais.sixbit import checksum

T0 = datetime(2026, 5, 1, tzinfo=UTC)
VALID = [
    "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A",
    "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C",
    "!AIVDM,2,2,1,A,88888888880,2*25",
    "\\s:rORBCOMM104,q:u,c:1418172113,T:2014-12-10 00.41.53*55\\"
    "!AIVDM,1,1,,B,13F?Vv700<DJuLEtvep`iToV0<00,0*78",
    "!AIVDM,1,1,,A,403Ovl@000Htt<tSF0l4Q@100`Pq,0*28,d-109,S2105,r003669946,1325394060",
    "$GPGGA,213950.00,5250.53669,N,00542.34920,E,1,09,1.03,-6.0,M,45.8,M,,*7B",
]
ARMOUR = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


def run(lines: list[str]) -> Decoder:
    decoder = Decoder(keep_messages=True)
    raws = [RawLine(t, "fuzz", T0 + timedelta(seconds=i)) for i, t in enumerate(lines)]
    batch = decoder.decode_lines(raws)
    batch.extend(decoder.flush())
    stats = decoder.stats
    # a decode error may only come from pyais refusing a payload, never from a bug here
    for reject in batch.rejects:
        if reject.reason == Reason.DECODE_ERROR:
            assert reject.detail.startswith("pyais cannot decode"), reject
    # every line counted exactly once; every rejection returned in quarantine
    assert stats.lines == len(lines) == sum(stats.by_outcome.values())
    assert len(batch.rejects) == stats.rejected
    assert stats.by_outcome[Outcome.REJECTED] <= stats.rejected
    assert sum(stats.by_type.values()) == stats.messages == len(batch.messages)
    for record in batch.positions:
        assert -90 <= record.lat <= 90
        assert -180 <= record.lon <= 180
        assert record.time.tzinfo is not None
    return decoder


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=20))
def test_random_text_never_raises(lines: list[str]) -> None:
    run([line.replace("\n", " ") for line in lines])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=100), max_size=10))
def test_random_bytes_decoded_as_latin1_never_raise(chunks: list[bytes]) -> None:
    run([c.decode("latin-1").replace("\n", " ") for c in chunks])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID), st.integers(0, 140))
def test_truncated_lines_never_raise(text: str, cut: int) -> None:
    run([text[:cut]])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VALID[:5]), st.integers(0, 200), st.characters())
def test_a_changed_character_is_caught_by_the_checksum(text: str, where: int, char: str) -> None:
    where %= len(text)
    changed = text[:where] + char + text[where + 1 :]
    decoder = run([changed])
    star = text.index("*", text.find("!"))
    inside = text.find("!") < where < star
    if changed != text and inside and char.isascii() and char not in "\n\r":
        # XOR checksums catch every change of one ASCII character
        assert decoder.stats.messages == 0


def test_wrong_checksums_are_all_counted() -> None:
    rng = random.Random(7)
    lines = []
    for _ in range(200):
        text = VALID[0]
        good = int(text[-2:], 16)
        bad = (good + rng.randint(1, 255)) % 256
        lines.append(f"{text[:-2]}{bad:02X}")
    decoder = run(lines)
    assert decoder.stats.by_reason == {Reason.CHECKSUM: 200}


def _multipart_lines(count: int, rng: random.Random) -> list[str]:
    lines = []
    for i in range(count):
        data = {
            "type": 5,
            "mmsi": 273_000_000 + i,
            "shipname": f"SHIP {i}",
            "destination": "MAKHACHKALA",
        }
        lines += encode_dict(data, talker_id="AI", sentence_type="VDM", seq_id=i % 10)
    rng.shuffle(lines)
    return lines


def test_shuffled_fragments_are_all_counted() -> None:
    rng = random.Random(11)
    lines = _multipart_lines(300, rng)
    decoder = Decoder()
    raws = [RawLine(t, "fuzz", T0 + timedelta(seconds=i)) for i, t in enumerate(lines)]
    batch = decoder.decode_lines(raws)
    batch.extend(decoder.flush())
    stats = decoder.stats
    assert stats.by_outcome == {Outcome.FRAGMENT: 600}
    # every fragment is either in an assembled message or in a discarded group: none vanishes
    assembled = stats.by_type[5]
    discarded = sum(len(r.line.split("\n")) for r in batch.rejects)
    assert assembled > 0
    assert assembled * 2 + discarded == 600
    assert sum(stats.by_reason.values()) == len(batch.rejects)
    assert set(stats.by_reason) <= {
        Reason.FRAGMENT_EXPIRED,
        Reason.FRAGMENT_REPLACED,
        Reason.FRAGMENT_ORPHAN,
    }


def test_unshuffled_fragments_all_assemble() -> None:
    lines = []
    for i in range(100):
        data = {"type": 5, "mmsi": 273_000_000 + i, "shipname": f"SHIP {i}"}
        lines += encode_dict(data, talker_id="AI", sentence_type="VDM", seq_id=i % 10)
    decoder = run(lines)
    assert decoder.stats.by_type[5] == 100
    assert decoder.stats.rejected == 0


nmea_chars = st.sampled_from(list(ARMOUR + ",*!\\$:0123456789ABCDEFVDMO-"))


@st.composite
def sentence_like(draw: st.DrawFn) -> str:
    """Lines close to valid NMEA, with a correct checksum so the parser goes deep."""
    fields = [
        draw(st.sampled_from(["AIVDM", "AIVDO", "BSVDM", "AIVDX", "GPRMC", ""])),
        draw(st.sampled_from(["1", "2", "3", "0", "10", "x", ""])),
        draw(st.sampled_from(["1", "2", "3", "0", "9", ""])),
        draw(st.sampled_from(["", "0", "1", "9", "12"])),
        draw(st.sampled_from(["A", "B", "1", "2", ""])),
        draw(st.text(alphabet=nmea_chars, max_size=90)),
        draw(st.sampled_from(["0", "2", "4", "5", "6", "-1", "x", ""])),
    ]
    if draw(st.booleans()):
        fields = fields[: draw(st.integers(0, 7))]
    body = ",".join(fields)
    text = f"!{body}*{checksum(body):02X}"
    if draw(st.booleans()):
        inner = draw(st.text(alphabet=nmea_chars, max_size=40))
        text = f"\\{inner}*{checksum(inner):02X}\\{text}"
    if draw(st.booleans()):
        text += draw(st.text(alphabet=nmea_chars, max_size=40))
    return text


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(sentence_like(), min_size=1, max_size=8))
def test_fuzz_the_sentence_parser(lines: list[str]) -> None:
    run(lines)
