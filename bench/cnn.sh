#!/usr/bin/env bash
# CNN benchmark: training images/s of the shipped network (fernet9) in fer4j/DJL and in PyTorch CPU (Debian
# python3-torch) with the same threads in the same run; then inference faces/s of the shipped network on fer4j's
# default engine (ONNX Runtime), on its PyTorch engine (DJL) and in PyTorch from Python, batched and one face at a time.
# Usage: bench/cnn.sh [fer2013.csv.gz] [threads] [inference]   (defaults: ../shared/data/fer2013.csv.gz, 2;
# "inference": only the inference table)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${1:-../shared/data/fer2013.csv.gz}"
threads="${2:-2}"
source bench/torch-peer.sh
exec java --add-modules jdk.incubator.vector -Xmx8g -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$cp" io.github.fer4j.bench.CnnBenchmark "$data" "$threads" /usr/bin/python3 ${3:-}
