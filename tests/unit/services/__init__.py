"""Tests of the use cases without HTTP (littoral.services)."""
