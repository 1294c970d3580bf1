"""littoral: maritime picture, watch and search and rescue for the Caspian littoral states.

Subpackages, with dependencies pointing inward:

- :mod:`littoral.geo` -- the Caspian water polygon, zones, places, flags (uses no one).
- :mod:`littoral.ais` -- NMEA sentences, tag blocks, multipart assembly, decoding, sources.
- :mod:`littoral.tracks` -- latest state and recent history per vessel.
- :mod:`littoral.watch` -- alert rules and the engine that runs them.
- :mod:`littoral.drift` -- Leeway drift ensembles under wind and current.
- :mod:`littoral.search` -- probability maps, detection, patterns and optimal allocation.
- :mod:`littoral.store` -- the ``Store`` protocol with SQLite and PostgreSQL backends.
- :mod:`littoral.api`, :mod:`littoral.web`, :mod:`littoral.cli`, :mod:`littoral.exercise` on top.
"""

__version__ = "0.1.0"
