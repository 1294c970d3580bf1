from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from littoral.clock import FixedClock, require_utc
from littoral.errors import InputError
from littoral.units import kn_to_ms, m_to_nm, ms_to_kn, nm_to_m


def test_knots_and_nautical_miles_are_exact() -> None:
    assert nm_to_m(1.0) == 1852.0
    assert kn_to_ms(1.0) == pytest.approx(1852.0 / 3600.0, rel=1e-15)
    speeds = np.array([0.0, 10.0, 25.5])
    np.testing.assert_allclose(ms_to_kn(kn_to_ms(speeds)), speeds)
    assert m_to_nm(3704.0) == 2.0


def test_naive_datetime_is_refused_with_its_value() -> None:
    with pytest.raises(InputError, match="2026-01-01T00:00:00"):
        require_utc(datetime(2026, 1, 1))  # noqa: DTZ001


def test_fixed_clock_advances() -> None:
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    clock.advance(timedelta(hours=2))
    assert clock.now() == datetime(2026, 1, 1, 2, tzinfo=UTC)
