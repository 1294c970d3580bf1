"""What a command loads before it starts: the ingest without the drift, mask and web stacks.

``littoral.services`` and ``littoral.geo`` import their heavy modules on first use (PEP 562),
so ``littoral ingest`` starts in about half the time, and the first full collection of the
cyclic garbage collector walks a heap half the size (``docs/ais.md``, a sixth round).
"""

from __future__ import annotations

import json
import subprocess
import sys
from types import ModuleType

import pytest

import littoral.geo
import littoral.services

HEAVY = ("numba", "shapely", "scipy", "fastapi", "littoral.geo.mask", "littoral.services.cases")


def _loaded_by(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_the_ingest_starts_without_the_heavy_stacks() -> None:
    loaded = _loaded_by(
        "import littoral.services.ingest, littoral.store, littoral.ais.sources\n"
        "import littoral.services.decode_worker"
    )
    assert "littoral.services.ingest" in loaded
    assert "littoral.geo.flags" in loaded  # (the picture's flags: a light module)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_every_public_name_is_there_when_asked_for() -> None:
    for package in (littoral.geo, littoral.services):
        assert set(package.__all__) <= set(dir(package))
        for name in package.__all__:
            value = getattr(package, name)
            assert getattr(value, "__name__", name) == name, (package.__name__, name)


@pytest.mark.parametrize("package", [littoral.geo, littoral.services])
def test_a_name_that_is_not_there_is_named(package: ModuleType) -> None:
    with pytest.raises(AttributeError, match="no_such_name"):
        package.no_such_name  # noqa: B018


def test_a_function_named_as_its_module_stays_the_function() -> None:
    loaded = _loaded_by(
        "import littoral.geo.places, littoral.geo.zones\n"
        "from littoral.geo import places, zone_at\n"
        "assert callable(places) and callable(zone_at), (places, zone_at)"
    )
    assert "littoral.geo.zones" in loaded
