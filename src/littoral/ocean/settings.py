"""The model's settings: physics and numerics, each with its unit in its name; the river."""

from __future__ import annotations

from dataclasses import dataclass

from littoral.errors import InputError
from littoral.ocean.physics import BOTTOM_DRAG, SURFACE_DRIFT_COEF, DragLaw


@dataclass(frozen=True, kw_only=True)
class RiverSource:
    """A river entering the sea at the sea cell nearest to (``lon``, ``lat``)."""

    name: str
    lon: float
    lat: float
    discharge_m3s: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.discharge_m3s <= 100_000.0:
            raise InputError(f"discharge_m3s={self.discharge_m3s!r} must be within 0..100000")


VOLGA_MEAN_M3S = 7_900.0
"""Mean Volga discharge (about 250 km^3 a year)."""


def volga(discharge_m3s: float = VOLGA_MEAN_M3S) -> RiverSource:
    """Return the Volga, entering at its delta front (45.9N 48.5E)."""
    return RiverSource(name="Volga", lon=48.5, lat=45.9, discharge_m3s=discharge_m3s)


@dataclass(frozen=True, kw_only=True)
class ModelSettings:
    """Physical and numerical settings, each with its unit in its name.

    Attributes
    ----------
    cfl : float
        Target gravity-wave Courant number, 0 < cfl <= 1.
    dt_s : float | None
        A fixed time step instead (it must divide the output interval and keep cfl <= 1).
    drag_law : DragLaw
        Wind drag coefficient law.
    bottom_drag : float
        Quadratic bottom drag coefficient ``C_b``.
    viscosity_m2s : float
        Lateral (Laplacian) viscosity ``A_h``.
    nonlinear : bool
        Keep the advection of momentum.
    dry_depth_m : float
        A face carries no flow while the water over its higher bed is thinner than this.
    min_depth_m : float
        Depth floor in the wind-stress and friction terms of very shallow faces.
    surface_drift_coef : float
        ``c_s`` of the surface shear term (``littoral.ocean.physics``).
    river : RiverSource | None
        An inflow (e.g. :func:`volga`), or none.
    """

    cfl: float = 0.9
    dt_s: float | None = None
    drag_law: DragLaw = DragLaw.LARGE_POND_1981
    bottom_drag: float = BOTTOM_DRAG
    viscosity_m2s: float = 100.0
    nonlinear: bool = True
    dry_depth_m: float = 0.05
    min_depth_m: float = 0.1
    surface_drift_coef: float = SURFACE_DRIFT_COEF
    river: RiverSource | None = None

    def __post_init__(self) -> None:
        checks = (
            ("cfl", self.cfl, 0.0, 1.0),
            ("bottom_drag", self.bottom_drag, 0.0, 0.1),
            ("viscosity_m2s", self.viscosity_m2s, 0.0, 1e5),
            ("dry_depth_m", self.dry_depth_m, 1e-4, 1.0),
            ("min_depth_m", self.min_depth_m, 1e-4, 10.0),
            ("surface_drift_coef", self.surface_drift_coef, 0.0, 2.0),
        )
        for name, value, lo, hi in checks:
            if not (lo <= value <= hi) or (name == "cfl" and value == 0.0):
                raise InputError(f"{name}={value!r} must be within {lo:g}..{hi:g}")
        if self.dt_s is not None and not self.dt_s > 0:
            raise InputError(f"dt_s={self.dt_s!r} must be > 0")
