#!/usr/bin/env bash
# Linear-model benchmark: load times, SGD epoch times, and the PyTorch CPU peer in the same run.
# Usage: bench/linear.sh [fer2013.csv.gz]   (default: ../shared/data/fer2013.csv.gz)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${1:-../shared/data/fer2013.csv.gz}"
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "bench: installing the PyTorch peer (Debian python3-torch)..." >&2
  { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy; } >&2
fi
mvn -q -B -DskipTests install -pl bench -am >&2
mvn -q -B dependency:build-classpath -pl bench -Dmdep.outputFile=target/classpath.txt >&2
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
exec java --add-modules jdk.incubator.vector -Xmx8g -cp "$cp" io.github.fer4j.bench.LinearBenchmark "$data" /usr/bin/python3
