"""The tag block reader's shortcuts for the usual forms agree with reading field by field."""

from __future__ import annotations

import pytest

from littoral.ais.tagblock import TagReader


def _line(body: str) -> tuple[str, int]:
    check = 0
    for char in body:
        check ^= ord(char)
    text = f"\\{body}*{check:02X}\\!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    return text, len(body) + 4


BODIES = [
    "s:r2730001,c:1791331200",
    "s:r2730001,c:1791331201",
    "s:r2730001,c:1791331200000",
    "s:r2730001,c:99999999999999999",
    "s:r2730001,c:",
    "s:,c:1791331200",
    "s:a,b,c:1791331200",
    "s:r1,c:1791331200,q:u",
    "s:r1,c:1791331200,c:1791331300",
    "s:r1,x",
    "g:1-2-12345,s:r2730001,c:1791331200",
    "g:2-2-12345",
    "g:2-2-x12345",
    "g:2-2-12345,c:1791331200",
    "g:2-2",
    "c:1791331200,s:r2730001,q:u,T:2026-10-14 00.00.00",
    "c:1791331200",
    "d:x,s:r1,c:1791331200",
]


@pytest.mark.parametrize("body", BODIES)
def test_each_form_reads_as_field_by_field(body: str) -> None:
    text, close = _line(body)
    assert text[close] == "\\"
    reader = TagReader()
    expected = TagReader()._read(body)
    assert reader.tag(text, close, True) == expected
    assert reader.tag(text, close, True) == expected  # (again, from the caches)
