#!/usr/bin/env bash
# Create the separate environment in which benchmarks/drift_bench.py runs OpenDrift (the peer).
# It lives in benchmarks/.env-opendrift (git-ignored) and needs nothing from littoral's venv.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python3 -m venv "$here/.env-opendrift"
"$here/.env-opendrift/bin/pip" install --quiet --upgrade pip
"$here/.env-opendrift/bin/pip" install --quiet opendrift
"$here/.env-opendrift/bin/python" -c "import opendrift; print('opendrift', opendrift.__version__)"
