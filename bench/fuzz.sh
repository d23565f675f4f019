#!/usr/bin/env bash
# Fuzzing run: each fuzz target (a Jazzer @FuzzTest method) for a set time with JAZZER_FUZZ=1, then a table of
# targets, executions and findings. A finding is saved beside the test's inputs
# (src/test/resources/<package>/<Test>Inputs/<method>/crash-...) and replays under plain `mvn test` from then on;
# the run's log for each target is kept under target/fuzz/.
# Usage: bench/fuzz.sh [seconds per target, default 60] [only targets whose name contains this text]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-60}"
only="${2:-}"
# The image decoders' own packages are instrumented too, so that the fuzzer sees their coverage, not only ours.
decoders="-Djazzer.instrument=io.github.fer4j.**,com.twelvemonkeys.**,com.drew.**"
# module  test class  method  [extra Maven options]
targets=(
  "fer-core io.github.fer4j.data.Fer2013ReaderFuzzTest csv"
  "fer-core io.github.fer4j.data.Fer2013ReaderFuzzTest gzipCsv"
  "fer-core io.github.fer4j.data.FerPlusLabelsFuzzTest labels"
  "fer-pytorch io.github.fer4j.pytorch.ModelFileFuzzTest load"
  "fer-pytorch io.github.fer4j.pytorch.ModelFileFuzzTest description"
  "fer-pytorch io.github.fer4j.pytorch.ModelFileFuzzTest cnnParameters"
  "fer-pytorch io.github.fer4j.pytorch.CheckpointFuzzTest read"
  "fer-pytorch io.github.fer4j.pytorch.CheckpointFuzzTest state"
  "fer-vision io.github.fer4j.vision.PhotoLabelsFuzzTest read"
  "fer-vision io.github.fer4j.vision.ImageDecoderFuzzTest decodeBytes $decoders"
  "fer-vision io.github.fer4j.vision.ImageDecoderFuzzTest decodeFile $decoders"
  "fer-server io.github.fer4j.server.EmotionServerFuzzTest post"
)
logs="$root/target/fuzz"
mkdir -p "$logs"
echo "bench: compiling (tests are not run here)" >&2
mvn -q -B -Dstyle.color=never -DskipTests test-compile -pl fer-server -am >&2

findings() {  # files a fuzzing run leaves in an inputs folder: crash-, timeout-, oom-, leak-, slow-unit-...
  find "$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \
    -o -name 'slow-unit-*' \) 2>/dev/null | sort || true
}

rows=()
for target in "${targets[@]}"; do
  read -r module class method extra <<< "$target"
  name="${class##*.}#$method"
  [[ -n "$only" && "$name" != *"$only"* ]] && continue
  inputs="$module/src/test/resources/$(dirname "${class//.//}")/${class##*.}Inputs/$method"
  mkdir -p "$inputs"  # Jazzer saves findings here only when the folder exists (else in the module's root)
  before="$(findings "$inputs")"
  log="$logs/${class##*.}-$method.log"
  echo "bench: fuzzing $name for ${seconds}s (log: ${log#"$root"/})" >&2
  started=$SECONDS
  # JUnit's timeouts are off while fuzzing (they would end the whole run): an input that takes over 10 s is a
  # finding through libFuzzer's per-input -timeout instead. The tests' @Timeout (30 s) is for plain `mvn test`,
  # where the first input also pays for loading and instrumenting classes. keep_going lets one run collect several
  # distinct findings rather than stop at the first.
  JAZZER_FUZZ=1 mvn -B -Dstyle.color=never test -pl "$module" -am -Dtest="$class#$method" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djunit.jupiter.execution.timeout.mode=disabled -Djazzer.keep_going=50 \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
    -Djazzer.internal.arg.2=-print_final_stats=1 -Djazzer.internal.arg.3=-timeout=10 ${extra:-} > "$log" 2>&1 || true
  executions="$(grep -a -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)"
  if [[ -z "$executions" ]]; then  # no final statistics (the run stopped early): the last progress line
    executions="$(grep -a -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)"
  fi
  new="$(comm -13 <(echo "$before") <(findings "$inputs") | sed '/^$/d' | wc -l)"
  status="ok"
  if [[ "$new" -gt 0 ]]; then
    status="finding"
  elif [[ -z "$executions" ]] || grep -a -q 'BUILD FAILURE' "$log"; then
    status="failed, see log"
  fi
  rows+=("$(printf '%-36s %10s %8s %6ss  %s' "$name" "${executions:-?}" "$new" "$((SECONDS - started))" "$status")")
done

echo "fer4j fuzzing: ${seconds} s per target, Jazzer (JUnit integration), $(nproc) cores"
echo
printf '%-36s %10s %8s %7s  %s\n' "target" "executions" "findings" "wall" "result"
printf '%s\n' "${rows[@]}"
echo
echo "findings are under each module's src/test/resources/.../<Test>Inputs/<method>/; logs under target/fuzz/"
