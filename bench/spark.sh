#!/usr/bin/env bash
# Past one machine: photos/s of `fer predict` (one process) against `fer-spark score` with local[1] and local[2], on the
# same composed photos in the same run; then the README's spark-submit line, run through SparkSubmit (the class in
# spark-core behind spark-submit, with Spark's jars from Maven: no Spark distribution is needed here).
#
#   bench/spark.sh [COUNT] [fer2013.csv.gz]     (default 5000 photos; drawn faces without FER2013)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-5000}"
data="${2:-../shared/data/fer2013.csv.gz}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

[ -n "${SKIP_BUILD:-}" ] || echo "building fer, fer-spark and the bench programs (SKIP_BUILD=1 reuses them)..." >&2
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl fer-cli,fer-spark,bench -am >&2
java -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.ComposedPhotoFolder "$work/photos" "$count" "$data"

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
now() { date +%s.%N; }
rows=()
# One row of the table: name, cores, wall seconds, job seconds ("-" when the tool does not say), faces found.
row() { rows+=("$(awk -v n="$1" -v c="$2" -v w="$3" -v j="$4" -v f="$5" -v k="$count" 'BEGIN {
  printf "| %-28s | %5s | %7.1f | %10.1f | %7s | %10s | %6s |", n, c, w, k / w, j, (j == "-" ? "-" : sprintf("%.1f", k / j)), f }')")
}

start=$(now)
./fer predict --json "$work/predict.json" "$work/photos" > /dev/null 2> "$work/predict.log" || { cat "$work/predict.log" >&2; exit 1; }
end=$(now)
row "fer predict (one process)" "-" "$(awk -v s="$start" -v e="$end" 'BEGIN{print e - s}')" "-" "$(grep -c '"dominant"' "$work/predict.json")"

for master in 'local[1]' 'local[2]'; do
  start=$(now)
  fer-spark/bin/fer-spark score --master "$master" --input "$work/photos" --output "$work/${master//[^a-z0-9]/}.parquet" > /dev/null 2> "$work/spark.log" \
    || { cat "$work/spark.log" >&2; exit 1; }
  end=$(now)
  job=$(sed -n 's/^fer-spark: [0-9]* photos in \([0-9.]*\) s.*/\1/p' "$work/spark.log")
  faces=$(sed -n 's/^fer-spark: \([0-9]*\) faces;.*/\1/p' "$work/spark.log")
  cores=${master#local[}
  row "fer-spark score $master" "${cores%]}" "$(awk -v s="$start" -v e="$end" 'BEGIN{print e - s}')" "$job" "$faces"
done

echo
echo "$count composed photos (320x240 to 480x360 JPEG, 0-2 faces each); wall: the whole command, JVM and Spark start"
echo "and model load included; job: fer-spark's own timing of the scoring job (Spark started, model loaded on the driver)."
echo
echo "| run                          | cores | wall s  | photos/s   | job s   | photos/s   | faces  |"
echo "|------------------------------|-------|---------|------------|---------|------------|--------|"
printf '%s\n' "${rows[@]}"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# The README's spark-submit line, on the first 200 photos: SparkSubmit reads the jar's manifest for its main class, and
# Spark's own launcher would pass the same --add-opens flags.
mkdir -p "$work/some"
photos=("$work"/photos/*.jpg)
cp "${photos[@]:0:200}" "$work/some/"
opens=$(sed -n '/^opens=(/,/)$/p' fer-spark/bin/fer-spark | tr -d '()' | sed 's/^opens=//')
echo
echo "spark-submit --master local[2] fer-spark/target/fer-spark.jar score --input <200 photos> --output <faces.parquet>"
# shellcheck disable=SC2086
SPARK_LOCAL_IP=127.0.0.1 java $opens -cp "$(cat fer-spark/target/spark.classpath)" org.apache.spark.deploy.SparkSubmit \
  --master 'local[2]' fer-spark/target/fer-spark.jar score --input "$work/some" --output "$work/submitted.parquet" 2>&1 \
  | grep '^fer-spark:' || { echo "spark-submit failed" >&2; exit 1; }
test -f "$work/submitted.parquet/_SUCCESS" && echo "spark-submit: the output is complete (_SUCCESS)"
