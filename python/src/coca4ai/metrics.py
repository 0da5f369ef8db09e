"""log_metric: what the script achieved, stored beside what it cost."""

import math
import os
import re
import subprocess
from datetime import datetime, timezone

from . import _coca

# The metrics files of this process's running trackers, innermost last: a metric goes to the innermost.
_runs = []

NAME = re.compile(r"^[A-Za-z0-9_.:/\-]{1,128}$")
HEADER = "name,value,step,time\n"


def push_run(path):
    _runs.append(path)


def pop_run(path):
    if path in _runs:
        _runs.remove(path)


def _line(name, value, step):
    time = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return "%s,%s,%s,%s\n" % (name, repr(value), "" if step is None else step, time)


def _validated(name, value, step):
    if not isinstance(name, str) or not NAME.match(name):
        raise ValueError("metric name must be 1-128 characters of letters, digits, _ . : / -, got %r" % (name,))
    if isinstance(value, bool):
        value = float(value)
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("metric %s: value must be finite, got %r" % (name, value))
    if step is not None:
        if isinstance(step, bool) or int(step) != step or step < 0:
            raise ValueError("metric %s: step must be a whole number >= 0, got %r" % (name, step))
        step = int(step)
    return name, value, step


def append(path, name, value, step=None):
    """Appends one metric to a run's metrics file (CSV: name,value,step,time), the header first if it is empty."""
    with open(path, "a", encoding="utf-8") as f:
        if f.tell() == 0:
            f.write(HEADER)
        f.write(_line(name, value, step))


def log_metric(name, value, step=None):
    """
    Records a metric (accuracy, loss...) with the run: inside an EmissionsTracker or `coca run`, in the run's
    record; inside a Slurm job, with the job's record (through `coca metric` and the node agent). Returns True
    when stored; otherwise it warns (once per reason) and returns False: it never stops the script.
    """
    try:
        name, value, step = _validated(name, value, step)
    except (TypeError, ValueError) as e:
        _coca.warn_once("bad-metric:%s" % e, "metric not stored: %s" % e)
        return False
    target = _runs[-1] if _runs else os.environ.get("COCA_METRICS_FILE")
    try:
        if target:
            append(target, name, value, step)
            return True
        if os.environ.get("SLURM_JOB_ID"):
            return _to_slurm_job(name, value, step)
    except (OSError, subprocess.SubprocessError) as e:
        _coca.warn_once("metric-io", "metric not stored: %s" % e)
        return False
    _coca.warn_once("no-run", "log_metric outside a tracker, `coca run` or a Slurm job: metrics are not stored")
    return False


def _to_slurm_job(name, value, step):
    coca = _coca.find_coca()
    if coca is None:
        _coca.warn_once("no-coca", "coca not found (install it, or set COCA_BIN): metrics are not stored")
        return False
    command = [coca, "metric", "%s=%r" % (name, value)] + ([] if step is None else ["--step", str(step)])
    done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          universal_newlines=True, errors="replace", timeout=60)
    if done.returncode != 0:
        _coca.warn_once("coca-metric", "coca metric failed: %s" % done.stderr.strip().splitlines()[-1:])
        return False
    return True


__all__ = ["log_metric"]
