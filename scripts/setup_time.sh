#!/usr/bin/env bash
# Set-up time of a new user: a fresh clone to the first page `make run` serves, with the Makefile before uv
# (BEFORE, a commit: venv + pip) and the Makefile of this checkout (venv + uv), side by side in one session.
#
#   scripts/setup_time.sh [BEFORE]      BEFORE defaults to 2343586, the last commit before uv
#
# Four runs, each in its own clone under a fresh folder: before and after with empty package caches (a fresh
# PIP_CACHE_DIR and UV_CACHE_DIR: every package comes from the index), then both again with the caches their first
# run filled (a second project on the same machine). Each prints its seconds and the load average before and after;
# port 8501 (make run's) must be free. The clones are removed at the end, the caches too.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BEFORE="${1:-2343586}"
work="$(mktemp -d "${TMPDIR:-/tmp}/spbe-setup.XXXXXX")"
trap 'rm -rf "$work"' EXIT

served() {  # the first page answers 200 on make run's port
  python3 -c 'import sys, urllib.request
try:
    sys.exit(0 if urllib.request.urlopen("http://127.0.0.1:8501/", timeout=2).status == 200 else 1)
except OSError:
    sys.exit(1)'
}

measure() {  # $1: before|after, $2: cold|warm
  local clone="$work/clone-$1-$2" start pid
  served && { echo "port 8501 already serves a page: stop that server first" >&2; exit 1; }
  echo "== $1 ($2 caches); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(date +%s%N)
  git clone --quiet "$ROOT" "$clone"
  if [ "$1" = before ]; then
    git -C "$ROOT" show "$BEFORE:Makefile" >"$clone/Makefile"
  else
    cp "$ROOT/Makefile" "$clone/"
  fi
  # exec setsid: make gets the subshell's pid and a session of its own, which is stopped whole afterwards
  (cd "$clone" && export PIP_CACHE_DIR="$work/pip-$1" UV_CACHE_DIR="$work/uv-$1" && exec setsid make run \
    >"$work/$1-$2.log" 2>&1) &
  pid=$!
  until served; do
    kill -0 "$pid" 2>/dev/null || { echo "make run stopped; its output:" >&2; cat "$work/$1-$2.log" >&2; exit 1; }
    sleep 0.2
  done
  local ms=$((($(date +%s%N) - start) / 1000000))
  printf '%s %s: %d.%01d s from clone to first page; load after: %s\n' "$1" "$2" $((ms / 1000)) $((ms % 1000 / 100)) \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  while served; do sleep 0.5; done
}

for caches in cold warm; do
  measure before "$caches"
  measure after "$caches"
done
