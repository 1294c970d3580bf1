"""Output paths checked before any work is done.

A drift or a model run can take minutes; finding only at the end that its output folder does
not exist loses them. Each command checks its output paths first and refuses a bad one by its
option and value.
"""

from __future__ import annotations

import os
from pathlib import Path

from littoral.errors import InputError


def check_output_file(path: str | Path | None, option: str) -> None:
    """Refuse an output file whose folder is missing or not writable, or that is a folder.

    ``None`` (option not given) passes.

    >>> check_output_file("/nonexistent/x.nc", "--out")
    Traceback (most recent call last):
    ...
    littoral.errors.InputError: --out '/nonexistent/x.nc': folder '/nonexistent' does not exist
    """
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} {str(path)!r} is a folder, not a file")
    _check_folder(target.parent, option, path)


def check_output_folder(path: str | Path, option: str) -> None:
    """Refuse an output folder that is a file, or whose parent is missing or not writable."""
    target = Path(path)
    if target.exists():
        if not target.is_dir():
            raise InputError(f"{option} {str(path)!r} is a file, not a folder")
        _check_folder(target, option, path)
        return
    _check_folder(target.parent, option, path)


def _check_folder(folder: Path, option: str, given: str | Path) -> None:
    shown = str(folder) if str(folder) else "."
    if not folder.exists():
        raise InputError(f"{option} {str(given)!r}: folder {shown!r} does not exist")
    if not folder.is_dir():
        raise InputError(f"{option} {str(given)!r}: {shown!r} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{option} {str(given)!r}: folder {shown!r} is not writable")
