"""``littoral case keygen|export|import``: a centre's key, and signed case packages.

``littoral case keygen --centre AZ --out keys/`` writes ``keys/AZ.key`` (private, readable by
its owner only) and ``keys/AZ.pub`` (to give to the other centres).
``littoral case export CASE --key keys/AZ.key --db URL -o case.zip`` writes the case as a
package signed by that centre; ``littoral case import case.zip --trusted trusted/ --db URL``
makes a new case from a package a trusted centre signed (``trusted/<CENTRE>.pub``), and
refuses a tampered one, naming what is wrong.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(actions: Any, store_options: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the package sub-commands to ``littoral case``."""
    keygen = actions.add_parser(
        "keygen",
        help="write a centre's Ed25519 key pair for signing case packages",
        description="Write CENTRE.key (private, mode 600) and CENTRE.pub into --out.",
    )
    keygen.add_argument("--centre", required=True, help="the centre's code, e.g. AZ")
    keygen.add_argument("--out", type=Path, required=True, help="folder for the two key files")
    keygen.set_defaults(func=_keygen)
    export = actions.add_parser(
        "export",
        help="write a case as a package signed with the centre's key",
        description="JSON, GPX, NetCDF and the messages of a case, in one signed zip.",
    )
    export.add_argument("case", type=int, help="the case id")
    export.add_argument(
        "--key",
        type=Path,
        default=os.environ.get("LITTORAL_PACKAGE_KEY"),
        help="the centre's private key (default $LITTORAL_PACKAGE_KEY)",
    )
    export.add_argument("-o", "--output", type=Path, required=True, help="the package to write")
    store_options(export)
    export.set_defaults(func=_export)
    take = actions.add_parser(
        "import",
        help="make a new case from a package a trusted centre signed",
        description="Verify a package against the trusted centres' keys and import its case.",
    )
    take.add_argument("package", type=Path, help="the package (zip)")
    take.add_argument(
        "--trusted",
        type=Path,
        default=os.environ.get("LITTORAL_TRUSTED_KEYS"),
        help="folder of trusted centres' CENTRE.pub files (default $LITTORAL_TRUSTED_KEYS)",
    )
    take.add_argument("--json", action="store_true", help="print one JSON object")
    store_options(take)
    take.set_defaults(func=_import)


def _keygen(args: argparse.Namespace) -> int:
    from littoral.services.package_sign import generate_keys

    private, public = generate_keys(args.centre, args.out)
    print(f"private key {private} (keep it on this centre's machines only)")
    print(f"public key  {public} (give it to the centres that receive your packages)")
    return 0


def _user(args: argparse.Namespace) -> Any:
    from littoral.services import Role, system_user

    return system_user(args.user, args.state, Role.COORDINATOR)


def _export(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.errors import InputError
    from littoral.services.context import opened
    from littoral.services.package import PackageDesk
    from littoral.services.package_sign import load_signing_key

    if args.key is None:
        raise InputError("no signing key: give --key or set $LITTORAL_PACKAGE_KEY")
    key = load_signing_key(args.key)
    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        data = PackageDesk(ctx, _user(args)).export(args.case, key)
    args.output.write_bytes(data)
    print(f"case {args.case} written to {args.output} ({len(data)} bytes), signed by {key.centre}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from littoral.clock import SystemClock
    from littoral.errors import InputError
    from littoral.services.context import opened
    from littoral.services.package import PackageDesk, read_package_file

    if args.trusted is None:
        raise InputError("no trusted keys: give --trusted or set $LITTORAL_TRUSTED_KEYS")
    data = read_package_file(args.package)
    with opened(args.db, SystemClock(), data_dir=args.data_dir, watch=False) as ctx:
        done = PackageDesk(ctx, _user(args)).import_(data, args.trusted)
    if args.json:
        out = {
            "case_id": done.case.id,
            "sender": done.sender,
            "key_id": done.key_id,
            "source_case_id": done.source_case_id,
            "run_ids": {str(k): v for k, v in done.run_ids.items()},
        }
        print(json.dumps(out))
        return 0
    print(
        f"case {done.case.id} imported from {done.sender}'s case {done.source_case_id} "
        f"(key {done.key_id}); runs {done.run_ids}"
    )
    return 0
