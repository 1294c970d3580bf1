"""Every error of the service is JSON: ``{"error": kind, "reason": text}``, never a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from littoral.errors import (
    DecodeError,
    ForcingError,
    InputError,
    LittoralError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
)

log = logging.getLogger(__name__)

_STATUS: tuple[tuple[type[LittoralError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (PermissionDeniedError, 403, "forbidden"),
    (InputError, 422, "invalid_input"),
    (DecodeError, 422, "invalid_input"),
    (ForcingError, 422, "forcing"),
    (StoreError, 503, "store_unavailable"),
)


def error_body(kind: str, reason: str) -> dict[str, str]:
    """Return the JSON body of an error."""
    return {"error": kind, "reason": reason}


class UnauthorizedError(Exception):
    """No valid session: missing, unknown or expired token."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TooManyAttemptsError(Exception):
    """Too many failed logins; try again after ``retry_after_s``."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"too many failed logins; retry after {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s


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
                return JSONResponse(error_body(kind, str(exc)), status_code=status)
        return JSONResponse(error_body("error", str(exc)), status_code=400)

    @app.exception_handler(UnauthorizedError)
    async def _unauthorized(request: Request, exc: UnauthorizedError) -> JSONResponse:
        return JSONResponse(
            error_body("unauthorized", exc.reason),
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
