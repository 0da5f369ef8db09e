#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: what coca sees (sensors), what it measures around a ~30 s GPU load
# (run), and the energy counter compared with nvidia-smi's power integrated at 10 Hz over the same run.
# Usage: bench/device/build.sh here; then there: bench/device/nvml-check.sh   (results under $OUT)
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-$(mktemp -d)}
COCA=${COCA:-bench/device/bin/coca}
SECONDS_OF_LOAD=${SECONDS_OF_LOAD:-30}
echo "results in $OUT"

{ nvidia-smi -L; nvidia-smi --query-gpu=name,driver_version,power.limit,mig.mode.current --format=csv; } 2>&1 | tee "$OUT/gpu.txt"
"$COCA" sensors --json > "$OUT/sensors.json" 2> "$OUT/sensors.err"; echo "sensors exit $?"; cat "$OUT/sensors.err"

cat > "$OUT/load.py" <<PY
import time, torch
a = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
b = torch.randn(8192, 8192, device="cuda", dtype=torch.bfloat16)
end = time.time() + $SECONDS_OF_LOAD
n = 0
while time.time() < end:
    for _ in range(20): c = a @ b
    torch.cuda.synchronize(); n += 20
print(f"{n} matmuls of 8192^3 bf16 in $SECONDS_OF_LOAD s")
PY

nvidia-smi --query-gpu=timestamp,uuid,power.draw --format=csv,noheader,nounits -lms 100 > "$OUT/power.csv" &
trace=$!
sleep 1
"$COCA" run --json --no-csv --interval 0.5 -- python3 "$OUT/load.py" > "$OUT/run.json" 2> "$OUT/run.err"
echo "run exit $?"; cat "$OUT/run.err"
sleep 1; kill $trace

python3 - "$OUT" <<'PY'
import csv, json, sys, datetime as dt
out = sys.argv[1]
text = open(f"{out}/run.json").read()
run = json.loads(text if text.startswith("{") else text[text.index("\n{") + 1:])  # the load's own output comes first
start = dt.datetime.fromisoformat(run["started_at"]).timestamp(); end = dt.datetime.fromisoformat(run["ended_at"]).timestamp()
series = {}
for row in csv.reader(open(f"{out}/power.csv")):
    try:
        t = dt.datetime.strptime(row[0].strip(), "%Y/%m/%d %H:%M:%S.%f").timestamp(); w = float(row[2])
    except (ValueError, IndexError):
        continue
    series.setdefault(row[1].strip(), []).append((t, w))
print(f"run: {run['duration_s']:.1f} s, gpu energy {run['energy_j']['gpu']:.1f} J ({run['provenance']['gpu']}), selection: {run['gpu_selection']}")
for d in run["devices"]:
    if d["kind"] != "gpu": continue
    pts = [p for p in series.get(d["attributes"].get("uuid", ""), []) if start <= p[0] <= end]
    integ = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(pts, pts[1:]))
    span = pts[-1][0] - pts[0][0] if len(pts) > 1 else 0
    scaled = integ * (end - start) / span if span else float("nan")
    ratio = d["energy_j"] / scaled if scaled else float("nan")
    print(f"{d['id']}: counter {d['energy_j']:.1f} J ({d['provenance']}), nvidia-smi power integrated {integ:.1f} J over {span:.1f} s "
          f"(scaled to the run: {scaled:.1f} J), counter / integrated = {ratio:.4f}")
PY
