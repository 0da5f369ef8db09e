#!/usr/bin/env bash
# Runs every test of Coca4ai and ends with one line: "tests: N passed, N failed, N skipped".
# The NVML test library (tests/native/fake_nvml.c) is compiled by the tests themselves with gcc.
set -uo pipefail
cd "$(dirname "$0")"

work=$(mktemp -d /tmp/coca-tests.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v gcc >/dev/null || { echo "gcc is needed to build the NVML test library (apt-get install gcc)"; echo "tests: 0 passed, 1 failed"; exit 1; }

dotnet build Coca4ai.slnx -nologo -v quiet -clp:ErrorsOnly || { echo "tests: 0 passed, 1 failed (build failed)"; exit 1; }
dotnet test Coca4ai.slnx --no-build -nologo 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}

# "Passed!  - Failed:     0, Passed:    41, Skipped:     0, Total:    41, ..." one line per test project.
read -r passed failed skipped < <(grep -E '^(Passed|Failed)!' "$work/test.log" | awk -F'[:,]' '
  { for (i = 1; i < NF; i++) { n = split($i, words, " "); k = words[n]; v = $(i+1) + 0;
      if (k == "Failed") f += v; else if (k == "Passed") p += v; else if (k == "Skipped") s += v } }
  END { printf "%d %d %d\n", p, f, s }')
# The benchmark harness in smoke mode (seconds, no timing assertions): each must still run, find every
# record once and balance its books. The full runs and their figures: README, section Benchmarks.
for bench in ingest tick accuracy store behaviours run-overhead dashboard motd; do
  if dotnet bench/Coca.Bench/bin/Debug/net10.0/Coca.Bench.dll "$bench" --smoke > "$work/bench-$bench.log" 2>&1; then
    passed=$((passed + 1)); echo "bench smoke $bench: passed"
  else
    failed=$((failed + 1)); status=1; echo "bench smoke $bench: FAILED"; tail -20 "$work/bench-$bench.log"
  fi
done

# Every test project must have reported: a project that crashed before its summary is a failure.
projects=$(grep -cE '^(Passed|Failed)!' "$work/test.log")
expected=$(grep -cE 'tests/[^"]*\.Tests\.csproj' Coca4ai.slnx)
if [ "$projects" -lt "$expected" ]; then echo "only $projects of $expected test projects reported"; status=1; failed=$((failed + 1)); fi
echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
