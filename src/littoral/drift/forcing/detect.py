r"""Open a forcing source by what it contains, never by its name.

The first bytes of a file say what it is (:func:`sniff`): ``GRIB`` (editions 1 and 2, also
after a WMO bulletin heading), ``CDF\x01``/``CDF\x02``/``CDF\x05`` (NetCDF classic, 64-bit
offset, CDF-5), ``\x89HDF\r\n\x1a\n`` (NetCDF-4, which is HDF5), or UTF-8 text (a CSV of
on-scene observations). Anything else is refused with a message naming the file and its
first bytes. :func:`open_forcing` turns a user's argument into a reader: a URL is opened
through netCDF4 (OPeNDAP), a directory or glob pattern is read as one time series (ECMWF
open data: one GRIB file per step), a single file by its format.
"""

from __future__ import annotations

import glob
from enum import StrEnum
from pathlib import Path

from littoral.drift.forcing.base import ForcingReader
from littoral.drift.forcing.netcdf import is_url
from littoral.errors import InputError

_HEAD = 4096
_WMO_HEADING = 512
_ARCHIVES = ((b"PK\x03\x04", "ZIP"), (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"))


class Format(StrEnum):
    """What a forcing file is, by content."""

    GRIB = "GRIB"
    NETCDF3 = "NetCDF-3"
    HDF5 = "NetCDF-4/HDF5"
    CSV = "CSV text"


def sniff(path: Path) -> Format:
    """Return the format of ``path`` from its first bytes.

    Raises
    ------
    InputError
        If the file does not exist or is none of the known formats.
    """
    if not path.is_file():
        raise InputError(f"forcing file {str(path)!r} does not exist")
    with path.open("rb") as fh:
        head = fh.read(_HEAD)
    if not head:
        raise InputError(f"forcing file {str(path)!r} is empty")
    if head.startswith(b"GRIB") or b"GRIB" in head[:_WMO_HEADING]:
        return Format.GRIB
    if head[:4] in (b"CDF\x01", b"CDF\x02", b"CDF\x05"):
        return Format.NETCDF3
    if head.startswith(b"\x89HDF\r\n\x1a\n"):
        return Format.HDF5
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = ""
        if len(head) == _HEAD:  # a multi-byte character may be cut at the end
            try:
                text = head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                text = ""
    if text and all(c.isprintable() or c in "\r\n\t" for c in text.lstrip("\ufeff")):
        return Format.CSV
    for magic, what in _ARCHIVES:
        if head.startswith(magic):
            raise InputError(
                f"forcing file {str(path)!r} is a {what} archive (the CDS sends one when a "
                "request mixes kinds of data): unpack it and give the files inside"
            )
    raise InputError(
        f"forcing file {str(path)!r} is not GRIB, NetCDF (3 or 4/HDF5) or CSV text "
        f"(first bytes {head[:8]!r})"
    )


def expand(spec: str) -> list[Path]:
    """Files named by ``spec``: a file, a directory's files, or a glob pattern's matches."""
    p = Path(spec)
    if p.is_dir():
        files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
        files = [f for f in files if f.suffix != ".idx"]
        if not files:
            raise InputError(f"forcing directory {spec!r} holds no files")
        return files
    if any(c in spec for c in "*?["):
        files = sorted(Path(f) for f in glob.glob(spec) if Path(f).is_file())
        if not files:
            raise InputError(f"forcing pattern {spec!r} matches no file")
        return files
    if not p.exists():
        raise InputError(f"forcing file {spec!r} does not exist")
    return [p]


def open_forcing(spec: str, kind: str, *, fill: str | None = None) -> ForcingReader:
    """Open a forcing file, directory, glob pattern or URL as a reader.

    Parameters
    ----------
    spec:
        What the user gave.
    kind:
        ``"wind"`` or ``"current"``: how to read a CSV of observations.
    fill:
        Gap fill for gridded sources (:mod:`littoral.drift.forcing.gaps`).
    """
    from littoral.drift.forcing.grib import GribForcing
    from littoral.drift.forcing.netcdf import NetCDFForcing, NetCDFSeries
    from littoral.drift.forcing.observations import ObservationSeries

    if is_url(spec):
        return NetCDFForcing(spec, fill=fill)
    files = expand(spec)
    formats = {f: sniff(f) for f in files}
    kinds = set(formats.values())
    if len(kinds) > 1:
        listing = ", ".join(f"{f.name}: {k}" for f, k in formats.items())
        raise InputError(f"forcing {spec!r} mixes formats ({listing})")
    fmt = kinds.pop()
    if fmt is Format.GRIB:
        return GribForcing(files, fill=fill)
    if fmt is Format.CSV:
        if len(files) > 1:
            raise InputError(
                f"forcing {spec!r}: give one CSV file of observations, not {len(files)}"
            )
        return ObservationSeries.from_csv(kind, files[0])
    if len(files) == 1:
        return NetCDFForcing(files[0], fill=fill)
    return NetCDFSeries(files, fill=fill)
