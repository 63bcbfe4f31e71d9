#!/usr/bin/env bash
# Proves that a fresh Debian 12 gets from nothing to a running ihos with the README's two steps:
# debootstraps a minimal bookworm into a directory, installs only `git` and `make` in it, clones
# this repository there (from a local path, at HEAD: no network clone) and runs `make run` until
# /healthz answers. Prints the time from the start of `make run` and from the start of the script,
# then stops the server it started (by PID), unmounts and removes the directory. Needs root.
#
#   scripts/fresh-debian-check.sh [REPO] [DIR]
#     REPO  repository to clone, at its HEAD (default: the one this script lives in)
#     DIR   where the chroot goes (default: a new directory under /tmp; removed at the end)
#   Environment:
#     LISTEN=127.0.0.77:18080   where `make run` listens (a loopback address; the chroot shares
#                               the host's network, so /healthz is polled from outside)
#     SHARED=/work/shared       bind this directory read-only at /work/shared in the chroot, where
#                               the Makefile looks for the drug, ICD-10 and triage data (default:
#                               none, as on a newcomer's machine: `make run` says the data is missing)
#     DEBIAN_MIRROR=http://deb.debian.org/debian
#     TIMEOUT_MIN=90            give up when /healthz has not answered after this many minutes
#     KEEP=1                    keep the chroot directory (it is always unmounted)
set -euo pipefail

t_script=$(date +%s)
here=$(cd "$(dirname "$0")/.." && pwd)
REPO=${1:-$here}
LISTEN=${LISTEN:-127.0.0.77:18080}
SHARED=${SHARED:-}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
TIMEOUT_MIN=${TIMEOUT_MIN:-90}
KEEP=${KEEP:-0}

if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-debian-check: run as root (debootstrap, chroot and mounts need it)" >&2
  exit 2
fi
case $LISTEN in
  127.*:*) ;;
  *) echo "fresh-debian-check: LISTEN must be a 127.x address with a port, not $LISTEN" >&2; exit 2 ;;
esac
head=$(git -C "$REPO" rev-parse HEAD)

