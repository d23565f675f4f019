#!/usr/bin/env bash
# Face detectors side by side on one thread (Haar, LBP, BlazeFace, BlazeFace searching every level): ms and CPU ms per
# 640x480 photo, recall and false faces per photo on photos composed from FER2013 faces (one face; one to three; zero to
# two; four small faces in 1920x1080), and the development photos where no face is found (no whole-frame fallback).
# Usage: bench/detectors.sh [fer2013.csv.gz] [devphotos folder] [detectors, default haar,blazeface,blazeface-every-level; lbp too]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# package, not install: the reactor resolves the modules from their target folders, and ~/.m2 is left alone.
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
exec java -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.DetectorBenchmark "${1:-../shared/data/fer2013.csv.gz}" "${2:-../shared/data/devphotos}" "${3:-haar,blazeface,blazeface-every-level}"
