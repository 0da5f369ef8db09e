#!/bin/sh
# Slurm Epilog (slurm.conf: Epilog=/etc/slurm/coca-epilog.sh): records the job's end; the agent then
# finalises its figures and writes /var/lib/coca/reports/<job>.txt and .json. A record that cannot be written is
# told to Slurm per --on-failure (drain by default, see prolog.sh); the agent still ends the job when its cgroup goes.
/usr/local/bin/coca slurm epilog --state-dir /var/lib/coca --on-failure drain >> /var/log/coca-epilog.log 2>&1
exit $?
