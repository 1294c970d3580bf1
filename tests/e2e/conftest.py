"""Fixtures of the end-to-end tests (defined in ``e2e_service``)."""

from e2e_service import browser_page, service

__all__ = ["browser_page", "service"]
