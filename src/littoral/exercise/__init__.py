"""littoral.exercise: a whole CASAREX case played through the real system.

:func:`littoral.exercise.traffic.generate_traffic` makes a seeded day of Caspian AIS traffic
as tag-blocked NMEA lines with its planted truth; :func:`littoral.exercise.run.run_exercise`
streams it over TCP into the ingest and watch, opens the SAR case from the distress alert,
runs the drift and two rounds of planned and simulated search, and writes the report
(``littoral exercise``; see ``docs/exercise.md``). Nothing is imported here.
"""
