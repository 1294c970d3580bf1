"""Case packages between centres: export a case signed by this centre, import a trusted one.

Each route is a call to :class:`littoral.services.package.PackageDesk`.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request, Response

from littoral.api.deps import CoordinatorDep, RowId, ServicesDep, note
from littoral.api.views import case_out
from littoral.errors import InputError
from littoral.services.package import PackageDesk
from littoral.services.package_sign import load_signing_key

router = APIRouter(prefix="/api/cases", tags=["packages"])


@router.get("/{case_id}/package", response_class=Response)
async def export_package(case_id: RowId, user: CoordinatorDep, services: ServicesDep) -> Response:
    """Return the case as a package (zip) signed with this centre's key."""
    path = services.settings.package_key
    if path is None:
        raise InputError("this service has no signing key: start it with --package-key")
    key = load_signing_key(path)
    data = await to_thread.run_sync(PackageDesk(services, user).export, case_id, key)
    name = f"case-{key.centre}-{case_id}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(
    "/import",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            }
        }
    },
)
async def import_package(
    request: Request, user: CoordinatorDep, services: ServicesDep
) -> dict[str, Any]:
    """Make a new case from a package (the zip as the body) a trusted centre signed."""
    trusted = services.settings.trusted_keys
    if trusted is None:
        raise InputError("this service trusts no centre's key: start it with --trusted-keys")
    body = await request.body()
    done = await to_thread.run_sync(PackageDesk(services, user).import_, body, trusted)
    note(request, case_id=done.case.id, sender=done.sender, key_id=done.key_id)
    return {
        "case": case_out(done.case, user).model_dump(mode="json"),
        "sender": done.sender,
        "key_id": done.key_id,
        "source_case_id": done.source_case_id,
        "run_ids": {str(k): v for k, v in done.run_ids.items()},
    }
