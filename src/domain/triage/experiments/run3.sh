#!/bin/bash
# run3.sh NAME [eval options...]: the three held-out parts (validation, train folds 2 and 3), with
# age; member dumps in src/domain/triage/experiments/dumps/NAME-*.jsonl (git-ignored: row ids and
# probabilities only). BUILD (default build) and TRIAGE_DATA (default ../shared/data/triage) as in
# the Makefile. Then: mix.py dumps/NAME-val.jsonl dumps/NAME-f2.jsonl dumps/NAME-f3.jsonl
set -eu
name=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
B=${BUILD:-$root/build}/ihos
D=${TRIAGE_DATA:-$root/../shared/data/triage}
O=$here/dumps
mkdir -p "$O"
"$B" triage eval --data "$D" --on validation --with-age --dump-members "$O/$name-val.jsonl" "$@" > "$O/$name-val.log" 2>&1
for f in 2 3; do "$B" triage eval --data "$D" --fold $f --with-age --dump-members "$O/$name-f$f.jsonl" "$@" > "$O/$name-f$f.log" 2>&1; done
grep -h "haodf:" "$O/$name-val.log" "$O/$name-f2.log" "$O/$name-f3.log"
