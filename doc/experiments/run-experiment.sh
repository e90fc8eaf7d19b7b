#!/usr/bin/env bash
# Runs the ready Experimenter experiment nm-vs-mlp.xml (next to this script) from the command line
# and prints the paired corrected t-test tables (what the Experimenter's Analyse panel shows).
#
#   run-experiment.sh [results.arff] [runs]
#
# NeuralModules (-H 20) vs MultilayerPerceptron (-H 20), random 66% splits (10 runs unless [runs]
# is given) of data/iris.arff and data/codon_usage_small.arff, which lie next to the experiment.
# Results: [results.arff], default a new temporary folder; nothing is written next to this script,
# so it runs from an installed package ($WEKA_HOME/packages/neuralModules/doc/experiments/).
# Takes a few minutes on 2 cores. Needs a JDK (the helpers run as Java source files).
#
# Class path:
# - $NM_CP if set (Weka plus the package classes and libraries);
# - else, inside an installed package: $WEKA_CP (Weka's class path, e.g. the Weka 3.8.6
#   distribution's weka.jar); the package itself is loaded from WEKA_HOME by Weka;
# - else, in the repository: target/classes and the Maven dependencies (runs `mvn -q compile`).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PKG=$(cd "$HERE/../.." && pwd)
if [[ -z ${NM_CP:-} ]]; then
  if [[ -f $PKG/Description.props && -f $PKG/neuralModules.jar ]]; then
    NM_CP=${WEKA_CP:?"set WEKA_CP to Weka's class path (e.g. /path/to/weka-3-8-6/weka.jar; see the user guide)"}
  else
    (cd "$PKG" && mvn -q -B compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null)
    # pom-type entries are not jars (Weka's class discovery would complain)
    NM_CP=$PKG/target/classes:$(tr ':' '\n' <"$PKG/target/cp.txt" | grep -v '\.pom$' | paste -sd: -)
  fi
fi
RESULTS=${1:-$(mktemp -d "${TMPDIR:-/tmp}/nm-vs-mlp.XXXXXX")/nm-vs-mlp-results.arff}
JAVA=${JAVA:-java}
"$JAVA" -Xmx2g -Djava.awt.headless=true -cp "$NM_CP" "$HERE/RunExperiment.java" \
  "$HERE/nm-vs-mlp.xml" "$RESULTS" ${2:+"$2"}
"$JAVA" -Djava.awt.headless=true -cp "$NM_CP" "$HERE/SignificanceTable.java" "$RESULTS"
echo "Results: $RESULTS"
