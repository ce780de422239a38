#!/bin/sh
# AWS Batch sets AWS_BATCH_JOB_ARRAY_INDEX (0-based) in every child of an array job.
LINE=$((AWS_BATCH_JOB_ARRAY_INDEX + 1))
COLOR=$(sed -n ${LINE}p /tmp/colors.txt)
echo My favorite color of the rainbow is $COLOR.
