#!/usr/bin/env bash
# Smallest -Xmx (in 128 MB steps, searching upward) with which one facebook method completes.
# usage: src/bench/xmx-search.sh "<method label>" <start MB> <max MB>
# e.g.   src/bench/xmx-search.sh NeuralModules 256 2048; src/bench/xmx-search.sh SMO 512 4096
# Needs: mvn -q -B -o -Pbench compile dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt
set -u
method=$1; mb=$2; max=$3
out=$(mktemp -d)
cls=$out/classes; cp -r target/bench/classes "$cls"
while [ "$mb" -le "$max" ]; do
  if java -Xmx${mb}m -cp "$cls:$(cat target/bench-cp.txt)" org.neuralmodules.bench.BenchMain facebook \
      "methods=$method" docs="$out/docs" > "$out/log-$mb.txt" 2>&1 && grep -q "^$method," "$out/docs/bench/facebook.csv"; then
    echo "$method completes with -Xmx${mb}m: $(grep "^$method," "$out/docs/bench/facebook.csv" | tail -1)"
    exit 0
  fi
  echo "$method fails with -Xmx${mb}m: $(grep -m1 -o 'OutOfMemoryError.*\|Not enough memory[^.]*' "$out/log-$mb.txt" | head -1)"
  mb=$((mb + 128))
done
echo "$method did not complete up to -Xmx${max}m (logs in $out)"
exit 1
