"""littoral.watch: the alerts a Caspian watch officer acts on.

:class:`Engine` runs the seven rules (non-littoral vessels, going dark, loitering,
encounters, integrity, distress, area entry) over position, static and safety reports in
event time; :class:`WatchConfig` holds their thresholds, read from a TOML rules file by
:func:`load_config`. See ``docs/watch.md``.
"""

from littoral.watch.alert import Alert, AlertStatus, Evidence, Priority
from littoral.watch.config import WatchConfig
from littoral.watch.config_file import load_config
from littoral.watch.engine import Engine
from littoral.watch.rules.base import Rule

__all__ = [
    "Alert",
    "AlertStatus",
    "Engine",
    "Evidence",
    "Priority",
    "Rule",
    "WatchConfig",
    "load_config",
]
