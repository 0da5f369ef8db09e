"""coca4ai: CodeCarbon's EmissionsTracker surface, measured by Coca4ai's `coca track`."""

from .metrics import log_metric
from .tracker import EmissionsData, EmissionsTracker, track_emissions

__all__ = ["EmissionsTracker", "EmissionsData", "track_emissions", "log_metric"]
__version__ = "0.1.0"
