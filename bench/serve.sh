#!/usr/bin/env bash
# Server load benchmark: fer serve on loopback, driven by wrk from another process for 30 s with 16 connections,
# posting a one-face 640x480 JPEG. Prints requests/s, p50/p99 latency, errors and the server's RSS over the run.
# On a machine of 2 or more cores the load generator is pinned to the last core and the server to the others
# (taskset), so that wrk's own work does not come out of the server's time; the table says which cores each had.
# Targets (issue 14): 200 requests/s or more, p99 under 150 ms, RSS flat.
# With a third argument "stream", every request is a frame of one webcam stream (X-Fer-Stream: each frame is searched
# near the last frame's face first, and whole every 10th frame), as the page's webcam sends them.
# Usage: bench/serve.sh [seconds] [connections] [stream]   (FER_SERVE_ARGS="--detector haar" adds fer serve options)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-30}"
connections="${2:-16}"
stream=""
[ "${3:-}" = "stream" ] && stream="bench-webcam"
command -v wrk >/dev/null || { echo "bench: installing wrk (Debian)" >&2; apt-get update -qq && apt-get install -y -qq wrk >&2; }
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl fer-cli,bench -am >&2
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
java -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.github.fer4j.bench.BenchPhoto "$work/photo.jpg" 2>/dev/null
port=18089
cores=$(nproc)
server_cpus="0-$((cores > 1 ? cores - 2 : 0))"
load_cpus="$((cores - 1))"
pin_server=() pin_load=()
if [ "$cores" -gt 1 ] && command -v taskset >/dev/null; then
  pin_server=(taskset -c "$server_cpus")
  pin_load=(taskset -c "$load_cpus")
fi
# As the fer launcher runs serve: one intra-op thread per request for the CNN (requests run side by side).
"${pin_server[@]}" java -Dai.djl.pytorch.num_threads=1 -Dfer.engine.threads=1 --add-modules jdk.incubator.vector -Djava.awt.headless=true -jar fer-cli/target/fer.jar serve --port "$port" ${FER_SERVE_ARGS:-} 2>"$work/server.log" &
server=$!
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
# Warm-up, then the measured run with RSS sampled every second.
PHOTO="$work/photo.jpg" STREAM="$stream" "${pin_load[@]}" wrk -t1 -c4 -d5s -s bench/post.lua "http://127.0.0.1:$port/api/v1/emotions" >/dev/null
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status"; }
: > "$work/rss"
( for _ in $(seq "$seconds"); do rss >> "$work/rss"; sleep 1; done ) &
sampler=$!
PHOTO="$work/photo.jpg" STREAM="$stream" "${pin_load[@]}" wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/post.lua "http://127.0.0.1:$port/api/v1/emotions" > "$work/wrk.txt"
wait "$sampler"
faces=$(curl -s -H 'Content-Type: image/jpeg' --data-binary @"$work/photo.jpg" "http://127.0.0.1:$port/api/v1/emotions" | grep -o '"dominant"' | wc -l)
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
p50=$(awk '/ 50%/ {print $2}' "$work/wrk.txt")
p99=$(awk '/ 99%/ {print $2}' "$work/wrk.txt")
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt"); non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$work/wrk.txt"); sockerr=${sockerr:-0}
read -r first peak last < <(awk 'NR==1{f=$1} {if($1>p)p=$1; l=$1} END {print f, p, l}' "$work/rss")
echo "fer4j server benchmark: ${seconds} s, ${connections} connections, one-face 640x480 JPEG ($faces face found)${FER_SERVE_ARGS:+, fer serve $FER_SERVE_ARGS}${stream:+ as frames of one webcam stream}, $cores cores:" \
  "server on ${pin_server[*]:-all cores}, wrk on ${pin_load[*]:-all cores}"
echo
printf '%-24s %s\n' "requests" "$requests" "requests/s" "$rps (target 200)" "latency p50" "$p50" "latency p99" "$p99 (target < 150ms)" \
  "errors (non-2xx, socket)" "$non2xx, $sockerr (target 0)" "server RSS MB" "first $first, peak $peak, last $last (target: flat)" \
  "RSS every 5 s, MB" "$(awk 'NR%5==1 {printf "%s ", $1}' "$work/rss")"
