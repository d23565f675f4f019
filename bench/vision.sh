#!/usr/bin/env bash
# Photo pipeline benchmark: ms per 640x480 photo, the photo path as it was against as it is, where the time goes, CPU time,
# recall of the pasted faces, faces/s for the model alone. One CNN thread, on the int8 engine, as ./fer runs the photo
# commands (FER_ENGINE=onnxruntime or pytorch times another engine). Then the
# cold start of `fer predict` in a new process (bench/coldstart.sh).
# Usage: bench/vision.sh [fer2013.csv.gz]   (default: ../shared/data/fer2013.csv.gz; synthetic faces without it)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
java --add-modules jdk.incubator.vector -Djava.awt.headless=true -Dai.djl.pytorch.num_threads=1 -Dfer.engine.threads=1 -Dfer.engine="${FER_ENGINE:-onnxruntime-int8}" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.VisionBenchmark "${1:-../shared/data/fer2013.csv.gz}"
echo
bench/coldstart.sh
