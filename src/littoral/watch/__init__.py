"""littoral.watch: the alerts a Caspian watch officer acts on.

:class:`Engine` runs the nine rules (non-littoral vessels, going dark, loitering,
encounters, integrity, distress, area entry, identity changes, GNSS interference) over
position, static and safety reports in event time, inside its regional scope;
:class:`WatchConfig` holds their thresholds, read from a TOML rules file by
:func:`load_config`. The alerts they raise are the records of :mod:`littoral.records.alerts`.
See ``docs/watch.md``.
"""

from littoral.watch.config import WatchConfig
from littoral.watch.config_file import load_config
from littoral.watch.engine import Engine
from littoral.watch.rules.base import Rule

__all__ = [
    "Engine",
    "Rule",
    "WatchConfig",
    "load_config",
]
