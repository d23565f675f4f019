#!/usr/bin/env bash
# A just-started fer serve and its first burst: RUNS times in a row, a fresh `fer serve` (its defaults: 5 s longest
# wait, queue 256, a worker per core, the warm-up) is launched, and the moment /health answers, 200 one-face 640x480
# JPEG uploads are sent at once. Prints per run the seconds from launch to /health, the warm-up's share of them, how
# many uploads got 200, and the latency; then COMPARE runs with --warm-up 0, to show what the warm-up adds to the
# start and what it saves the burst. Target (issue 29): 200 of 200 in every run.
# Usage: bench/burst.sh [runs, default 10] [runs without warm-up, default 3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-10}"
compare="${2:-3}"
./fer --version >/dev/null   # builds the jar if the sources changed
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp=(-cp "bench/target/classes:$(cat bench/target/classpath.txt)")
java -Djava.awt.headless=true "${cp[@]}" io.github.fer4j.bench.BenchPhoto "$work/photo.jpg" 2>/dev/null

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# run LABEL WARM_UP: one fresh server, its first burst; one table row.
rows=()
run() {
  local port launched line
  port=$(free_port)
  ./fer --version >/dev/null   # a jar older than the sources is rebuilt here, not inside the timed start
  launched=$(date +%s%3N)
  ./fer serve --port "$port" --warm-up "$2" 2> "$work/server.log" &
  server=$!
  line=$(java "${cp[@]}" io.github.fer4j.bench.BurstClient "http://127.0.0.1:$port" "$work/photo.jpg" 200 "$launched" "$server") \
    || { cat "$work/server.log" >&2; exit 1; }
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  rows+=("$(echo "$line" | awk -v l="$1" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    '{ printf "| %-23s | %7.2f | %7.2f | %5d | %-9s | %6.2f | %6.2f | %6.2f | %8s | %5s |", l, $1, $2, $3, $4, $5, $6, $7, $8, load }')")
}
for i in $(seq "$runs"); do run "warm-up 5 (default) #$i" 5; done
for i in $(seq "$compare"); do run "--warm-up 0 #$i" 0; done

echo "fer serve, a fresh server per run, 200 simultaneous uploads of a one-face 640x480 JPEG the moment /health answers;"
echo "$(nproc) cores, $(date -u +%Y-%m-%d). start: launch to /health, seconds; warm-up: the server's own, included in start;"
echo "latency of the uploads served, from sending to the answer, seconds; estimate: the wait the server gave when it first"
echo "refused one (503 \"would be about X s\"), to read against the max; load: the one-minute load average after the run."
echo
echo "| run                     | start s | warm-up | 200   | other     | p50    | p99    | max    | estimate | load  |"
echo "|-------------------------|---------|---------|-------|-----------|--------|--------|--------|----------|-------|"
printf '%s\n' "${rows[@]}"
