#!/usr/bin/env bash
# fer video on a long generated video (default one hour, 640x480, 30 frames/s; a face that drifts, changes every second
# and leaves for 2 s every minute, see LongVideo): the process's RSS, open files and threads every 10 s into a log, a
# row every 10 minutes with how far into the video it is, and the first, middle and last sample compared.
# Target (issue 29): RSS flat, within 10 % from the first row to the end.
# Usage: bench/video-soak.sh [seconds of video] [fer2013.csv.gz]   (it runs for about as long as the video is, or more;
#   ROW_SECONDS=60 prints a row a minute instead of every 10 minutes)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-3600}"
data="${2:-../shared/data/fer2013.csv.gz}"
./fer --version >/dev/null   # builds the jar if the sources changed
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
work="$(mktemp -d)"
video_pid=""
trap '[ -n "$video_pid" ] && kill "$video_pid" 2>/dev/null; rm -rf "$work"' EXIT
java -Djava.awt.headless=true -Dorg.bytedeco.javacpp.logger=slf4j -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.LongVideo "$work/long.mp4" "$seconds" "$data" >&2
./fer video --out "$work/out" "$work/long.mp4" > "$work/video.out" 2> "$work/video.err" &
video_pid=$!
started=$(date +%s)
echo "fer video soak, $(date -u +%Y-%m-%d), $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "video: $seconds s, 640x480, 30 frames/s, $(du -m "$work/long.mp4" | cut -f1) MB"
echo
echo "| wall minute | video minute | RSS MB | open files | threads |"
echo "|------------:|-------------:|-------:|-----------:|--------:|"
samples="$work/samples"
: > "$samples"
next_row=0
while kill -0 "$video_pid" 2>/dev/null; do
  now=$(( $(date +%s) - started ))
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$video_pid/status" 2>/dev/null || true)
  fds=$(find "/proc/$video_pid/fd" -mindepth 1 2>/dev/null | wc -l)
  threads=$(awk '/Threads/ {print $2}' "/proc/$video_pid/status" 2>/dev/null || true)
  # frames.csv is written under a temporary name and renamed when the video is done: count whichever is there.
  frames=$(( $( { cat "$work"/out/frames.csv "$work"/out/.frames.csv.*.tmp 2>/dev/null || true; } | wc -l) - 1 ))
  # Until the launcher has handed over to the JVM the process is a small shell: nothing to sample yet.
  if [ -n "$rss" ] && [ "${threads:-1}" -gt 1 ]; then
    echo "$now $rss $fds $threads $frames" >> "$samples"
    if [ "$now" -ge "$next_row" ]; then
      awk -v w="$now" -v f="$frames" -v r="$rss" -v o="$fds" -v t="$threads" \
        'BEGIN { printf "| %11.1f | %12.1f | %6d | %10d | %7d |\n", w / 60, (f < 0 ? 0 : f) / 30 / 60, r, o, t }'
      next_row=$((next_row + ${ROW_SECONDS:-600}))
    fi
  fi
  sleep 10
done
wait "$video_pid" && status=0 || status=$?
echo
tail -3 "$work/video.err" | sed 's/^/fer video: /'
awk 'NR == 1 {f = $2; fo = $3} {a[NR] = $2; o[NR] = $3} END {
  m = a[int((NR + 1) / 2)]; l = a[NR]
  printf "RSS MB first %d, middle %d, last %d (last/first %+.1f %%); open files first %d, last %d; %d samples every 10 s\n",
    f, m, l, 100 * (l - f) / f, fo, o[NR], NR }' "$samples"
echo "exit status $status; $(($(date +%s) - started)) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
