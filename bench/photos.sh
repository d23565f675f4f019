#!/usr/bin/env bash
# The photo path on real labelled photos: runs `fer evaluate-photos` on the development set (../shared/data/devphotos,
# research-only photos that never enter the repository) and prints accuracy, ACA, the no-face count, per-class recall
# and per-source accuracy. A photo where no face is found counts as a miss.
#
#   bench/photos.sh [PHOTO_DIR] [fer evaluate-photos options, e.g. --model m.fer --tta flip --detector lbp]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
photos="../shared/data/devphotos"
if [ $# -gt 0 ] && [ -d "$1" ]; then
  photos="$1"
  shift
fi
if [ ! -f "$photos/labels.csv" ]; then
  echo "bench/photos.sh: no $photos/labels.csv: the development photos are not here" >&2
  exit 2
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
./fer evaluate-photos "$photos" --labels "$photos/labels.csv" --out "$out" "$@" > "$out/stdout.txt"
end=$(date +%s.%N)
echo "fer evaluate-photos $photos $*  ($(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f", e - s}') s)"
# predictions.csv: path,emotion,predicted,probability, then one column per class; the first folder of the path names the source.
awk -F, 'NR > 1 {
    source = $1; sub(/\/.*/, "", source)
    n++; total[$2]++; src[source]++
    if ($3 == "no face") { noface++; nofaceSrc[source]++ }
    if ($3 == $2) { right++; hit[$2]++; srcRight[source]++ }
  }
  END {
    printf "\n%-10s %8s\n", "photos", n
    printf "%-10s %8.4f\n", "accuracy", right / n
    classes = 0; sum = 0
    for (c in total) { classes++; sum += hit[c] / total[c] }
    printf "%-10s %8.4f\n", "ACA", sum / classes
    printf "%-10s %8d\n", "no face", noface
    printf "\n%-10s %8s %8s\n", "class", "photos", "recall"
    split("Angry Disgust Fear Happy Sad Surprise Neutral", order, " ")
    for (i = 1; i <= 7; i++) { c = order[i]; if (total[c] > 0) printf "%-10s %8d %8.4f\n", c, total[c], hit[c] / total[c] }
    printf "\n%-10s %8s %8s %8s\n", "source", "photos", "accuracy", "no face"
    for (s in src) printf "%-10s %8d %8.4f %8d\n", s, src[s], srcRight[s] / src[s], nofaceSrc[s]
  }' "$out/predictions.csv"
