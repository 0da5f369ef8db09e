"""Finding ``coca`` and running ``coca track`` on this process: the one place that talks to the binary."""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import warnings

# Warned once per process and per reason: a training loop that starts a tracker per epoch must not flood its log.
_warned = set()

# How long coca may take to start measuring, and to write its result once asked to stop (a loaded node is slow).
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 60.0

MEASURING = "coca track: measuring pid"


def warn_once(key, message):
    if key in _warned:
        return
    _warned.add(key)
    warnings.warn("coca4ai: " + message, RuntimeWarning, stacklevel=3)


def find_coca():
    """The coca executable: $COCA_BIN, else `coca` on PATH; None when there is none."""
    configured = os.environ.get("COCA_BIN")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        warn_once("COCA_BIN", "COCA_BIN=%s is not an executable file; looking for coca on PATH" % configured)
    return shutil.which("coca")


class TrackRun:
    """One `coca track --pid <this process>`: started measuring, then stopped for its result (a dict)."""

    def __init__(self, coca, arguments, metrics_file=None):
        self._directory = tempfile.mkdtemp(prefix="coca4ai-")
        self._json_file = os.path.join(self._directory, "run.json")
        self._stderr = []
        self._measuring = threading.Event()
        command = [coca, "track", "--pid", str(os.getpid()), "--json-file", self._json_file] + list(arguments)
        env = dict(os.environ)
        if metrics_file:
            env["COCA_METRICS_FILE"] = metrics_file
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
            universal_newlines=True, errors="replace")
        self._reader = threading.Thread(target=self._read_stderr, name="coca4ai-stderr", daemon=True)
        self._reader.start()
        # The script's work counts from coca's first sample: wait for it, or for coca to give up.
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self._measuring.wait(0.05):
            if self._process.poll() is not None or not self._reader.is_alive() or time.monotonic() > deadline:
                break
        if not self._measuring.is_set():
            self._kill()
            raise RuntimeError("coca track did not start measuring: " + self.stderr_tail())

    def _read_stderr(self):
        for line in self._process.stderr:
            self._stderr.append(line.rstrip("\n"))
            if line.startswith(MEASURING):
                self._measuring.set()

    def stderr_tail(self, lines=3):
        tail = [l for l in self._stderr if l.strip()][-lines:]
        return " | ".join(tail) if tail else "(no message; exit code %s)" % self._process.poll()

    @property
    def summary(self):
        """coca's summary table, as it printed it on stderr."""
        return "\n".join(l for l in self._stderr if not l.startswith(MEASURING))

    def stop(self):
        """Asks coca to stop (SIGTERM), waits for it, and returns its result; raises RuntimeError if there is none."""
        try:
            if self._process.poll() is None:
                self._process.send_signal(signal.SIGTERM)
            self._process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self._kill()
            raise RuntimeError("coca track did not stop within %d s" % STOP_TIMEOUT_S)
        self._reader.join(5)
        self._close_stderr()
        try:
            with open(self._json_file, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError) as e:
            raise RuntimeError("coca track wrote no result (%s): %s" % (e, self.stderr_tail()))
        finally:
            shutil.rmtree(self._directory, ignore_errors=True)

    def _close_stderr(self):
        try:
            self._process.stderr.close()
        except OSError:
            pass

    def _kill(self):
        try:
            self._process.kill()
            self._process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self._reader.join(5)
        self._close_stderr()
        shutil.rmtree(self._directory, ignore_errors=True)
