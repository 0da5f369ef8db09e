#!/bin/sh
# A Slurm job that "uses" its GPUs: every 0.3 s it adds DELTA mJ to the energy counter of each GPU in
# CUDA_VISIBLE_DEVICES in the NVML test library's state file (under a lock, a new file each time), and
# records what it added: the ground truth the agent's figures are checked against.
STATE=$1; STEPS=$2; DELTA=$3; TRUTH=$4
sleep 0.5
i=0
while [ $i -lt "$STEPS" ]; do
  sleep 0.3
  for g in $(echo "$CUDA_VISIBLE_DEVICES" | tr ',' ' '); do
    flock "$STATE.lock" sh -c "awk -v g=gpu$g.energy_mj= -v d=$DELTA 'index(\$0, g) == 1 { split(\$0, kv, \"=\"); \$0 = g (kv[2] + d) } { print }' '$STATE' > '$STATE.new' && mv '$STATE.new' '$STATE'"
  done
  i=$((i + 1))
done
echo "$SLURM_JOB_ID $CUDA_VISIBLE_DEVICES $((STEPS * DELTA))" >> "$TRUTH"
sleep 0.5
