#!/usr/bin/env bash
# Builds fer.jar and fer-pytorch.jar for each desktop platform (-Djavacpp.platform, the one property that chooses the
# natives), prints their sizes and what each holds, then runs PlatformJarsTest on them: each jar must hold its
# platform's natives of OpenCV, FFmpeg, JavaCPP, OpenBLAS and ONNX Runtime (and libtorch in fer-pytorch.jar), and no
# other platform's. Only linux-x86_64 runs here; the others are built and opened, not run.
# Usage: bench/platforms.sh [--no-pytorch] [platform ...]   (default: all five)
#   --no-pytorch   build fer.jar alone (CI: the libtorch jars are 120-250 MB each and take the longest)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
pytorch=package
if [ "${1:-}" = "--no-pytorch" ]; then pytorch=none; shift; fi
platforms=("$@")
[ ${#platforms[@]} -gt 0 ] || platforms=(linux-x86_64 linux-arm64 macosx-arm64 macosx-x86_64 windows-x86_64)
out="fer-cli/target/platforms"
rm -rf "$out"
for p in "${platforms[@]}"; do
  echo "bench/platforms.sh: building for $p" >&2
  start=$(date +%s)
  mvn -q -B -DskipTests package -pl fer-cli -am -Djavacpp.platform="$p" -Dfer.pytorch.jar="$pytorch" >&2
  mkdir -p "$out/$p"
  cp fer-cli/target/fer.jar "$out/$p/"
  [ "$pytorch" = none ] || cp fer-cli/target/fer-pytorch.jar "$out/$p/"
  echo "$p $(( $(date +%s) - start ))" >> "$out/seconds.txt"
done
# The build machine's own jars back in place for ./fer.
mvn -q -B -DskipTests package -pl fer-cli -am >&2
size() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1e6}' || echo "-"; }
natives() { unzip -l "$1" | awk '$4 ~ /\.(so|dylib|dll)($|\.)/ {n++; s += $1} END {printf "%d files, %.0f MB", n, s / 1e6}'; }
echo
echo "fer4j jars per platform ($(date -u +%F), built on $(uname -m) $(uname -s))"
echo
echo "| platform | fer.jar MB | natives in fer.jar (unpacked) | fer-pytorch.jar MB | build s |"
echo "|---|---|---|---|---|"
for p in "${platforms[@]}"; do
  echo "| $p | $(size "$out/$p/fer.jar") | $(natives "$out/$p/fer.jar") | $(size "$out/$p/fer-pytorch.jar") | $(awk -v p="$p" '$1 == p {print $2}' "$out/seconds.txt") |"
done
echo
mvn -q -B -o test -pl fer-cli -am -Dtest=PlatformJarsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfer.platform.jars="$root/$out" >&2
echo "PlatformJarsTest: every jar holds its platform's natives and no other's"
