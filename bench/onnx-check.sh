#!/usr/bin/env bash
# Second-runtime check of fer4j's ONNX export (issue 12): exports the shipped CNN (centre crop and ten-crop views), a
# softmax and a logistic regression on pixels and an ensemble, runs each graph in onnxruntime-node (npm; no fer4j code,
# another ONNX Runtime build) on PrivateTest faces, and prints the largest |difference| from fer4j's probabilities.
# Each graph also goes through ONNX's own checker (Debian python3-onnx), which prints its metadata_props.
# Usage: bench/onnx-check.sh [fer2013.csv.gz] [faces]   (defaults: ../shared/data/fer2013.csv.gz, 1000)
# Exits 1 when a graph differs from fer4j by 1e-4 or more.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="${1:-../shared/data/fer2013.csv.gz}"
faces="${2:-1000}"
work="bench/target/onnx-check"
node_dir="bench/target/onnx-node"
mkdir -p "$work" "$node_dir"

if [ ! -d "$node_dir/node_modules/onnxruntime-node" ]; then
  echo "onnx-check: installing onnxruntime-node into $node_dir..." >&2
  # --ignore-scripts: the package's install script only fetches optional GPU builds; its CPU build ships in the package.
  npm install --prefix "$node_dir" --no-audit --no-fund --ignore-scripts onnxruntime-node@1.30.0 >&2
fi
if ! /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
  echo "onnx-check: installing ONNX's checker (Debian python3-onnx)..." >&2
  { apt-get update -qq && apt-get install -y -qq python3-onnx; } >&2
fi

# The reactor builds the bench module and its fer4j modules in place (no install into the local repository).
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
java --add-modules jdk.incubator.vector -Xmx6g -Dai.djl.offline=true -cp "$cp" \
  io.github.fer4j.bench.OnnxCheckCases "$data" "$work" "$faces"

/usr/bin/python3 - "$work" <<'PY'
import sys, glob, os, onnx
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.onnx"))):
    m = onnx.load(f)
    onnx.checker.check_model(m)
    meta = {p.key: p.value for p in m.metadata_props}
    print(f"onnx {onnx.__version__} checker: {os.path.basename(f)} valid (opset {m.opset_import[0].version}, "
          f"{len(m.graph.node)} nodes); classes {meta.get('fer4j.classNames')}, crop '{meta.get('fer4j.crop')}', "
          f"views '{meta.get('fer4j.tta')}'")
PY
echo
NODE_PATH="$node_dir/node_modules" node bench/onnx_check.js "$work"
