#!/usr/bin/env bash
# Serve the dashboard from N Streamlit replicas behind nginx on one machine (`make serve-replicas N=3`).
#
#   scripts/serve_replicas.sh [--replicas N] [--first-port P | --ports P1,P2,...] [--listen ADDR:PORT] [--run-dir DIR]
#
# Each replica is `streamlit run dashboard.py` on its own loopback port, all over the same data folder (SPBE_DATA_DIR,
# else data/ of the checkout): an import committed through one is in force for every replica's next rerun, and
# imports queue on the lock in data/imports/ whichever process saves them (spbe/data/versions.py). nginx
# (deploy/nginx.conf.template, deploy/spbe.conf.template) keeps each browser on its replica with a cookie and passes
# the websocket on. The replicas' /_stcore/health is checked every 5 s: a replica that fails twice leaves the
# upstream (nginx reloads; the sessions on the others keep their connections) and comes back once healthy.
# Ctrl-C (or SIGTERM) stops nginx and every replica. Logs, pid files and the rendered configuration stay in the run
# folder. Messages are Indonesian: the operator reads them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="$ROOT/.venv/bin/python"
CHECK_EVERY_S=5
START_TIMEOUT_S=120  # a replica imports pandas, plotly and duckdb before it answers; slow on a loaded machine

replicas=3
first_port=8511
ports=""
listen="127.0.0.1:8500"
run_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas="$2"; shift 2 ;;
    --first-port) first_port="$2"; shift 2 ;;
    --ports) ports="$2"; shift 2 ;;
    --listen) listen="$2"; shift 2 ;;
    --run-dir) run_dir="$2"; shift 2 ;;
    *) echo "Opsi tidak dikenal: $1 (lihat kepala berkas $0)" >&2; exit 2 ;;
  esac
done
if [ -n "$ports" ]; then
  IFS=, read -r -a port_list <<<"$ports"
else
  [[ $replicas =~ ^[1-9][0-9]*$ ]] || { echo "Jumlah replika harus bilangan bulat positif: $replicas" >&2; exit 2; }
  port_list=()
  for ((i = 0; i < replicas; i++)); do port_list+=($((first_port + i))); done
fi

nginx_bin="$(command -v nginx || true)"
[ -n "$nginx_bin" ] || [ ! -x /usr/sbin/nginx ] || nginx_bin=/usr/sbin/nginx  # sbin is not on every user's PATH
if [ -z "$nginx_bin" ]; then
  echo "nginx tidak terpasang. Pasang sebagai root dengan: apt-get install -y nginx" >&2
  exit 1
fi
if [ ! -x "$PYTHON" ]; then
  echo "Lingkungan Python belum ada ($PYTHON): \`make serve-replicas\` memasangnya lebih dulu." >&2
  exit 1
fi

run_dir="${run_dir:-$(mktemp -d "${TMPDIR:-/tmp}/spbe-replika.XXXXXX")}"
mkdir -p "$run_dir/nginx-temp"
run_dir="$(cd "$run_dir" && pwd)"

declare -A pid_of fails
nginx_pid=""
stop() {
  trap - EXIT INT TERM
  echo "Menghentikan nginx dan ${#port_list[@]} replika..."
  [ -z "$nginx_pid" ] || kill -TERM "$nginx_pid" 2>/dev/null || true
  for port in "${port_list[@]}"; do kill -TERM "${pid_of[$port]:-}" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 0 when the replica on port $1 answers /_stcore/health with 200 within 2 s (bash's own TCP: no curl needed).
healthy() {
  local fd status=""
  exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET /_stcore/health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&"$fd"
  IFS= read -r -t 2 status <&"$fd" || true
  exec {fd}>&-
  [[ $status == "HTTP/1."?" 200"* ]]
}

# Write spbe.conf for the replicas on the given ports (every replica when none is healthy: nginx then answers 502).
render() {
  local servers="" port template
  for port in "$@"; do servers+="    server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'; done
  template="$(<"$ROOT/deploy/spbe.conf.template")"
  template="${template//@SERVERS@/${servers%$'\n'}}"
  printf '%s\n' "${template//@LISTEN@/$listen}" >"$run_dir/spbe.conf.tmp"
  mv "$run_dir/spbe.conf.tmp" "$run_dir/spbe.conf"
}

echo "Folder data: ${SPBE_DATA_DIR:-$ROOT/data}"
echo "Folder kerja (log, pid, konfigurasi): $run_dir"
cd "$ROOT"  # .streamlit/config.toml and pages/ are read from the working directory
for port in "${port_list[@]}"; do
  "$PYTHON" -m streamlit run dashboard.py --server.port "$port" --server.address 127.0.0.1 \
    --server.headless true >"$run_dir/replika-$port.log" 2>&1 &
  pid_of[$port]=$!
  fails[$port]=0
  echo "${pid_of[$port]}" >"$run_dir/replika-$port.pid"
done

deadline=$((SECONDS + START_TIMEOUT_S))
for port in "${port_list[@]}"; do
  until healthy "$port" 2>/dev/null; do
    if ! kill -0 "${pid_of[$port]}" 2>/dev/null || [ $SECONDS -ge $deadline ]; then
      echo "Replika di port $port tidak siap; lihat $run_dir/replika-$port.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

render "${port_list[@]}"
nginx_conf="$(<"$ROOT/deploy/nginx.conf.template")"
nginx_conf="${nginx_conf//@USER@/$(id -un) $(id -gn)}"
printf '%s\n' "${nginx_conf//@RUN_DIR@/$run_dir}" >"$run_dir/nginx.conf"
"$nginx_bin" -t -q -p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/nginx-error.log" || exit 1
"$nginx_bin" -p "$run_dir" -c "$run_dir/nginx.conf" -e "$run_dir/nginx-error.log" &
nginx_pid=$!
echo "$nginx_pid" >"$run_dir/nginx-master.pid"
echo "Dasbor SPBE: http://$listen (${#port_list[@]} replika di port ${port_list[*]}). Hentikan dengan Ctrl-C."

in_force=" ${port_list[*]} "
while kill -0 "$nginx_pid" 2>/dev/null; do
  sleep "$CHECK_EVERY_S" &
  wait $! || true
  serving=()
  for port in "${port_list[@]}"; do
    if healthy "$port" 2>/dev/null; then fails[$port]=0; else fails[$port]=$((fails[$port] + 1)); fi
    # two failures in a row: one slow answer during a heavy rerun does not move a replica's sessions
    [ "${fails[$port]}" -ge 2 ] || serving+=("$port")
  done
  if [ " ${serving[*]} " != "$in_force" ]; then
    echo "Replika yang melayani sekarang: ${serving[*]:-tidak ada} (/_stcore/health diperiksa tiap $CHECK_EVERY_S s)"
    if [ ${#serving[@]} -gt 0 ]; then render "${serving[@]}"; else render "${port_list[@]}"; fi
    # reload: new connections follow the new upstream, open websockets stay where they are
    kill -HUP "$nginx_pid" 2>/dev/null || true
    in_force=" ${serving[*]} "
  fi
done
# nginx stopped: by a signal sent to it (it then exits 0, as with Ctrl-C in a terminal), or by a fault
status=0
wait "$nginx_pid" || status=$?
nginx_pid=""
[ "$status" -eq 0 ] || { echo "nginx berhenti (kode $status); lihat $run_dir/nginx-error.log" >&2; exit 1; }
