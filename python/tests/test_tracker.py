import json
import os
import stat
import sys
import tempfile
import textwrap
import unittest
import warnings
from unittest import mock

import coca4ai
from coca4ai import _coca, metrics


def no_coca_env():
    env = {k: v for k, v in os.environ.items() if k not in ("COCA_BIN", "COCA_METRICS_FILE", "SLURM_JOB_ID")}
    env["PATH"] = tempfile.gettempdir() + "/coca4ai-no-such-dir"
    return env


# A stand-in for coca at the binding's level only: it says it measures, waits for SIGTERM, writes what it was asked.
FAKE_COCA = textwrap.dedent("""\
    #!%s
    import json, signal, sys, time
    args = sys.argv[1:]
    out = args[args.index("--json-file") + 1]
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    sys.stderr.write("coca track: measuring pid %%s\\n" %% args[args.index("--pid") + 1]); sys.stderr.flush()
    while not stop: time.sleep(0.01)
    json.dump({"run_id": "r1", "project": args[args.index("--project") + 1], "duration_s": 2.0, "args": args,
               "energy_j": {"cpu": 3.6e6, "dram": 0, "gpu": 7.2e6, "total": 1.08e7},
               "carbon": {"emissions_g": 500.0, "attributed_emissions_g": 250.0}}, open(out, "w"))
    """) % sys.executable


class TrackerWithoutCoca(unittest.TestCase):
    def setUp(self):
        _coca._warned.clear()

    def test_start_and_stop_warn_once_and_return_none(self):
        with mock.patch.dict(os.environ, no_coca_env(), clear=True), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for _ in range(2):
                tracker = coca4ai.EmissionsTracker(project_name="p")
                tracker.start()
                self.assertIsNone(tracker.stop())
                self.assertIsNone(tracker.final_result)
        self.assertEqual(1, len(caught))
        self.assertIn("coca not found", str(caught[0].message))

    def test_decorator_returns_the_function_value(self):
        @coca4ai.track_emissions(project_name="p")
        def work(x):
            return x * 2

        with mock.patch.dict(os.environ, no_coca_env(), clear=True), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.assertEqual(42, work(21))
            self.assertEqual("work", work.__name__)

    def test_context_manager_lets_exceptions_through(self):
        with mock.patch.dict(os.environ, no_coca_env(), clear=True), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with self.assertRaises(KeyError):
                with coca4ai.EmissionsTracker():
                    raise KeyError("the script's own error")

    def test_bad_coca_bin_falls_back_to_path_with_a_warning(self):
        env = no_coca_env()
        env["COCA_BIN"] = "/nonexistent/coca"
        with mock.patch.dict(os.environ, env, clear=True), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertIsNone(_coca.find_coca())
        self.assertIn("COCA_BIN", str(caught[0].message))


class TrackerWithAStandIn(unittest.TestCase):
    def setUp(self):
        _coca._warned.clear()
        self.dir = tempfile.TemporaryDirectory()
        self.coca = os.path.join(self.dir.name, "coca")
        with open(self.coca, "w") as f:
            f.write(FAKE_COCA)
        os.chmod(self.coca, os.stat(self.coca).st_mode | stat.S_IXUSR)
        env = no_coca_env()
        env["COCA_BIN"] = self.coca
        self.env = mock.patch.dict(os.environ, env, clear=True)
        self.env.start()

    def tearDown(self):
        self.env.stop()
        self.dir.cleanup()

    def test_stop_returns_kg_and_passes_codecarbon_arguments_to_coca_track(self):
        tracker = coca4ai.EmissionsTracker(project_name="train", output_dir=self.dir.name, country_iso_code="FRA", pue=1.2)
        tracker.start()
        self.assertEqual(0.5, tracker.stop())
        args = tracker.final_result["args"]
        self.assertEqual(str(os.getpid()), args[args.index("--pid") + 1])
        self.assertEqual("FRA", args[args.index("--country") + 1])
        self.assertEqual("1.2", args[args.index("--pue") + 1])
        self.assertEqual(self.dir.name, args[args.index("--output-dir") + 1])
        data = tracker.final_emissions_data
        self.assertEqual(3.0, data.energy_consumed)
        self.assertEqual(1.0, data.cpu_energy)
        self.assertEqual(0.25, data.attributed_emissions)

    def test_a_task_is_measured_apart_without_a_csv_row(self):
        tracker = coca4ai.EmissionsTracker(project_name="train")
        tracker.start()
        tracker.start_task("epoch1")
        data = tracker.stop_task()
        tracker.stop()
        self.assertEqual("train/epoch1", data.project_name)
        self.assertIn("--no-csv", data.result["args"])
        self.assertIs(data, tracker.tasks["epoch1"])

    def test_log_metric_inside_a_tracker_goes_to_its_metrics_file(self):
        tracker = coca4ai.EmissionsTracker()
        tracker.start()
        path = metrics._runs[-1]
        self.assertTrue(coca4ai.log_metric("accuracy", 0.91, step=3))
        with open(path) as f:
            lines = f.read().splitlines()
        tracker.stop()
        self.assertEqual("name,value,step,time", lines[0])
        self.assertTrue(lines[1].startswith("accuracy,0.91,3,"))
        self.assertEqual([], metrics._runs)


class LogMetric(unittest.TestCase):
    def setUp(self):
        _coca._warned.clear()

    def test_bad_values_warn_and_are_not_stored(self):
        with tempfile.NamedTemporaryFile("r", suffix=".csv") as f, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            env = no_coca_env()
            env["COCA_METRICS_FILE"] = f.name
            with mock.patch.dict(os.environ, env, clear=True):
                self.assertFalse(coca4ai.log_metric("loss", float("nan")))
                self.assertFalse(coca4ai.log_metric("bad name", 1.0))
                self.assertFalse(coca4ai.log_metric("loss", 1.0, step=-1))
                self.assertFalse(coca4ai.log_metric("loss", "high"))
                self.assertTrue(coca4ai.log_metric("loss", 0.5))
            self.assertEqual(["name,value,step,time"], f.read().splitlines()[:1])
        self.assertEqual(4, len(caught))

    def test_outside_any_run_it_warns_once(self):
        with mock.patch.dict(os.environ, no_coca_env(), clear=True), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            self.assertFalse(coca4ai.log_metric("loss", 0.5))
            self.assertFalse(coca4ai.log_metric("loss", 0.4))
        self.assertEqual(1, len(caught))


if __name__ == "__main__":
    unittest.main()
