#!/usr/bin/env bash
# Model comparison: every model kind on FER2013, PublicTest and PrivateTest accuracy and ACA, training time,
# model size and faces per second, as a Markdown table; CNN model files given after the data are evaluated as
# they are (plain and with test-time augmentation). Usage: bench/models.sh [fer2013.csv.gz [cnn.fer ...]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
exec java --add-modules jdk.incubator.vector -Xmx8g -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.ModelComparison "${1:-../shared/data/fer2013.csv.gz}" "${@:2}"
