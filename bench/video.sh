#!/usr/bin/env bash
# Video pipeline benchmark: frames/s on a 640x480 one-face video for decoding alone, every frame, --track, --every 5
# and --annotate, and the share of the work spent decoding. The video is made at run time from FER2013 PublicTest
# faces (synthetic faces without the data) and deleted with its temporary folder's owner's next clean-up.
# Usage: bench/video.sh [fer2013.csv.gz] [seconds of video, default 10] [detectors, default haar,blazeface+align]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# package, not install: the reactor resolves the modules from their target folders, and ~/.m2 is left alone.
mvn -q -B -DskipTests package dependency:build-classpath -pl bench -am -Dmdep.outputFile=target/classpath.txt >&2
exec java -Djava.awt.headless=true -Dorg.bytedeco.javacpp.logger=slf4j \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.VideoBenchmark "${1:-../shared/data/fer2013.csv.gz}" "${2:-10}" "${3:-haar,blazeface+align}"
