"""What an MMSI says about its station, for the watch: kind, flag, littoral or not.

The rules of ITU-R M.585 are those of :mod:`littoral.geo.flags`; this module only sorts its
kinds into what the rules need: ships, aids to navigation, SAR aircraft, distress devices
(AIS-SART, MOB, EPIRB-AIS), other stations that are not ships, and invalid numbers.
"""

from __future__ import annotations

from functools import lru_cache

from littoral.geo.flags import MmsiKind, flag_of, is_littoral, mmsi_kind
from littoral.watch.vessels import Identity, Kind

_KINDS = {
    MmsiKind.SHIP: Kind.SHIP,
    MmsiKind.AID_TO_NAVIGATION: Kind.ATON,
    MmsiKind.SAR_AIRCRAFT: Kind.SAR_AIRCRAFT,
    MmsiKind.SART: Kind.DISTRESS_DEVICE,
    MmsiKind.MOB: Kind.DISTRESS_DEVICE,
    MmsiKind.EPIRB: Kind.DISTRESS_DEVICE,
    MmsiKind.INVALID: Kind.INVALID,
}


def country_name(country: str) -> str:
    """Return the common form of an ITU country name: "Panama (Republic of)" -> "Panama"."""
    return country.split(" (")[0].strip()


@lru_cache(maxsize=65536)
def identify(mmsi: int) -> Identity:
    """Return the :class:`Identity` of an MMSI.

    Examples
    --------
    >>> identify(352001234).flag_name, identify(352001234).littoral
    ('Panama', False)
    >>> identify(992731234).kind.name
    'ATON'
    """
    kind = _KINDS.get(mmsi_kind(mmsi), Kind.OTHER)
    flag = flag_of(mmsi)
    if flag is None:
        if kind == Kind.SHIP:
            kind = Kind.INVALID  # a ship number whose MID no state holds
        return Identity(kind=kind, flag=None, flag_name="unknown flag", littoral=False)
    name = country_name(flag.country)
    return Identity(
        kind=kind, flag=flag.state_code or name, flag_name=name, littoral=is_littoral(mmsi)
    )
