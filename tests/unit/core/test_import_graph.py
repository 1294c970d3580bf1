"""The architecture picture is drawn from the real import graph and the layers contract."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts/import_graph.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_package_is_in_one_layer_and_imports_go_down() -> None:
    script = _script()
    rows = script.contract_rows()
    row_of = {name: depth for depth, row in enumerate(rows) for name in row}
    assert sum(len(row) for row in rows) == len(row_of)  # no package in two rows
    packages = {p.name for p in (ROOT / "src/littoral").iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in (ROOT / "src/littoral").glob("*.py") if p.stem != "__init__"}
    assert packages | modules == set(row_of)
    edges = script.package_edges()
    assert ("ais", "records") in edges
    assert ("ais", "tracks") not in edges  # the report types are records, not tracks'
    assert all(row_of[a] <= row_of[b] for a, b in edges), edges


def test_the_picture_names_every_package(tmp_path: Path) -> None:
    script = _script()
    out = tmp_path / "graph.svg"
    script.draw(out)
    text = out.read_text(encoding="utf-8")
    for row in script.contract_rows():
        for name in row:
            assert re.search(rf">\s*{name}\s*<", text), name