created_dir=0
if [[ $# -ge 2 ]]; then
  DIR=$2
  mkdir -p "$DIR"
  if [[ -n $(ls -A "$DIR") ]]; then
    echo "fresh-debian-check: $DIR is not empty" >&2
    exit 2
  fi
else
  DIR=$(mktemp -d /tmp/ihos-fresh-debian.XXXXXX)
  created_dir=1
fi
DIR=$(cd "$DIR" && pwd)
chmod 755 "$DIR" # it becomes the chroot's /: mktemp's 0700 would lock out _apt, postgres...
LOG=$DIR.make-run.log

elapsed() { local s=$(($(date +%s) - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
say() { echo "fresh-debian-check [$(elapsed "$t_script")]: $*"; }

run_pid=""
# Everything mounted under $DIR, deepest first.
mounts_under_dir() { findmnt -rn -o TARGET | grep -E "^$DIR(/|$)" | sort -r || true; }

cleanup() {
  local rc=$?
  set +e
  if [[ -n $run_pid ]] && kill -0 "$run_pid" 2>/dev/null; then
    # `make run` runs in a session of its own (setsid): the server is its child. Stop the server
    # by its PID first, then whatever is left of the group we started (make, a compiler...).
    local child
    for child in $(pgrep -P "$run_pid"); do kill -TERM "$child" 2>/dev/null; done
    for _ in $(seq 50); do [[ -z $(pgrep -P "$run_pid") ]] && break; sleep 0.2; done
    kill -TERM -- "-$run_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$run_pid" 2>/dev/null
    wait "$run_pid" 2>/dev/null
  fi
  local m
  for m in $(mounts_under_dir); do umount -R "$m" 2>/dev/null || umount -l "$m"; done
  if [[ -n $(mounts_under_dir) ]]; then
    echo "fresh-debian-check: still mounted under $DIR; not removing it" >&2
  elif [[ $KEEP != 1 ]]; then
    if [[ $created_dir == 1 ]]; then rm -rf "$DIR"; else find "$DIR" -mindepth 1 -delete; fi
  fi
  [[ $rc -ne 0 ]] && echo "fresh-debian-check: FAILED (exit $rc); make run's output: $LOG" >&2
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

in_chroot() { chroot "$DIR" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
fi

say "debootstrap bookworm (minbase) into $DIR"
debootstrap --variant=minbase bookworm "$DIR" "$MIRROR" >"$DIR.debootstrap.log" 2>&1 ||
  { tail -20 "$DIR.debootstrap.log" >&2; exit 1; }
rm -f "$DIR.debootstrap.log"
# The sources of an installed Debian 12: the release, its updates and the security archive.
security=${MIRROR%/debian}/debian-security
[[ $security == "$MIRROR" ]] && security=http://deb.debian.org/debian-security
cat >"$DIR/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$DIR/etc/resolv.conf"
# No services start inside the chroot (the PostgreSQL package would start a server otherwise).
printf '#!/bin/sh\nexit 101\n' >"$DIR/usr/sbin/policy-rc.d"
chmod 755 "$DIR/usr/sbin/policy-rc.d"
# Certificate authorities the host trusts locally (e.g. a TLS-inspecting proxy on this network):
# the chroot's ca-certificates package picks them up when install-deps installs it.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$DIR/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$DIR/usr/local/share/ca-certificates/"
fi

mount -t proc proc "$DIR/proc"
mount -t sysfs sysfs "$DIR/sys"
mount --rbind /dev "$DIR/dev"
mount --make-rslave "$DIR/dev"
if [[ -n $SHARED ]]; then
  mkdir -p "$DIR/work/shared"
  mount --bind "$SHARED" "$DIR/work/shared"
  mount -o remount,bind,ro "$DIR/work/shared"
fi

say "apt-get install git make (nothing else)"
in_chroot apt-get update -qq
in_chroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends git make >/dev/null

say "git clone $REPO at $head"
mkdir -p "$DIR/srv"
git init -q --bare "$DIR/srv/ihos.git"
git -C "$REPO" push -q "$DIR/srv/ihos.git" "$head:refs/heads/main"
git --git-dir="$DIR/srv/ihos.git" symbolic-ref HEAD refs/heads/main
in_chroot git clone -q /srv/ihos.git /work/ihos
rm -rf "$DIR/srv/ihos.git"

say "make run LISTEN=$LISTEN (output: $LOG)"
t_make=$(date +%s)
setsid chroot "$DIR" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /bin/sh -c "cd /work/ihos && exec make run LISTEN=$LISTEN" >"$LOG" 2>&1 </dev/null &
run_pid=$!

deadline=$((t_make + TIMEOUT_MIN * 60))
until curl -fsS --max-time 5 "http://$LISTEN/healthz" >/dev/null 2>&1; do
  if ! kill -0 "$run_pid" 2>/dev/null; then
    echo "fresh-debian-check: make run ended before /healthz answered; last lines:" >&2
    tail -30 "$LOG" >&2
    exit 1
  fi
  if [[ $(date +%s) -gt $deadline ]]; then
    echo "fresh-debian-check: /healthz did not answer within $TIMEOUT_MIN minutes; last lines:" >&2
    tail -30 "$LOG" >&2
    exit 1
  fi
  sleep 2
done

healthz=$(curl -fsS --max-time 5 "http://$LISTEN/healthz")
say "/healthz answered: $healthz"
grep -E '^no (drug|ICD-10|triage) data' "$LOG" | sed 's/^/  make run: /' || true
echo "fresh-debian-check: PASSED: http://$LISTEN/ answered $(elapsed "$t_make") after the start of" \
  "make run, $(elapsed "$t_script") after the start of the script (shared data: ${SHARED:-none})"
