#!/usr/bin/env bash
# Following a face near its last box (FaceDetector.detectNear, as fer serve's webcam streams and fer video --track use
# it): for each searched neighbourhood, the share of moved faces followed, their IoU, the ms of the near search and
# the ms per frame counting a whole-frame search for each face not followed. One thread, as a server worker runs it.
# Usage: bench/tracking.sh [photo folder]   (default ../shared/data/devphotos)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
pin=()
[ "$(nproc)" -gt 1 ] && command -v taskset >/dev/null && pin=(taskset -c 0)
"${pin[@]}" java -Xmx2g -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.TrackingBenchmark "${1:-../shared/data/devphotos}"
