"""CodeCarbon's EmissionsTracker surface over `coca track`: switching is a one-line import change."""

import functools
import os
import tempfile
from dataclasses import dataclass
from typing import Optional

from . import _coca
from . import metrics as _metrics


@dataclass(frozen=True)
class EmissionsData:
    """What a run or a task cost, in CodeCarbon's units (kg, kWh, s). `result` is coca's full JSON object."""

    run_id: str
    project_name: str
    duration: float
    emissions: float
    energy_consumed: float
    cpu_energy: float
    gpu_energy: float
    ram_energy: float
    attributed_emissions: float
    result: dict

    @staticmethod
    def from_result(result):
        energy = result.get("energy_j") or {}
        carbon = result.get("carbon") or {}
        return EmissionsData(
            run_id=result.get("run_id", ""), project_name=result.get("project", ""),
            duration=float(result.get("duration_s") or 0.0),
            emissions=float(carbon.get("emissions_g") or 0.0) / 1000.0,
            energy_consumed=float(energy.get("total") or 0.0) / 3.6e6,
            cpu_energy=float(energy.get("cpu") or 0.0) / 3.6e6,
            gpu_energy=float(energy.get("gpu") or 0.0) / 3.6e6,
            ram_energy=float(energy.get("dram") or 0.0) / 3.6e6,
            attributed_emissions=float(carbon.get("attributed_emissions_g") or 0.0) / 1000.0,
            result=result)


class EmissionsTracker:
    """
    Measures this process and its children with `coca track --pid os.getpid()`.

    `stop()` returns the machine's emissions in kgCO2e over the run, as CodeCarbon does (the script's own share is
    `final_result["carbon"]["attributed_emissions_g"]`). Without coca, or when coca fails, it warns once and returns
    None: measuring never breaks the script it measures. CodeCarbon arguments coca has no use for are accepted and
    ignored, so that existing calls keep working.
    """

    def __init__(self, project_name="codecarbon", output_dir=".", country_iso_code=None, pue=1.0,
                 measure_power_secs=None, save_to_file=True, **_codecarbon_arguments):
        self.project_name = project_name
        self.output_dir = output_dir
        self.country_iso_code = country_iso_code
        self.pue = pue
        self.measure_power_secs = measure_power_secs
        self.save_to_file = save_to_file
        self.final_result = None  # type: Optional[dict]
        self.final_emissions_data = None  # type: Optional[EmissionsData]
        self.tasks = {}  # task name -> EmissionsData
        self._run = None
        self._task = None
        self._task_name = None
        self._metrics_file = None

    def _arguments(self, project, csv):
        arguments = ["--project", str(project)]
        if csv:
            arguments += ["--output-dir", os.fspath(self.output_dir)]
        else:
            arguments += ["--no-csv"]
        if self.country_iso_code:
            arguments += ["--country", str(self.country_iso_code)]
        if self.pue is not None:
            arguments += ["--pue", repr(float(self.pue))]
        if self.measure_power_secs is not None:
            arguments += ["--interval", repr(float(self.measure_power_secs))]
        return arguments

    def _start_track(self, project, csv, metrics_file=None):
        coca = _coca.find_coca()
        if coca is None:
            _coca.warn_once("no-coca", "coca not found (install it, or set COCA_BIN): emissions are not measured")
            return None
        try:
            return _coca.TrackRun(coca, self._arguments(project, csv), metrics_file)
        except (OSError, ValueError, RuntimeError) as e:
            _coca.warn_once("start:" + str(e)[:80], "coca track could not start, emissions are not measured: %s" % e)
            return None

    @staticmethod
    def _stop_track(run):
        try:
            return run.stop()
        except (OSError, RuntimeError) as e:
            _coca.warn_once("stop:" + str(e)[:80], "coca track gave no result: %s" % e)
            return None

    def start(self):
        if self._run is not None:
            return
        fd, self._metrics_file = tempfile.mkstemp(prefix="coca4ai-metrics-", suffix=".csv")
        os.close(fd)
        self._run = self._start_track(self.project_name, self.save_to_file, self._metrics_file)
        if self._run is not None:
            _metrics.push_run(self._metrics_file)

    def stop(self):
        """The run's emissions in kgCO2e (machine level, like CodeCarbon's), or None when nothing was measured."""
        if self._task is not None:
            self.stop_task()
        run, self._run = self._run, None
        if run is None:
            self._drop_metrics_file()
            return None
        _metrics.pop_run(self._metrics_file)
        result = self._stop_track(run)
        self._drop_metrics_file()
        if result is None:
            return None
        self.final_result = result
        self.final_emissions_data = EmissionsData.from_result(result)
        return self.final_emissions_data.emissions

    def _drop_metrics_file(self):
        if self._metrics_file:
            try:
                os.unlink(self._metrics_file)
            except OSError:
                pass
            self._metrics_file = None

    def start_task(self, task_name="task"):
        """Measures a part of the run on its own (no emissions.csv row); one task at a time, as in CodeCarbon."""
        if self._task is not None:
            self.stop_task()
        self._task_name = task_name
        self._task = self._start_track("%s/%s" % (self.project_name, task_name), csv=False)

    def stop_task(self, task_name=None):
        """The task's EmissionsData, or None when it was not measured."""
        task, self._task = self._task, None
        name = task_name or self._task_name
        if task is None:
            return None
        result = self._stop_track(task)
        if result is None:
            return None
        data = EmissionsData.from_result(result)
        self.tasks[name] = data
        return data

    def flush(self):
        """CodeCarbon writes an intermediate row here; coca writes its row once, at stop."""
        return None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False


def track_emissions(fn=None, *, project_name="codecarbon", output_dir=".", country_iso_code=None, pue=1.0,
                    measure_power_secs=None, save_to_file=True, **codecarbon_arguments):
    """`@track_emissions` or `@track_emissions(project_name=...)`: the call measured by an EmissionsTracker."""

    def decorate(function):
        @functools.wraps(function)
        def measured(*args, **kwargs):
            tracker = EmissionsTracker(project_name=project_name, output_dir=output_dir,
                                       country_iso_code=country_iso_code, pue=pue,
                                       measure_power_secs=measure_power_secs, save_to_file=save_to_file,
                                       **codecarbon_arguments)
            tracker.start()
            try:
                return function(*args, **kwargs)
            finally:
                tracker.stop()
                measured.last_tracker = tracker

        measured.last_tracker = None
        return measured

    return decorate(fn) if fn is not None else decorate
