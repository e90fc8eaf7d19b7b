#!/usr/bin/env bash
# Runs the ready Experimenter experiment doc/experiments/nm-vs-mlp.xml from the command line and
# prints the paired corrected t-test table (what the Experimenter's Analyse panel shows).
#
#   doc/experiments/run-experiment.sh            # from the repository root
#
# NeuralModules (-H 20) vs MultilayerPerceptron (-H 20), 10 random 66% splits of
# test-data/iris.arff and test-data/codon_usage_small.arff. Results:
# target/experiment/nm-vs-mlp-results.arff. Takes a few minutes on 2 cores.
#
# Classpath: $NM_CP if set (e.g. Weka's jar plus the installed package's neuralModules.jar and
# lib/*.jar), else the repository build (target/classes + Maven dependencies; runs
# `mvn -q compile` first).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z ${NM_CP:-} ]]; then
  mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
  # pom-type entries are not jars (Weka's class discovery would complain)
  NM_CP=target/classes:$(tr ':' '\n' <target/cp.txt | grep -v '\.pom$' | paste -sd: -)
fi
mkdir -p target/experiment
rm -f target/experiment/nm-vs-mlp-results.arff
echo "Running doc/experiments/nm-vs-mlp.xml (weka.experiment.Experiment -l ... -r) ..."
java -Xmx2g -Djava.awt.headless=true -cp "$NM_CP" weka.experiment.Experiment \
  -l doc/experiments/nm-vs-mlp.xml -r 2>&1 | grep -vE 'fommil|^WARNING: Failed to load|ARPACK|BLAS|LAPACK' | tail -n 3
[[ -s target/experiment/nm-vs-mlp-results.arff ]] || { echo "no results written" >&2; exit 1; }
java -Djava.awt.headless=true -cp "$NM_CP" doc/experiments/SignificanceTable.java \
  target/experiment/nm-vs-mlp-results.arff
