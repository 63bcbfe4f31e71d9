#!/bin/bash
# run3.sh NAME [eval options...]: validation, fold 2, fold 3 with age; member dumps in scratch/dumps/NAME-*.jsonl
name=$1; shift
B=/work/wt-triage/build/ihos; D=/work/shared/data/triage; O=/work/wt-triage/scratch/dumps
$B triage eval --data $D --on validation --with-age --dump-members $O/$name-val.jsonl "$@" > $O/$name-val.log 2>&1
for f in 2 3; do $B triage eval --data $D --fold $f --with-age --dump-members $O/$name-f$f.jsonl "$@" > $O/$name-f$f.log 2>&1; done
grep -h "haodf:" $O/$name-val.log $O/$name-f2.log $O/$name-f3.log
