"""Fixtures of the service tests (defined in ``api_env``)."""

from api_env import env

__all__ = ["env"]
