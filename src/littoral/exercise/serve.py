"""Step 7 (``--serve``): the web service on the exercise's store, with a login to look at it.

The service (:func:`littoral.api.create_app` under uvicorn) opens the exercise's SQLite store,
so the picture, the alerts and the SAR case with its drift and plans are there. Its clock is
shifted to the exercise's day: "now" at start is the end of the traffic day, and it runs on
from there, so the picture shows the vessels of the day as current. A coordinator account of
the case's state is made with a fresh random password, printed once.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from littoral.exercise.run import ExerciseResult

USER = "exercise"


class ShiftedClock:
    """The system clock moved by a fixed offset."""

    def __init__(self, now: datetime) -> None:
        self._offset = now - datetime.now(UTC)

    def now(self) -> datetime:
        """Return the shifted time (UTC)."""
        return datetime.now(UTC) + self._offset


def make_login(result: ExerciseResult, state: str) -> tuple[str, str]:
    """Create (or reset) the exercise's coordinator account; return (name, password).

    The account is made through the account use cases by the installation's administrator of
    ``state`` (the command line's system user), so it is audited like any other.
    """
    from littoral.clock import SystemClock
    from littoral.errors import NotFoundError
    from littoral.services import AccountDesk, system_user
    from littoral.services.context import opened

    password = secrets.token_urlsafe(12)
    with opened(result.store_url, SystemClock()) as ctx:
        try:
            existing = ctx.service.user_by_name(USER)
        except NotFoundError:
            existing = None
        if existing is None:
            admin = AccountDesk(ctx, system_user("cli", state))
            admin.add_user(USER, state, "coordinator", password)
        else:
            admin = AccountDesk(ctx, system_user("cli", existing.state))
            admin.change_user(USER, password=password, role="coordinator", disabled=False)
    return USER, password


def serve_exercise(result: ExerciseResult, host: str, port: int) -> None:
    """Run the web service on the exercise's store until interrupted."""
    import uvicorn

    from littoral.api import create_app
    from littoral.services.settings import build_settings
    from littoral.store import open_store

    state = "AZ"
    if result.case_id is not None:
        from littoral.clock import SystemClock
        from littoral.services import CaseDesk, Role, system_user
        from littoral.services.context import opened

        with opened(result.store_url, SystemClock()) as ctx:
            reader = system_user(USER, state, Role.WATCH_OFFICER)
            state = CaseDesk(ctx, reader).get(result.case_id).state
    name, password = make_login(result, state)
    settings = build_settings(
        db_url=result.store_url,
        host=host,
        port=port,
        data_dir=result.config.out / "service-data",
        watch=False,
    )
    end = result.traffic.start + timedelta(hours=result.traffic.hours)
    store = open_store(settings.db_url)
    try:
        app = create_app(settings, store, ShiftedClock(end))
        print(f"service: http://{host}:{port}/  login {name} / {password}", flush=True)
        if result.case_id is not None:
            print(f"case {result.case_id} is open on the map page; Ctrl-C stops", flush=True)
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    finally:
        store.close()
