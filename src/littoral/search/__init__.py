"""littoral.search: from a probability map to orders for each unit, and back.

Probability grids (:class:`ProbabilityGrid`) from a datum, scenarios or a drift result;
detection by the US Coast Guard sweep width tables and IAMSAR corrections
(:class:`DetectionModel`); IAMSAR patterns; plans of one rectangle per unit compared with the
Koopman/Stone optimum (:func:`plan_search`); Bayesian updates after unsuccessful searches, on
the grid and on drifting particles; and detection along tracks for simulation
(:func:`detection_probability`, :func:`leg_detection_probability`, :func:`draw_detection`).
"""

from littoral.search.allocation import Assignment, SearchPlan, plan_search
from littoral.search.detection import (
    DetectionLaw,
    DetectionModel,
    SweepWidth,
    coverage_factor,
    pod_exponential,
    pod_inverse_cube,
)
from littoral.search.export import gpx_route, plan_geojson, plan_kml, read_gpx
from littoral.search.facilities import SearchUnit, load_units
from littoral.search.frame import GridFrame
from littoral.search.grid import ProbabilityGrid, caspian_water, mixture, open_water
from littoral.search.objects import sweep_object_for
from littoral.search.optimal import OptimalAllocation, circular_normal_pos, water_filling
from littoral.search.patterns import (
    Pattern,
    PatternKind,
    creeping_line,
    expanding_square,
    parallel_sweep,
    sector_search,
    track_line,
)
from littoral.search.priors import (
    Datum,
    from_datum,
    from_drift,
    from_scenarios,
    total_probable_error_nm,
)
from littoral.search.sighting import (
    Track,
    detection_probability,
    draw_detection,
    laea_xy_nm,
    leg_detection_probability,
)
from littoral.search.sweep_tables import Platform
from littoral.search.update import (
    update_grid,
    update_grid_with_plan,
    update_grid_with_tracks,
    update_particles,
    update_particles_with_plan,
)

__all__ = [
    "Assignment",
    "Datum",
    "DetectionLaw",
    "DetectionModel",
    "GridFrame",
    "OptimalAllocation",
    "Pattern",
    "PatternKind",
    "Platform",
    "ProbabilityGrid",
    "SearchPlan",
    "SearchUnit",
    "SweepWidth",
    "Track",
    "caspian_water",
    "circular_normal_pos",
    "coverage_factor",
    "creeping_line",
    "detection_probability",
    "draw_detection",
    "expanding_square",
    "from_datum",
    "from_drift",
    "from_scenarios",
    "gpx_route",
    "laea_xy_nm",
    "leg_detection_probability",
    "load_units",
    "mixture",
    "open_water",
    "parallel_sweep",
    "plan_geojson",
    "plan_kml",
    "plan_search",
    "pod_exponential",
    "pod_inverse_cube",
    "read_gpx",
    "sector_search",
    "sweep_object_for",
    "total_probable_error_nm",
    "track_line",
    "update_grid",
    "update_grid_with_plan",
    "update_grid_with_tracks",
    "update_particles",
    "update_particles_with_plan",
    "water_filling",
]
