#!/usr/bin/env bash
# One GPU lease, prepared: the exact commands, in order, with what each device call carries. A lease is 15 minutes of
# device time in all (start-up, every call, idle time); a call carries the tracked files plus the `carry` paths, 64 MiB in
# all, and brings back at most 8 files of 16 MiB from $OUT. FER2013 packed is four parts of 19.6 MB, so it travels in two
# calls on a warm machine (an ignored folder left by one call stays for the next).
#
#   here:      trainer/lease.sh stage                  copies the packed parts into trainer/data/ (ignored)
#   call 1:    trainer/lease.sh check                  carry trainer/data/part-1-of-4.npz, trainer/data/part-2-of-4.npz,
#                                                      trainer/data/fer2013new.csv (FER+ labels, 1.6 MB)
#              (timeout_s 150)                         the GPU, torch, the parts' checksums, a 1-epoch smoke and speed probe
#   call 2:    COMMIT=<sha> trainer/lease.sh train      carry trainer/data/part-3-of-4.npz, trainer/data/part-4-of-4.npz
#              (timeout_s 600)                         every member side by side until the deadline, results packed to $OUT
#   give_back
#   here:      trainer/lease.sh import FILES_AT         joins the chunks, imports every member (fer import-torch), and lists
#                                                      what the trainer measured; commit the weights in this same session
#
# LEASE_TINY=1 runs the same steps with tiny networks for one epoch on a few hundred faces, on whatever device there is:
# how this script is tried on a CPU before a lease (OUT=some/folder LEASE_TINY=1 trainer/lease.sh check|train|import).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PARTS_SRC="${PARTS_SRC:-../shared/data/fer2013-packed}"
DATA=trainer/data
RUNS=trainer/runs/lease
OUT="${OUT:-$PWD/trainer/runs/out}"
PY="${PYTHON:-python3}"
# The parts' SHA-256, measured when this script was written: a copy that does not match is refused before any training.
declare -A SHA=(
  [part-1-of-4.npz]=ef753592b5cfee77781c76fb042e938a61d2181ae555ac02a41e773e3224dc9c
  [part-2-of-4.npz]=5eabc3c3f02e773a30a95d7b8efe11a539f6fe28e1bb55401856f5e3996f56dd
  [part-3-of-4.npz]=4d17c98b60dbe910be4b72b608fbab4810b33ee88163fcdc2886fd70a3c68ed3
  [part-4-of-4.npz]=ba104d04e3b68a1a2658c913eb9de35530c0d87156b0dddc7b6bba882342a95f
  [fer2013new.csv]=9206e20d62f56475939f516847d61753e4860caeac9718b560129541b776fc2c
)
FERPLUS_SRC="${FERPLUS_SRC:-../shared/data/ferplus/fer2013new.csv}"

check_parts() {
  for p in "$@"; do
    [ -f "$DATA/$p" ] || { echo "lease: $DATA/$p is missing (carry it)" >&2; exit 2; }
    got=$(sha256sum "$DATA/$p" | cut -d' ' -f1)
    [ "$got" = "${SHA[$p]}" ] || { echo "lease: $DATA/$p: sha256 $got, expected ${SHA[$p]}" >&2; exit 2; }
  done
  echo "lease: parts $* checked"
}

# The members of call 2, side by side. The deadline shortens every schedule after its second epoch to what fits (each
# run.json says so). vgg10-base and vgg10-photo differ only in the photo augmentations (same seed): their development-photo
# accuracies, measured here after the import, say what those augmentations do.
AUG="shift:3,rotate:10,scale:0.1,flip,erase:0.25"
PHOTO="$AUG,gamma:0.3,contrast:0.3,brightness:0.1,blur:0.2,noise:0.02"
MEMBERS=(
  "name=resnet18-s1 arch=resnet18 seed=1 epochs=80 augment=$AUG"
  "name=resnet18-s2 arch=resnet18 seed=2 epochs=80 augment=$PHOTO,mixup:0.2"
  "name=vgg10-base arch=vgg10 seed=1 epochs=80 augment=$AUG"
  "name=vgg10-photo arch=vgg10 seed=1 epochs=80 augment=$PHOTO"
  "name=fernet9-s5 arch=fernet9 seed=5 epochs=120 augment=$AUG"
  "name=ferplus-resnet18 arch=resnet18 seed=3 epochs=80 task=ferplus soft_targets=true augment=$AUG"
)
DEADLINE=480
TRAIN_EXTRA=()
if [ -n "${LEASE_TINY:-}" ]; then
  MEMBERS=("name=tiny-s1 arch=tiny seed=1 epochs=2 augment=$AUG" "name=tinyres-s1 arch=tinyres seed=1 epochs=2 augment=$PHOTO,mixup:0.2"
           "name=ferplus-tiny arch=tiny seed=3 epochs=2 task=ferplus soft_targets=true")
  DEADLINE=300
  TRAIN_EXTRA=(--limit 512 --probe 64 --score-views none,flip)
