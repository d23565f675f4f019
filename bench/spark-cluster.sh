#!/usr/bin/env bash
# A real Spark cluster on this machine: a standalone Master and two Workers (one core each) on 127.0.0.1, started from
# Maven's Spark 4.2.0 jars (fer-spark's provided dependencies: no Spark distribution is installed), and fer-spark.jar
# submitted through SparkSubmit, the class behind spark-submit. Prints photos/s with one executor, with two, and with
# two of which one is killed (kill -9) a third of the way into the job; stops every JVM it started at the end.
#
# Stock Spark starts executors through SPARK_HOME: a folder whose jars/ holds the Spark class path is enough, with
# SPARK_SCALA_VERSION=2.13 set (without it, executors fail with "Cannot find any build directories"). The class path is
# Spark's own (bench/spark-home/pom.xml: Spark SQL and MLlib and all they need), as a Spark distribution ships it;
# fer-spark's provided class path would lack what Maven counts as fer4j's (commons-io: SparkSubmit fails without it).
#
#   bench/spark-cluster.sh [COUNT] [fer2013.csv.gz]     (default 2000 photos; drawn faces without FER2013)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
count="${1:-2000}"
data="${2:-../shared/data/fer2013.csv.gz}"
work="$(mktemp -d)"
started=()
stop_all() {
  # Executors first (children of the Workers), then the Workers and the Master: only what this script started.
  for pid in "${started[@]}"; do
    for child in $(pgrep -P "$pid" 2>/dev/null || true); do kill -9 "$child" 2>/dev/null || true; done
  done
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_all EXIT

[ -n "${SKIP_BUILD:-}" ] || echo "building fer-spark and the bench programs (SKIP_BUILD=1 reuses them)..." >&2
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl fer-spark,bench -am >&2
java -Djava.awt.headless=true -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  io.github.fer4j.bench.ComposedPhotoFolder "$work/photos" "$count" "$data"
# One file that is no photo: it must come out as one row with its error, whatever happens to the executors.
first=("$work"/photos/*.jpg)
head -c 2000 "${first[0]}" > "$work/photos/broken.jpg"

export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_NO_DAEMONIZE=1
mkdir -p "$SPARK_HOME/jars"
mvn -q -B -f bench/spark-home/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/spark.classpath" >&2
tr ':' '\n' < "$work/spark.classpath" | while read -r jar || [ -n "$jar" ]; do ln -sf "$jar" "$SPARK_HOME/jars/"; done
opens=$(sed -n '/^opens=(/,/)$/p' fer-spark/bin/fer-spark | tr -d '()' | sed 's/^opens=//')
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
await_port() { for _ in $(seq 600); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done; echo "nothing listens on $1" >&2; return 1; }

master_port=$(port)
# shellcheck disable=SC2086
java $opens -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
  --webui-port "$(port)" > "$work/master.log" 2>&1 &
started+=($!)
await_port "$master_port"
master="spark://127.0.0.1:$master_port"
workers=()
for w in 1 2; do
  mkdir -p "$work/work-$w"
  # shellcheck disable=SC2086
  java $opens -Xmx512m -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 --memory 2g \
    --work-dir "$work/work-$w" --webui-port "$(port)" "$master" > "$work/worker-$w.log" 2>&1 &
  started+=($!)
  workers+=($!)
done
for _ in $(seq 600); do
  [ "$(cat "$work"/worker-*.log 2>/dev/null | grep -c 'Successfully registered with master')" -ge 2 ] && break
  sleep 0.2
done

executors() { for w in "${workers[@]}"; do pgrep -P "$w" -f CoarseGrainedExecutorBackend || true; done; }
now() { date +%s.%N; }
rows=()
# submit NAME CORES [KILL_AFTER_SECONDS]: spark-submit --master spark://... fer-spark.jar score, optionally killing one
# executor JVM (kill -9) that many seconds after both executors are up.
submit() {
  local name="$1" cores="$2" kill_after="${3:-}" out="$work/out-$RANDOM.parquet" start end killed="-"
  start=$(now)
  # shellcheck disable=SC2086
  java $opens -Djava.awt.headless=true -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit --master "$master" \
    --conf spark.cores.max="$cores" --conf spark.executor.cores=1 --conf spark.executor.memory=1g \
    --conf spark.driver.host=127.0.0.1 --conf spark.ui.enabled=false \
    --conf "spark.executor.extraJavaOptions=-Djava.awt.headless=true -Dai.djl.offline=true" \
    fer-spark/target/fer-spark.jar score --input "$work/photos" --output "$out" --partitions $((8 * cores)) \
    > "$work/submit.out" 2> "$work/submit.log" &
  local job=$!
  if [ -n "$kill_after" ]; then
    for _ in $(seq 1200); do [ "$(executors | wc -l)" -ge 2 ] && break; sleep 0.1; done
    sleep "$kill_after"
    [ -e "$out" ] && { echo "$out was there while the job scored" >&2; exit 1; }
    killed=$(executors | head -1)
    [ -n "$killed" ] && kill -9 "$killed"
    # When the output appears (renamed into place once the job succeeded; the command then counts its rows), it is
    # whole: its _SUCCESS marker is already inside.
    while kill -0 "$job" 2>/dev/null; do
      [ -e "$out" ] && [ ! -e "$out/_SUCCESS" ] && { echo "$out appeared incomplete" >&2; exit 1; }
      sleep 0.1
    done
  fi
  wait "$job" || { echo "spark-submit failed:" >&2; tail -30 "$work/submit.log" >&2; exit 1; }
  end=$(now)
  test -f "$out/_SUCCESS" || { echo "no _SUCCESS in $out" >&2; exit 1; }
  local total job_s bad
  total=$(sed -n 's/^fer-spark: \([0-9]*\) photos in .*/\1/p' "$work/submit.log")
  job_s=$(sed -n 's/^fer-spark: [0-9]* photos in \([0-9.]*\) s.*/\1/p' "$work/submit.log")
  bad=$(sed -n 's/.* \([0-9]*\) could not be read.*/\1/p' "$work/submit.log")
  [ "$total" = "$((count + 1))" ] || { echo "$name: $total rows for $((count + 1)) files" >&2; exit 1; }
  rows+=("$(awk -v n="$name" -v w="$(awk -v s="$start" -v e="$end" 'BEGIN{print e - s}')" -v j="$job_s" -v t="$total" -v b="$bad" \
    -v k="$killed" 'BEGIN { printf "| %-34s | %7.1f | %6.1f | %10.1f | %5d | %5s | %-8s |", n, w, j, (t - 1) / j, t, b, k }')")
  echo "${rows[-1]}" >&2
  # Between runs, let the Workers settle back to their executors-free state.
  for _ in $(seq 300); do [ "$(executors | wc -l)" -eq 0 ] && break; sleep 0.1; done
}

echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
submit "1 executor (1 core)" 1
submit "2 executors (1 core each)" 2
two=$(echo "${rows[1]}" | awk -F'|' '{print $4}')
submit "2 executors, one killed (kill -9)" 2 "$(awk -v j="$two" 'BEGIN { printf "%.1f", j / 3 }')"

echo
echo "fer-spark on a standalone cluster (a Master and two Workers of one core each on 127.0.0.1), $count composed photos"
echo "(320x240 to 480x360 JPEG, 0-2 faces) and one broken file, submitted through SparkSubmit; $(nproc) cores,"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%Y-%m-%d)."
echo "wall: the whole spark-submit (driver start, executors start and load the model); job: fer-spark's own timing of the"
echo "scoring job; rows: one per file, checked = $((count + 1)); errors: rows that say why a file could not be read."
echo
echo "| run                                | wall s  | job s  | photos/s   | rows  | errors| killed   |"
echo "|------------------------------------|---------|--------|------------|-------|-------|----------|"
printf '%s\n' "${rows[@]}"
