from __future__ import annotations

import numpy as np
import pytest

from littoral.errors import InputError
from littoral.exercise.fleet import MID, IdentityFactory, VesselKind, imo_check_digit, is_valid_imo
from littoral.geo import flag_of


def test_imo_check_digit_of_a_published_number() -> None:
    # IMO 9074729 is the example of the IMO's own numbering scheme (resolution A.1078(28))
    assert imo_check_digit(907472) == 9
    assert is_valid_imo(9074729)
    assert not is_valid_imo(9074728)
    with pytest.raises(InputError, match="first_six=12"):
        imo_check_digit(12)


def test_identities_are_unique_and_carry_their_flag_mid() -> None:
    ids = IdentityFactory(np.random.default_rng(3))
    seen = set()
    for k in range(400):
        flag = ("AZ", "IR", "KZ", "RU", "TM")[k % 5]
        v = ids.vessel(flag, VesselKind.TANKER)
        assert v.mmsi // 1_000_000 == MID[flag]
        fl = flag_of(v.mmsi)
        assert fl is not None
        assert v.imo is not None
        assert is_valid_imo(v.imo)
        assert len(v.name) <= 20
        assert (v.mmsi, v.name, v.callsign) not in seen
        seen.add((v.mmsi, v.name, v.callsign))
    assert len({s[0] for s in seen}) == 400
    assert len({s[1] for s in seen}) == 400
    beacon = ids.mob_mmsi()
    assert str(beacon).startswith("972")


def test_unknown_flag_is_named() -> None:
    with pytest.raises(InputError, match="flag='XX'"):
        IdentityFactory(np.random.default_rng(0)).mmsi("XX")
