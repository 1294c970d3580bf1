"""Every error of the service is JSON: ``{"error": kind, "reason": text}``, never a bare 500."""

from __future__ import annotations

import json
import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from littoral.errors import (
    AuthenticationError,
    DecodeError,
    ForcingError,
    InputError,
    LittoralError,
    NotFoundError,
    PermissionDeniedError,
    QuotaError,
    StoreError,
    TooManyAttemptsError,
)

log = logging.getLogger(__name__)

_STATUS: tuple[tuple[type[LittoralError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (PermissionDeniedError, 403, "forbidden"),
    (InputError, 422, "invalid_input"),
    (DecodeError, 422, "invalid_input"),
    (ForcingError, 422, "forcing"),
    (StoreError, 503, "store_unavailable"),
    (QuotaError, 429, "quota"),
)


RETRY_AFTER_S = 5
"""What a 503 tells the client to wait before trying again."""

_SERVER_PATH = re.compile(r"(?<![\w.:/])/(?!api/)(?:[^\s/'\"]+/)+([^\s/'\"]+)")


def scrub_paths(reason: str) -> str:
    """Replace server file paths in an error reason by their last part.

    >>> scrub_paths("cannot read /srv/littoral-data/uploads/7/wind.nc: not NetCDF")
    'cannot read wind.nc: not NetCDF'
    >>> scrub_paths("see /api/cases/3")
    'see /api/cases/3'
    """
    return _SERVER_PATH.sub(r"\1", reason)


def error_body(kind: str, reason: str) -> dict[str, str]:
    """Return the JSON body of an error (server file paths reduced to their names)."""
    return {"error": kind, "reason": scrub_paths(reason)}


async def send_error(
    send: Send,
    status: int,
    kind: str,
    reason: str,
    headers: tuple[tuple[bytes, bytes], ...] = (),
) -> None:
    """Answer with the JSON error ``{error, reason}`` from ASGI middleware (before a router)."""
    body = json.dumps(error_body(kind, reason)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.DisconnectionError,
    sa_exc.TimeoutError,
)
"""Errors that mean the database cannot be reached now, not that the request is wrong."""


UnauthorizedError = AuthenticationError
"""No valid session (401): the service layer's :class:`~littoral.errors.AuthenticationError`."""


def _validation_reason(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:10]:
        where = ".".join(str(p) for p in err.get("loc", ()))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Turn every exception into a JSON error with a reason."""

    @app.exception_handler(LittoralError)
    async def _littoral(request: Request, exc: LittoralError) -> JSONResponse:
        for cls, status, kind in _STATUS:
            if isinstance(exc, cls):
                headers = {"Retry-After": str(RETRY_AFTER_S)} if status in (429, 503) else None
                return JSONResponse(error_body(kind, str(exc)), status_code=status, headers=headers)
        return JSONResponse(error_body("error", str(exc)), status_code=400)

    async def _database_down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return JSONResponse(
            error_body("store_unavailable", "the database is unavailable; try again shortly"),
            status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )

    for cls in DATABASE_UNAVAILABLE:
        app.add_exception_handler(cls, _database_down)

    @app.exception_handler(sa_exc.DataError)
    async def _unstorable(request: Request, exc: sa_exc.DataError) -> JSONResponse:
        return JSONResponse(
            error_body("invalid_input", "the database refused a value of this request"),
            status_code=422,
        )

    @app.exception_handler(AuthenticationError)
    async def _unauthorized(request: Request, exc: AuthenticationError) -> JSONResponse:
        return JSONResponse(
            error_body("unauthorized", str(exc)),
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )

    @app.exception_handler(TooManyAttemptsError)
    async def _too_many(request: Request, exc: TooManyAttemptsError) -> JSONResponse:
        return JSONResponse(
            error_body("too_many_attempts", str(exc)),
            status_code=429,
            headers={"Retry-After": str(max(1, int(exc.retry_after_s + 0.999)))},
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_input", _validation_reason(exc)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        return JSONResponse(
            error_body(kind, str(exc.detail)),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s %s", request.method, request.url.path)
        return JSONResponse(
            error_body("internal", f"internal error ({type(exc).__name__})"), status_code=500
        )


ERROR_SCHEMA: dict[str, object] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "error": {"type": "string", "description": "Kind of error, e.g. invalid_input"},
        "reason": {"type": "string", "description": "What was wrong, naming the value"},
    },
    "required": ["error", "reason"],
}

DOCUMENTED_ERRORS: dict[str, str] = {
    "400": "Malformed request (a bad header)",
    "401": "No live session: log in first",
    "403": "The account may not do this (role, state, or origin)",
    "404": "No such thing",
    "413": "Request body too large",
    "422": "Invalid input; the reason names the value",
    "429": "Too many attempts or streams; see Retry-After",
    "503": "The database is unavailable; see Retry-After",
}
"""Error statuses any operation may answer, each with the JSON body ``{error, reason}``."""


def document_errors(spec: dict[str, object]) -> dict[str, object]:
    """Add :data:`DOCUMENTED_ERRORS` to every operation of an OpenAPI document, in place."""
    components = spec.setdefault("components", {})
    assert isinstance(components, dict)
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    paths = spec.get("paths", {})
    assert isinstance(paths, dict)
    for operations in paths.values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for code, description in DOCUMENTED_ERRORS.items():
                entry = responses.setdefault(code, {})
                entry.setdefault("description", description)
                entry["content"] = content
    return spec
