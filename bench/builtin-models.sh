#!/usr/bin/env bash
# The built-in models (fast, accurate) measured as a user gets them, written into fer-models' builtin-models.json, which
# `fer models` prints and DefaultModelGateTest holds each model to (its PrivateTest accuracy less 0.005): FER2013
# PrivateTest accuracy and ACA (fp32, the views the file names), the development photos (fer evaluate-photos' defaults:
# int8, no face = miss), milliseconds per 640x480 one-face photo (int8, one thread, median of 60) and the file's size.
# Run it after changing a built-in model; it needs FER2013 and the development photos.
#
#   bench/builtin-models.sh [fer2013.csv.gz [devphotos-dir]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${1:-../shared/data/fer2013.csv.gz}"
photos="${2:-../shared/data/devphotos}"
[ -f "$data" ] || { echo "bench/builtin-models.sh: no $data (FER2013)" >&2; exit 2; }
[ -f "$photos/labels.csv" ] || { echo "bench/builtin-models.sh: no $photos/labels.csv (the development photos)" >&2; exit 2; }
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
exec java -Xmx4g -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.BuiltInModelsBench fer-models/src/main/resources/io/github/fer4j/models/builtin-models.json "$data" "$photos"
