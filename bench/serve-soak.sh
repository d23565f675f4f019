#!/usr/bin/env bash
# fer serve for a long run: first its capacity for one-face 640x480 JPEG uploads (4 connections, each sending the next
# upload when the last is answered, 60 s), then uploads at a fixed share of that capacity (default 80 %) for the given
# minutes (default 30), sent at a steady pace whether or not the last was answered. Prints a row a minute: uploads
# sent and answered, latency, and the server's RSS, open files and threads from /proc; then start, middle and end.
# Target (issue 29): RSS and open files flat, within 10 % from start to end.
# On a machine of 2 or more cores the load generator is pinned to the last core and the server to the others (as
# bench/serve.sh does). Usage: bench/serve-soak.sh [minutes] [share of capacity]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes="${1:-30}"
share="${2:-0.8}"
./fer --version >/dev/null   # builds the jar if the sources changed
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
work="$(mktemp -d)"
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cp=(-cp "bench/target/classes:$(cat bench/target/classpath.txt)")
java -Djava.awt.headless=true "${cp[@]}" io.github.fer4j.bench.BenchPhoto "$work/photo.jpg" 2>/dev/null
cores=$(nproc)
pin_server=() pin_load=()
if [ "$cores" -gt 1 ] && command -v taskset >/dev/null; then
  pin_server=(taskset -c "0-$((cores - 2))")
  pin_load=(taskset -c "$((cores - 1))")
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
# ./fer ends in exec: the process started here is the server's JVM, whose /proc the soak reads.
"${pin_server[@]}" ./fer serve --port "$port" 2> "$work/server.log" &
server=$!
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
url="http://127.0.0.1:$port/api/v1/emotions"
read -r capacity ok other < <("${pin_load[@]}" java "${cp[@]}" io.github.fer4j.bench.ServeSoak capacity "$url" "$work/photo.jpg" 60 4)
rate=$(awk -v c="$capacity" -v s="$share" 'BEGIN { printf "%.2f", c * s }')
echo "fer serve soak, $(date -u +%Y-%m-%d), $cores cores (server on ${pin_server[*]:-all cores}, load on ${pin_load[*]:-all cores}),"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "capacity: $capacity uploads/s ($ok answered 200 and $other not, in 60 s, 4 connections); soak at $share of it: $rate/s"
"${pin_load[@]}" java "${cp[@]}" io.github.fer4j.bench.ServeSoak soak "$url" "$work/photo.jpg" "$rate" $((minutes * 60)) "$server" 60
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
