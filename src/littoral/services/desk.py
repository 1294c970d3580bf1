"""The base of the use cases: a context and the acting user, and the audit of a call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from littoral.store.service import User

if TYPE_CHECKING:
    from littoral.services.context import ServiceContext


class Desk:
    """A use case's view of the context for one acting user."""

    def __init__(self, ctx: ServiceContext, user: User) -> None:
        self.ctx = ctx
        self.user = user
        self.audited: dict[str, object] = {}
        """What the last audited call recorded (the web service adds it to its own entry)."""

    def audit(self, action: str, **detail: object) -> None:
        """Write the audit entry of a call made outside the web service.

        Under the web service (``ctx.audit_calls`` off) the request's own entry is written by
        its middleware instead.
        """
        self.audited = {"action": action, **detail}
        if not self.ctx.audit_calls:
            return
        self.ctx.service.add_audit(
            self.ctx.clock.now(), self.user.name, self.user.state, "CALL", action, 200, detail
        )
