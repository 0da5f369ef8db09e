#!/usr/bin/env bash
# Stops the daemons start-cluster.sh started under $1, by their pid files (munged stays: other tests may share it).
T=$1
for d in slurmd slurmctld; do
  if [ -f "$T/$d.pid" ]; then kill "$(cat "$T/$d.pid")" 2>/dev/null || true; fi
done
for _ in $(seq 1 20); do
  alive=0
  for d in slurmd slurmctld; do [ -f "$T/$d.pid" ] && kill -0 "$(cat "$T/$d.pid")" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && exit 0
  sleep 0.25
done
for d in slurmd slurmctld; do [ -f "$T/$d.pid" ] && kill -9 "$(cat "$T/$d.pid")" 2>/dev/null; done
exit 0
