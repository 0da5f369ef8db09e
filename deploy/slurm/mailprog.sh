#!/bin/sh
# Slurm MailProg (slurm.conf: MailProg=/etc/slurm/coca-mailprog.sh). slurmctld runs it as SlurmUser as
# `MailProg -s SUBJECT RECIPIENT`, the job in SLURM_JOB_* variables. coca sends the mail as it came, with the job's
# Coca4ai report appended to end-of-job mails (END, FAIL), through [feedback] smtp or [feedback] mail_command
# (default: /usr/sbin/sendmail -t -oi). The mail is sent even when the store is down; only a mail that could not be
# sent at all exits non-zero, and slurmctld logs what coca printed.
exec /usr/local/bin/coca slurm mail "$@"
