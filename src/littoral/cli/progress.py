r"""A progress bar for long commands, drawn only on a terminal.

On a terminal the bar is one line rewritten in place (``\r``). Anywhere else (a log file, a
pipe, a test) nothing is drawn: rewritten frames would pile up in the log as one long line of
carriage returns, and the command's own summary line says when it is done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Callable taking the finished fraction (0..1), drawing a bar on a terminal only.

    Parameters
    ----------
    stream:
        Where to draw (standard error by default).
    enabled:
        False to draw nothing even on a terminal (``--quiet``).
    """

    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._t0 = time.perf_counter()
        self._open = False
        self.drawing = enabled and _is_terminal(self._stream)

    def __call__(self, frac: float) -> None:
        """Draw the bar at ``frac`` finished; end the line at 1."""
        if not self.drawing:
            return
        filled = round(min(max(frac, 0.0), 1.0) * self.WIDTH)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        elapsed_s = time.perf_counter() - self._t0
        self._stream.write(f"\r[{bar}] {frac:4.0%} {elapsed_s:5.1f} s")
        self._open = True
        if frac >= 1.0:
            self.close()
        else:
            self._stream.flush()

    def close(self) -> None:
        """End the bar's line if one is drawn."""
        if self._open:
            self._stream.write("\n")
            self._stream.flush()
            self._open = False


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty()) if callable(isatty) else False
