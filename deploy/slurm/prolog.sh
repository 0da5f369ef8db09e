#!/bin/sh
# Slurm Prolog (slurm.conf: Prolog=/etc/slurm/coca-prolog.sh). slurmd runs it as root with no PATH.
# coca writes the job's allocation to /var/lib/coca/jobs and returns at once, whether the agent runs or not.
# It must never fail the job: a failing Prolog drains the node.
/usr/local/bin/coca slurm prolog --state-dir /var/lib/coca >> /var/log/coca-prolog.log 2>&1 || true
exit 0
