"""Draw littoral's package import graph, in the layers the import contract declares.

The packages and their imports are read from the code itself (grimp, the graph library of
import-linter), the rows from the ``layers`` contract in ``pyproject.toml``, so the picture
cannot drift from what ``lint-imports`` checks. An arrow ``a -> b`` means some module of
``a`` imports some module of ``b``: orange from the interfaces, green from the services, blue
between domain packages (with the number of module pairs); imports of the bottom rows
(records, units, clock, errors, ...), which every package may make, are drawn thin and grey.

Usage::

    python scripts/import_graph.py [--out docs/design/0001-architecture.svg]

It stops with an error naming the package when a package of ``src/littoral`` is missing from
the layers contract, or when an import goes upwards (``lint-imports`` says why).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "littoral"
BASIC_ROWS = 3
"""The last rows of the contract (shared records and basic modules) that everyone may use."""


def contract_rows() -> list[list[str]]:
    """The rows of the layers contract, top first, each a list of package names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for contract in config["tool"]["importlinter"]["contracts"]:
        if contract["type"] == "layers":
            return [re.split(r"\s*[|:]\s*", layer.strip()) for layer in contract["layers"]]
    raise SystemExit("pyproject.toml has no layers contract under [tool.importlinter]")


def package_edges() -> Counter[tuple[str, str]]:
    """Count module imports between the top-level packages of littoral."""
    import grimp

    sys.path.insert(0, str(ROOT / "src"))
    graph = grimp.build_graph(PACKAGE, cache_dir=None)
    edges: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        parts = module.split(".")
        if len(parts) < 2:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) >= 2 and other[1] != parts[1]:
                edges[(parts[1], other[1])] += 1
    return edges


def positions(rows: list[list[str]]) -> dict[str, tuple[float, float]]:
    """Place the packages: the interface layers as a staircase, then one line per layer.

    The layers above ``services`` hold one interface each; they step down from left to right
    so that their arrows do not pass through one another. A lone layer between ``services``
    and ``geo`` steps aside for the same reason. The bottom rows sit closer.
    """
    width = float(max(len(row) for row in rows) - 1)
    top = next((i for i, row in enumerate(rows) if row == ["services"]), 0)
    places: dict[str, tuple[float, float]] = {}
    for i, row in enumerate(rows[:top]):
        for name in row:
            places[name] = (width * i / max(top - 1, 1), -0.45 * i)
    y = -0.45 * (top - 1) - 1.0
    for depth, row in enumerate(rows[top:], start=top):
        basic = depth >= len(rows) - BASIC_ROWS
        spread = width if len(row) > 2 else width / 2
        left = (width - spread) / 2
        for i, name in enumerate(row):
            x = left + spread * i / (len(row) - 1) if len(row) > 1 else width / 2
            if len(row) == 1 and top < depth < len(rows) - BASIC_ROWS - 1:
                x -= width / 5  # a lone middle layer steps aside from the centre's arrows
            places[name] = (x, y)
        y -= 0.7 if basic else 1.0
    return places


def draw(out: Path) -> None:
    """Write the picture to ``out`` (SVG or PNG, by its suffix)."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "littoral"
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    rows = contract_rows()
    edges = package_edges()
    row_of = {name: depth for depth, row in enumerate(rows) for name in row}
    present = {name for pair in edges for name in pair}
    missing = sorted(present - row_of.keys())
    if missing:
        raise SystemExit(f"packages {missing} are not in the layers contract of pyproject.toml")
    upward = sorted((a, b) for a, b in edges if row_of[a] > row_of[b])
    if upward:
        raise SystemExit(f"imports against the layers: {upward}; run lint-imports")
    basic = {name for row in rows[-BASIC_ROWS:] for name in row}
    place = positions(rows)

    interfaces = {name for row in rows[: row_of.get("services", 0)] for name in row}

    fig, ax = plt.subplots(figsize=(12, 8))
    for (a, b), count in sorted(edges.items()):
        (x0, y0), (x1, y1) = place[a], place[b]
        light = b in basic
        same_row = y0 == y1
        colour = "#d9a066" if a in interfaces else "#2a7f62" if a == "services" else "#33658a"
        ax.add_patch(
            FancyArrowPatch(
                (x0, y0),
                (x1, y1),
                arrowstyle="-|>",
                mutation_scale=9 if light else 12,
                shrinkA=18,
                shrinkB=18,
                connectionstyle=f"arc3,rad={0.35 if same_row else 0.08}",
                color="#cccccc" if light else colour,
                linewidth=0.5 if light else 0.8 + 0.2 * min(count, 8),
                zorder=1 if light else 2,
                alpha=0.7 if a in interfaces else 1.0,
            )
        )
        if not light and a not in interfaces:
            t = 0.5 if same_row else 0.42
            ax.text(
                x0 + (x1 - x0) * t,
                y0 + (y1 - y0) * t + (0.2 if same_row else 0),
                str(count),
                fontsize=7,
                color=colour,
                ha="center",
                va="center",
                zorder=3,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    colours = {"interface": "#f6d8ae", "services": "#b8e0d2", "domain": "#d6eadf"}
    for name, (x, y) in place.items():
        depth = row_of[name]
        if name in basic:
            colour = "#eeeeee"
        elif name == "services":
            colour = colours["services"]
        elif depth < row_of.get("services", 0):
            colour = colours["interface"]
        else:
            colour = colours["domain"]
        ax.text(
            x,
            y,
            name,
            ha="center",
            va="center",
            fontsize=11,
            zorder=4,
            bbox={"boxstyle": "round,pad=0.45", "fc": colour, "ec": "#555555"},
        )
    ax.set_xlim(-0.6, max(x for x, _ in place.values()) + 0.6)
    ax.set_ylim(min(y for _, y in place.values()) - 0.4, 0.4)
    ax.set_axis_off()
    ax.set_title(
        "littoral: package imports (importer -> imported; number: module pairs)",
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(out, metadata={"Date": None} if out.suffix == ".svg" else None)
    plt.close(fig)


def main() -> None:
    """Parse the command line and write the picture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs/design/0001-architecture.svg")
    args = parser.parse_args()
    draw(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