fi

case "${1:-}" in
  stage)
    mkdir -p "$DATA"
    for p in part-1-of-4.npz part-2-of-4.npz part-3-of-4.npz part-4-of-4.npz; do cp -n "$PARTS_SRC/$p" "$DATA/$p"; done
    cp -n "$FERPLUS_SRC" "$DATA/fer2013new.csv"
    check_parts part-1-of-4.npz part-2-of-4.npz part-3-of-4.npz part-4-of-4.npz fer2013new.csv
    echo "call 1 carry: [\"$DATA/part-1-of-4.npz\", \"$DATA/part-2-of-4.npz\", \"$DATA/fer2013new.csv\"]"
    echo "call 2 carry: [\"$DATA/part-3-of-4.npz\", \"$DATA/part-4-of-4.npz\"]; command: COMMIT=$(git rev-parse HEAD) trainer/lease.sh train"
    ;;
  check)
    command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || echo "lease: no nvidia-smi"
    "$PY" -c "import torch, numpy; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), torch.version.cuda, 'numpy', numpy.__version__)"
    check_parts part-1-of-4.npz part-2-of-4.npz fer2013new.csv
    # A smoke run and speed probe on the two parts: every architecture side by side for one epoch on 4,096 faces,
    # each member's faces per second in its summary line (side by side, so they share the GPU).
    probe=(--member "name=probe-fernet9 arch=fernet9" --member "name=probe-vgg10 arch=vgg10" --member "name=probe-resnet18 arch=resnet18")
    limit=4096
    if [ -n "${LEASE_TINY:-}" ]; then probe=(--member "name=probe-tiny arch=tiny" --member "name=probe-tinyres arch=tinyres"); limit=256; fi
    "$PY" trainer/train.py --data "$DATA/part-1-of-4.npz" "$DATA/part-2-of-4.npz" --partial --limit "$limit" --epochs 1 \
      --probe 16 --score-views none --out trainer/runs/probe --git-commit "${COMMIT:-unknown}" "${probe[@]}"
    ;;
  train)
    [ -n "${COMMIT:-}" ] || COMMIT=$(git rev-parse HEAD 2>/dev/null || true)
    [ -n "$COMMIT" ] || { echo "lease: give COMMIT=<the commit this tree is> (no git here)" >&2; exit 2; }
    check_parts part-1-of-4.npz part-2-of-4.npz part-3-of-4.npz part-4-of-4.npz fer2013new.csv
    args=()
    for m in "${MEMBERS[@]}"; do args+=(--member "$m"); done
    rm -rf "$RUNS"
    status=0
    "$PY" trainer/train.py --data "$DATA"/part-{1,2,3,4}-of-4.npz --ferplus "$DATA/fer2013new.csv" --out "$RUNS" --deadline "$DEADLINE" \
      --git-commit "$COMMIT" "${TRAIN_EXTRA[@]}" "${args[@]}" || status=$?
    mkdir -p "$OUT"
    # At most 8 files of 16 MiB come back: the runs as one tar cut into 15 MiB pieces.
    tar -C "$(dirname "$RUNS")" -cf - "$(basename "$RUNS")" | split -b 15m -d -a 1 - "$OUT/runs.tar."
    ls -l "$OUT"
    pieces=$(ls "$OUT"/runs.tar.* | wc -l)
    [ "$pieces" -le 8 ] || { echo "lease: $pieces pieces, more than the 8 files a call brings back" >&2; exit 1; }
    exit $status
    ;;
  import)
    from="${2:?lease: import FILES_AT, the folder the files of the device call came back in}"
    mkdir -p trainer/runs
    cat "$from"/runs.tar.* | tar -C trainer/runs -xf -
    mkdir -p trainer/runs/models
    failed=0
    for run in "$RUNS"/*/; do
      name=$(basename "$run")
      if [ ! -f "$run/run.json" ]; then echo "lease: $name did not finish (no run.json): not imported"; failed=1; continue; fi
      ./fer import-torch "$run" --out "trainer/runs/models/$name.fer" || failed=1
    done
    ls -l trainer/runs/models
    exit $failed
    ;;
  *)
    sed -n '2,20p' "$0"
    exit 2
    ;;
esac
