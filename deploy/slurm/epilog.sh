#!/bin/sh
# Slurm Epilog (slurm.conf: Epilog=/etc/slurm/coca-epilog.sh): records the job's end; the agent then
# finalises its figures and writes /var/lib/coca/reports/<job>.txt and .json.
/usr/local/bin/coca slurm epilog --state-dir /var/lib/coca >> /var/log/coca-epilog.log 2>&1 || true
exit 0
