"""littoral: maritime picture, watch and search and rescue for the Caspian littoral states.

Subpackages in layers, each importing only from the layers below it (``lint-imports``
checks it; see ``docs/design/0001-architecture.md``):

- :mod:`littoral.cli`, :mod:`littoral.exercise`, :mod:`littoral.api`, :mod:`littoral.web` --
  the interfaces, on top.
- :mod:`littoral.services` -- use cases without HTTP (ingest, ...).
- the domain, none importing another in a loop:
  :mod:`littoral.ais` (NMEA sentences, tag blocks, multipart assembly, decoding, sources),
  :mod:`littoral.tracks` (latest state and recent history per vessel),
  :mod:`littoral.watch` (alert rules and the engine that runs them),
  :mod:`littoral.drift` (Leeway drift ensembles under wind and current),
  :mod:`littoral.search` (probability maps, detection, patterns and optimal allocation),
  :mod:`littoral.store` (the ``Store`` protocol with SQLite and PostgreSQL backends).
- :mod:`littoral.geo` -- the Caspian water polygon, zones, places, flags.
- :mod:`littoral.records` (reports and alerts shared by several packages),
  :mod:`littoral.units`, :mod:`littoral.clock`, :mod:`littoral.errors` at the bottom.
"""

__version__ = "0.1.0"
