"""Use cases without HTTP, called by the API, the CLI and the exercise.

:mod:`littoral.services.ingest` runs the ingest pipeline: sources, decoder, picture, watch
and store, in durable batches.
"""
