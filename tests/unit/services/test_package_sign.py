"""Signed packages: every changed byte, added or removed member and untrusted key refused."""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

from littoral.errors import InputError
from littoral.services.package_sign import (
    MANIFEST,
    SIGNATURE,
    PackageError,
    canonical_zip,
    generate_keys,
    load_signing_key,
    sign_package,
    verify_package,
)

MEMBERS = {
    "case.json": b'{"case": {"title": "Ulduz"}}',
    "plans/plan-2.gpx": b"<gpx/>",
    "messages/sitrep.en.txt": b"SITREP AZ-1 NO 1\n",
}
CREATED = "2026-05-01T06:00:00+00:00"


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """AZ's key pair, and a receiver's folder trusting AZ."""
    private, public = generate_keys("AZ", tmp_path / "az")
    trusted = tmp_path / "trusted"
    trusted.mkdir()
    shutil.copy(public, trusted / "AZ.pub")
    return private, trusted


def test_a_signed_package_verifies_with_every_member(keys: tuple[Path, Path]) -> None:
    private, trusted = keys
    data = sign_package(MEMBERS, load_signing_key(private), CREATED)
    package = verify_package(data, trusted)
    assert package.members == MEMBERS
    assert package.sender == "AZ"
    assert package.created == CREATED
    assert len(package.key_id) == 16
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    # the same members and time make the same bytes: the archive is canonical
    assert sign_package(MEMBERS, load_signing_key(private), CREATED)[:-200] == data[:-200]


def test_any_changed_byte_is_refused(keys: tuple[Path, Path]) -> None:
    private, trusted = keys
    data = sign_package(MEMBERS, load_signing_key(private), CREATED)
    reasons = set()
    for k in range(len(data)):
        tampered = bytearray(data)
        tampered[k] ^= 0x01
        with pytest.raises(PackageError) as refused:
            verify_package(bytes(tampered), trusted)
        reasons.add(str(refused.value).split(":")[0][:40])
    assert len(reasons) >= 3  # the reasons name what is wrong, not one blanket message
    with pytest.raises(PackageError, match="differ from the signed archive"):
        verify_package(data + b"\0", trusted)


def _rezip(data: bytes, drop: str | None = None, add: tuple[str, bytes] | None = None) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [(n, z.read(n)) for n in z.namelist() if n != drop]
    if add is not None:
        members.insert(0, add)
    return canonical_zip(members)


def test_members_added_or_removed_are_named(keys: tuple[Path, Path]) -> None:
    private, trusted = keys
    data = sign_package(MEMBERS, load_signing_key(private), CREATED)
    assert verify_package(_rezip(data), trusted).members == MEMBERS
    with pytest.raises(PackageError, match=r"missing: \['plans/plan-2.gpx'\]"):
        verify_package(_rezip(data, drop="plans/plan-2.gpx"), trusted)
    with pytest.raises(PackageError, match=r"added: \['extra.txt'\]"):
        verify_package(_rezip(data, add=("extra.txt", b"x")), trusted)
    with pytest.raises(PackageError, match="not signed"):
        verify_package(_rezip(data, drop=SIGNATURE), trusted)
    with pytest.raises(PackageError, match="not signed"):
        verify_package(_rezip(data, drop=MANIFEST), trusted)


def test_untrusted_senders_and_other_keys_are_refused(
    keys: tuple[Path, Path], tmp_path: Path
) -> None:
    private, trusted = keys
    data = sign_package(MEMBERS, load_signing_key(private), CREATED)
    with pytest.raises(PackageError, match="sender 'AZ' is not a trusted centre"):
        verify_package(data, tmp_path)
    # a key that claims to be AZ's but is not the one AZ gave
    impostor, _ = generate_keys("AZ", tmp_path / "impostor")
    forged = sign_package(MEMBERS, load_signing_key(impostor), CREATED)
    with pytest.raises(PackageError, match="does not verify under AZ's trusted key"):
        verify_package(forged, trusted)
    with pytest.raises(PackageError, match="not a readable zip"):
        verify_package(b"PK\x03\x04 not really", trusted)


def test_keys_are_never_overwritten_and_bad_ones_named(tmp_path: Path) -> None:
    generate_keys("KZ", tmp_path)
    with pytest.raises(InputError, match="is not overwritten"):
        generate_keys("KZ", tmp_path)
    with pytest.raises(InputError, match="centre='kz'"):
        generate_keys("kz", tmp_path)
    (tmp_path / "bad.key").write_text("not a key")
    with pytest.raises(InputError, match="is not a PEM private key"):
        load_signing_key(tmp_path / "bad.key", "KZ")
    with pytest.raises(InputError, match="cannot be read"):
        load_signing_key(tmp_path / "none.key", "KZ")
    with pytest.raises(InputError, match=r"member name=.\.\./x."):
        sign_package({"../x": b""}, load_signing_key(tmp_path / "KZ.key"), CREATED)
