#!/bin/sh
# Slurm Prolog (slurm.conf: Prolog=/etc/slurm/coca-prolog.sh). slurmd runs it as root with no PATH.
# coca writes the job's allocation to /var/lib/coca/jobs and returns at once, whether the agent runs or not.
# When it cannot (a full disk), --on-failure says what Slurm hears: drain (the node is drained with the reason,
# the job runs, exit 0) or fail (exit 1: Slurm requeues the job and drains the node). Its exit code is passed on,
# never swallowed: an unrecorded job is an unmeasured one. See deploy/slurm/README.md.
/usr/local/bin/coca slurm prolog --state-dir /var/lib/coca --on-failure drain >> /var/log/coca-prolog.log 2>&1
exit $?
