"""Several processes opening the same new SQLite store at once all get it, tables made once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from littoral.store import open_store
from littoral.store.service import ServiceStore

OPEN = """
import sys, time
from littoral.store import open_store
from littoral.store.service import ServiceStore
start = float(sys.argv[2])
while time.time() < start:  # all at the same moment, imports done
    pass
with open_store("sqlite:///" + sys.argv[1]) as store:
    ServiceStore(store.engine).create()
    print(store.positions.count())
"""


def test_processes_opening_a_new_file_together(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for attempt in range(4):
        path = tmp_path / f"new{attempt}.db"
        start = time.time() + 4.0
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN, str(path), str(start)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                text=True,
            )
            for _ in range(3)
        ]
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], outputs
        assert [o.split()[-1] for o in outputs] == ["0", "0", "0"], outputs
        with open_store(f"sqlite:///{path}") as store:
            ServiceStore(store.engine).create()
            assert store.positions.count() == 0
