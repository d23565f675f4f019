#!/usr/bin/env bash
# Linear-model benchmark: load times, SGD epoch times, and the PyTorch CPU peer in the same run.
# Usage: bench/linear.sh [fer2013.csv.gz]   (default: ../shared/data/fer2013.csv.gz)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${1:-../shared/data/fer2013.csv.gz}"
source bench/torch-peer.sh
# As ./fer runs train, reproduce and sweep: the heap on 2 MB pages where the kernel gives them on request (madvise).
pages=()
grep -qs '\[madvise\]' /sys/kernel/mm/transparent_hugepage/enabled && pages=(-XX:+UseTransparentHugePages)
exec java --add-modules jdk.incubator.vector -Xmx8g "${pages[@]}" -cp "$cp" io.github.fer4j.bench.LinearBenchmark "$data" /usr/bin/python3
