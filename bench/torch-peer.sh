# Sourced by the benchmarks that race PyTorch: installs the peer (Debian python3-torch) when it is missing,
# then builds the bench module and sets $cp to its class path.
if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "bench: installing the PyTorch peer (Debian python3-torch)..." >&2
  { apt-get update -qq && apt-get install -y -qq python3-torch python3-numpy; } >&2
fi
mvn -q -B -DskipTests package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -pl bench -am >&2
cp="bench/target/classes:$(cat bench/target/classpath.txt)"
