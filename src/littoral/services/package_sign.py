"""Signed archives between centres: Ed25519 keys, a manifest of members, a canonical zip.

A package is a zip archive of named members. Its last two members are ``MANIFEST.json``
(format, sending centre, the signing key's id, and each other member's SHA-256 and size) and
``MANIFEST.sig``, the Ed25519 signature (RFC 8032) of the manifest's bytes by the sending
centre's private key. The archive is written canonically: members stored uncompressed, in a
fixed order, with fixed times and attributes, so it is a function of its members alone.

On receipt the archive is refused, with the reason, when it is not a zip; when a member is
missing from the manifest or the manifest lists a member the archive lacks (a member added or
removed); when a member's hash differs (a changed byte); when the sender is not a trusted
centre or the signature does not verify under that centre's public key; and when the archive
is not byte for byte the canonical archive of its members (a changed byte outside them).

A centre's key pair is generated once (:func:`generate_keys`: ``<CENTRE>.key``, PKCS#8 PEM,
readable by its owner only, and ``<CENTRE>.pub``, SubjectPublicKeyInfo PEM); the public key
goes to the other centres, who keep the trusted senders' keys in one folder, one
``<CENTRE>.pub`` each.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from littoral.errors import InputError

MANIFEST = "MANIFEST.json"
SIGNATURE = "MANIFEST.sig"
FORMAT = "littoral-case-package"
FORMAT_VERSION = 1
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
"""The largest package read (its drift clouds dominate)."""

_CENTRE = re.compile(r"^[A-Z][A-Z0-9_-]{1,31}$")
_MEMBER = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")
_EPOCH = (1980, 1, 1, 0, 0, 0)


class PackageError(InputError):
    """A package that is refused: unreadable, tampered with, or from an untrusted sender."""


def check_centre(centre: str) -> str:
    """Return ``centre`` (a centre's code such as ``AZ`` or ``MRCC_BAKU``), or refuse it."""
    if not isinstance(centre, str) or not _CENTRE.match(centre):
        raise InputError(
            f"centre={centre!r} must be 2-32 capitals, digits, '_' or '-', starting with a letter"
        )
    return centre


def key_id(public_raw: bytes) -> str:
    """Return a key's id: the first 16 hex digits of the SHA-256 of its raw public bytes."""
    return hashlib.sha256(public_raw).hexdigest()[:16]


def generate_keys(centre: str, folder: Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair of ``centre`` into ``folder``; refuse to overwrite one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    check_centre(centre)
    folder.mkdir(parents=True, exist_ok=True)
    private_path, public_path = folder / f"{centre}.key", folder / f"{centre}.pub"
    for path in (private_path, public_path):
        if path.exists():
            raise InputError(f"{str(path)!r} exists: a centre's key is not overwritten")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as f:
        f.write(private_pem)
    public_path.write_bytes(public_pem)
    return private_path, public_path


@dataclass(frozen=True, slots=True, kw_only=True)
class SigningKey:
    """A centre's private key, as read from its key file."""

    centre: str
    private: Any
    """The :class:`~cryptography.hazmat.primitives.asymmetric.ed25519.Ed25519PrivateKey`."""

    @property
    def key_id(self) -> str:
        """The id of this key's public half."""
        from cryptography.hazmat.primitives import serialization

        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return key_id(raw)


def load_signing_key(path: Path, centre: str | None = None) -> SigningKey:
    """Read a centre's private key (the centre is the file's stem unless given)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as exc:
        raise InputError(f"key={str(path)!r} cannot be read: {exc.strerror}") from None
    except (ValueError, TypeError) as exc:
        raise InputError(f"key={str(path)!r} is not a PEM private key: {exc}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(f"key={str(path)!r} is not an Ed25519 key")
    return SigningKey(centre=check_centre(centre or path.stem), private=key)


def _public_key(folder: Path, centre: str) -> Any:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    path = folder / f"{centre}.pub"
    if not path.is_file():
        raise PackageError(
            f"sender {centre!r} is not a trusted centre: no {centre}.pub among the trusted keys"
        )
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except ValueError as exc:
        raise InputError(f"trusted key {str(path)!r} is not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"trusted key {str(path)!r} is not an Ed25519 key")
    return key


def canonical_zip(members: list[tuple[str, bytes]]) -> bytes:
    """Return the archive of ``members`` in littoral's one way of writing it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def sign_package(members: dict[str, bytes], key: SigningKey, created: str) -> bytes:
    """Return the signed archive of ``members`` (name to bytes), by ``key``'s centre."""
    for name in members:
        dots = any(part in (".", "..") for part in name.split("/"))
        if not _MEMBER.match(name) or dots or name in (MANIFEST, SIGNATURE):
            raise InputError(f"member name={name!r} is not allowed in a package")
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "sender": key.centre,
        "key_id": key.key_id,
        "created": created,
        "members": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(members.items())
        },
    }
    manifest_bytes = json.dumps(manifest, sort_keys=True, indent=1).encode()
    signature = key.private.sign(manifest_bytes)
    ordered = sorted(members.items())
    return canonical_zip([*ordered, (MANIFEST, manifest_bytes), (SIGNATURE, signature)])


