#!/usr/bin/env bash
# Cold start: wall seconds for `./fer predict one.jpg` in a new process (the one-face 640x480 JPEG of the server
# benchmark), median of 5 with the files in the disk cache, for the default engine of the photo commands (ONNX Runtime
# int8, its ranges shipped in the jar), --engine onnxruntime (fp32) and --engine pytorch;
# then the first run on a "fresh machine" (an empty home folder, so every native library is unpacked again); `fer --help`; the
# jars' sizes and what each engine unpacks under the home folder on first use. Targets: 0.7 s and 200 MB RSS warm
# (issue 28), 3 s the first time.
# Usage: bench/coldstart.sh [runs]   (vision.sh calls it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${1:-5}"
./fer --version >/dev/null   # builds the jar and its class-data archive if the sources changed
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
java -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.github.fer4j.bench.BenchPhoto "$work/photo.jpg" 2>/dev/null

seconds() { # the wall seconds of one command, its output discarded
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f\n", b - a}'
}
rss() { # the peak resident memory of one command (the java process under the launcher), in MB
  /usr/bin/time -f "%M" -o "$work/rss" "$@" >/dev/null 2>&1 || true
  awk '{printf "%.0f\n", $1 / 1024}' "$work/rss"
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
runs_of() { for _ in $(seq "$runs"); do seconds "$@"; done | median; }
rss_of() { for _ in $(seq "$runs"); do rss "$@"; done | median | awk '{printf "%.0f", $1}'; }

./fer predict "$work/photo.jpg" >/dev/null 2>&1   # the natives are unpacked and every file is in the disk cache
./fer predict --engine pytorch "$work/photo.jpg" >/dev/null 2>&1
onnx=$(runs_of ./fer predict "$work/photo.jpg")
onnxrss=$(rss_of ./fer predict "$work/photo.jpg")
fp32=$(runs_of ./fer predict --engine onnxruntime "$work/photo.jpg")
torch=$(runs_of ./fer predict --engine pytorch "$work/photo.jpg")
nocds=$(FER_NO_CDS=1 runs_of ./fer predict "$work/photo.jpg")
help=$(runs_of ./fer --help)
mkdir -p "$work/home1" "$work/home2"
# Java takes its home folder from the user database, not $HOME: user.home moves the caches of JavaCPP (OpenCV) and DJL.
first=$(FER_JAVA_OPTS="-Duser.home=$work/home1" seconds ./fer predict "$work/photo.jpg")
firsttorch=$(FER_JAVA_OPTS="-Duser.home=$work/home2" seconds ./fer predict --engine pytorch "$work/photo.jpg")
size() { du -sm "$1" 2>/dev/null | awk '{print $1}'; }
echo "fer4j cold start: ./fer predict on a one-face 640x480 JPEG, a new JVM each time, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo
echo "| measure | seconds |"
echo "|---|---|"
echo "| fer predict, default engine (ONNX Runtime int8), median of $runs | $onnx (target 0.7), peak RSS $onnxrss MB (target 200) |"
echo "| fer predict --engine onnxruntime (fp32), median of $runs | $fp32 |"
echo "| fer predict, default engine, without the class-data archive, median of $runs | $nocds |"
echo "| fer predict --engine pytorch, median of $runs | $torch |"
echo "| fer --help, median of $runs | $help |"
echo "| first run on a fresh home folder, default engine | $first (target 3) |"
echo "| first run on a fresh home folder, --engine pytorch | $firsttorch |"
echo
mb() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f MB", b / 1e6}' || echo "not built"; }
echo "fer.jar $(mb fer-cli/target/fer.jar), fer-pytorch.jar $(mb fer-cli/target/fer-pytorch.jar), fer-spark.jar" \
  "$(mb fer-spark/target/fer-spark.jar), class-data archive $(du -m fer-cli/target/fer.jsa 2>/dev/null | cut -f1) MB;" \
  "unpacked on first use: default engine $(size "$work/home1") MB, --engine pytorch $(size "$work/home2") MB" \
  "(into $(cd "$work/home2" && ls -A | tr '\n' ' ')under the home folder)"