@dataclass(frozen=True, slots=True, kw_only=True)
class VerifiedPackage:
    """The members of a package whose signature and every byte were checked."""

    sender: str
    key_id: str
    created: str
    members: dict[str, bytes]


def _read_members(data: bytes) -> list[tuple[str, bytes]]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError(f"the package is over {MAX_PACKAGE_BYTES} bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [info.filename for info in archive.infolist()]
            if len(set(names)) != len(names):
                raise PackageError("the package names a member twice")
            return [(name, archive.read(name)) for name in names]
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,  # names that are not UTF-8 among them
        struct.error,
        zlib.error,
        NotImplementedError,  # a compression method zipfile lacks
        RuntimeError,  # an encrypted member
    ) as exc:
        raise PackageError(f"the package is not a readable zip archive: {exc!r}") from None


def _manifest(raw: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"{MANIFEST} is not JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError(f"{MANIFEST} is not a {FORMAT} manifest")
    if manifest.get("version") != FORMAT_VERSION:
        raise PackageError(
            f"package version={manifest.get('version')!r}: this littoral reads {FORMAT_VERSION}"
        )
    if not isinstance(manifest.get("members"), dict):
        raise PackageError(f"{MANIFEST} lists no members")
    return manifest


def verify_package(data: bytes, trusted: Path) -> VerifiedPackage:
    """Check a received package against the trusted centres' keys in the folder ``trusted``.

    Anything in it that is not as signed refuses it with the reason (:class:`PackageError`).
    """
    from cryptography.exceptions import InvalidSignature

    members = _read_members(data)
    by_name = dict(members)
    if MANIFEST not in by_name or SIGNATURE not in by_name:
        raise PackageError(f"the package has no {MANIFEST} and {SIGNATURE}: it is not signed")
    manifest = _manifest(by_name[MANIFEST])
    sender = str(manifest.get("sender"))
    try:
        check_centre(sender)
    except InputError:
        raise PackageError(f"sender={sender!r} in {MANIFEST} is not a centre's code") from None
    public = _public_key(trusted, sender)
    try:
        public.verify(by_name[SIGNATURE], by_name[MANIFEST])
    except InvalidSignature:
        raise PackageError(
            f"the signature does not verify under {sender}'s trusted key: the manifest was "
            "changed or signed by another key"
        ) from None
    listed: dict[str, Any] = manifest["members"]
    content = {n: b for n, b in members if n not in (MANIFEST, SIGNATURE)}
    added = sorted(set(content) - set(listed))
    removed = sorted(set(listed) - set(content))
    if added:
        raise PackageError(f"members not in the signed manifest were added: {added}")
    if removed:
        raise PackageError(f"members of the signed manifest are missing: {removed}")
    for name, blob in content.items():
        if hashlib.sha256(blob).hexdigest() != listed[name].get("sha256"):
            raise PackageError(f"member {name!r} differs from what was signed")
    ordered = sorted(content.items())
    expected = canonical_zip(
        [*ordered, (MANIFEST, by_name[MANIFEST]), (SIGNATURE, by_name[SIGNATURE])]
    )
    if expected != data:
        raise PackageError("the archive's bytes differ from the signed archive of its members")
    return VerifiedPackage(
        sender=sender,
        key_id=str(manifest.get("key_id")),
        created=str(manifest.get("created")),
        members=content,
    )
