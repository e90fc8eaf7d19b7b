#!/usr/bin/env bash
# Install test for the neuralModules Weka package.
#
#   weka-package/install-test.sh <neuralModules-VERSION.zip> <test.arff> [weka-classpath]
#
# 1. checks the zip layout (Description.props, neuralModules.jar at the top
#    level, Aparapi in lib/, no Weka jars and no unused jars anywhere);
# 2. creates a fresh temporary WEKA_HOME and installs the zip offline with
#       java weka.core.WekaPackageManager -offline -install-package <zip>
# 3. checks that "-offline -list-packages installed" lists neuralModules as
#    installed AND loaded;
# 4. trains and evaluates with weka.Run .NeuralModules -t <arff> -N 3 -H 10,
#    saving the model with -d (first JVM);
# 5. loads the model in a NEW JVM (-l <model> -T <arff>) and evaluates it;
#    neither run (-device AUTO) may print a SEVERE or WARNING line (Weka's netlib lines aside);
# 6. runs the shipped Experimenter example (doc/experiments/run-experiment.sh) from the installed
#    package with one run, checks its tables, that it wrote nothing into the package folder, and
#    that a copy without its datasets fails naming the missing file;
# 7. where an OpenCL device exists (or CI is set), trains with -device OPENCL.
# Exits non-zero if any step fails or an evaluation lacks
# "Correctly Classified Instances".
#
# Weka classpath: third argument, else $WEKA_CP, else the weka-stable jar (plus
# its own dependencies, where present) from the local Maven repository. It must
# contain Weka only: the classifier and Aparapi have to come from the
# installed package. `mvn verify` passes Weka's full runtime classpath in WEKA_CP.
#
# How Weka finds WEKA_HOME (weka.core.WekaPackageManager.establishWekaHome, 3.8.6):
# it reads weka.core.Environment, which merges the process environment and the
# JVM system properties, so either an exported WEKA_HOME or -DWEKA_HOME=... works;
# this script sets both. Offline mode: -offline only exists for the
# WekaPackageManager command line; weka.Run would otherwise contact
# weka.sourceforge.io on first package load (startupCheck) to build the
# repository metadata cache. The property weka.packageManager.offline=true,
# given as -D and in $WEKA_HOME/props/PackageManager.props, switches that off
# for every JVM; in offline mode no metadata cache is needed (loadCheck skips
# the repository dependency checks, and Depends=weka is checked locally).
#
# Environment: KEEP_WEKA_HOME=1 keeps the temporary directory;
#              JAVA (default: java); NM_TEST_OPTS (default: "-N 3 -H 10").
set -euo pipefail

die() { echo "install-test: FAIL: $*" >&2; exit 1; }
log() { echo "install-test: $*"; }

[[ $# -ge 2 && $# -le 3 ]] || {
  echo "usage: $0 <neuralModules-VERSION.zip> <test.arff> [weka-classpath]" >&2
  exit 2
}

ZIP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ARFF=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
[[ -f $ZIP ]] || die "package zip not found: $1"
[[ -f $ARFF ]] || die "test ARFF not found: $2"

JAVA=${JAVA:-java}
NM_TEST_OPTS=${NM_TEST_OPTS:--N 3 -H 10}
PACKAGE=neuralModules
CLASSIFIER=weka.classifiers.functions.NeuralModules

# ---------------------------------------------------------------- classpath
WEKA_CLASSPATH=${3:-${WEKA_CP:-}}
if [[ -z $WEKA_CLASSPATH ]]; then
  M2=${M2_REPO:-$HOME/.m2/repository}
  WEKA_VERSION=${WEKA_VERSION:-3.8.6}
  WEKA_CLASSPATH=$M2/nz/ac/waikato/cms/weka/weka-stable/$WEKA_VERSION/weka-stable-$WEKA_VERSION.jar
  [[ -f $WEKA_CLASSPATH ]] || die "no Weka classpath given (3rd argument or WEKA_CP) and $WEKA_CLASSPATH not found"
  # Weka's own dependencies (parser runtime, XML, matrix libs), where present.
  for j in "$M2"/com/github/vbmacher/java-cup-runtime/*/java-cup-runtime-*.jar \
           "$M2"/nz/ac/waikato/cms/weka/thirdparty/bounce/*/bounce-*.jar \
           "$M2"/com/googlecode/matrix-toolkits-java/mtj/*/mtj-*.jar; do
    if [[ -f $j ]]; then WEKA_CLASSPATH=$WEKA_CLASSPATH:$j; fi
  done
fi
IFS=: read -r -a CP_ENTRIES <<<"$WEKA_CLASSPATH"
CLEAN_CP=
for e in "${CP_ENTRIES[@]}"; do
  [[ -z $e ]] && continue
  # pom-type dependencies (e.g. netlib "all") are not jars: Weka's class
  # discovery would print a ZipException for them.
  [[ $e == *.pom ]] && continue
  CLEAN_CP=${CLEAN_CP:+$CLEAN_CP:}$e
  [[ -e $e ]] || die "classpath entry does not exist: $e"
  case $(basename "$e") in
    neuralModules*|classes|aparapi-*)
      die "the Weka classpath must not contain the package or its libraries: $e" ;;
  esac
done
WEKA_CLASSPATH=$CLEAN_CP

# ---------------------------------------------------------------- zip layout
if command -v unzip >/dev/null 2>&1; then
  ENTRIES=$(unzip -Z1 "$ZIP")
else
  ENTRIES=$(cd "$(mktemp -d)" && jar tf "$ZIP")
fi
has() { grep -qxE "$1" <<<"$ENTRIES"; }
has 'Description\.props' || die "Description.props is not at the top level of the zip"
has 'neuralModules(-[^/]*)?\.jar' || die "no neuralModules jar at the top level of the zip"
# nothing in the package imports Commons Math (the benchmark harness does, outside the package)
if has 'lib/commons-math3-[^/]*\.jar'; then die "the zip bundles commons-math3, which no package class uses"; fi
has 'src/main/java/weka/classifiers/functions/NeuralModules\.java' || die "sources missing from the zip"
has 'doc/.+' || die "doc/ is empty or missing in the zip"
has 'doc/user-guide\.md' || die "doc/user-guide.md missing from the zip"
has 'doc/experiments/nm-vs-mlp\.xml' || die "the ready experiment doc/experiments/nm-vs-mlp.xml is missing from the zip"
has 'doc/experiments/data/iris\.arff' || die "the experiment's datasets (doc/experiments/data/) are missing from the zip"
has 'doc/README\.md' || echo "install-test: WARNING: doc/README.md missing from the zip (no README.md at the repo top level?)" >&2
if grep -iE '(^|/)weka[^/]*\.jar$' <<<"$ENTRIES"; then die "the zip bundles Weka jars"; fi
has 'lib/aparapi-[0-9][^/]*\.jar' || die "lib/aparapi-*.jar (OpenCL backend) missing from the zip"
has 'lib/aparapi-jni-[^/]*\.jar' || die "lib/aparapi-jni-*.jar (OpenCL native library) missing from the zip"
if grep -E '^lib/' <<<"$ENTRIES" \
    | grep -vE '^lib/$|^lib/(aparapi|aparapi-jni|bcel)-[0-9][^/]*\.jar$'; then
  die "unexpected files in lib/ (only Aparapi with aparapi-jni and bcel are bundled)"
fi
log "zip layout OK ($(grep -c . <<<"$ENTRIES") entries)"

# ---------------------------------------------------------------- WEKA_HOME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/nm-install-test.XXXXXX")
cleanup() {
  local rc=$?
  if [[ ${KEEP_WEKA_HOME:-0} == 1 || $rc -ne 0 ]]; then
    echo "install-test: temporary files kept in $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT

export WEKA_HOME=$TMP/wekafiles
mkdir -p "$WEKA_HOME/props" "$TMP/home"
# Offline for every JVM (WekaPackageManager, weka.Run), read at class init.
printf 'weka.packageManager.offline=true\n' >"$WEKA_HOME/props/PackageManager.props"

# user.home points into the temp dir too, so nothing touches ~/wekafiles.
JOPTS=(-Xmx1g -Djava.awt.headless=true "-DWEKA_HOME=$WEKA_HOME"
       -Dweka.packageManager.offline=true "-Duser.home=$TMP/home")
wjava() { "$JAVA" "${JOPTS[@]}" -cp "$WEKA_CLASSPATH" "$@" </dev/null; }

check_quiet() { # file step: no SEVERE/WARNING line (issue 12: a normal CPU run and -l are quiet)
  # Weka's own start-up (WekaPackageManager probing netlib-java's ARPACK) warns when no native
  # BLAS is installed, for every classifier (J48 too); those two lines are not ours.
  if grep -E 'SEVERE|WARNING' "$1" | grep -v 'com\.github\.fommil\.netlib'; then
    die "$2: SEVERE/WARNING lines in a normal run (see above; full log $1)"
  fi
}

check_log() { # file step: no exceptions / Weka error lines
  # (file names the package manager lists while unpacking, e.g. javadoc pages, do not count)
  if grep -v '^\[DefaultPackageManager\] Installing: ' "$1" \
      | grep -nE 'Exception|Error:|Can.t find scheme|is not runnable|Skipping package|can.t be loaded|Unable to load'; then
    die "$2: errors in output (see above; full log $1)"
  fi
}

# ---------------------------------------------------------------- install
log "WEKA_HOME=$WEKA_HOME"
log "installing $ZIP (offline)"
wjava weka.core.WekaPackageManager -offline -install-package "$ZIP" >"$TMP/install.log" 2>&1 \
  || { cat "$TMP/install.log"; die "install command exited non-zero"; }
tail -n 5 "$TMP/install.log"
check_log "$TMP/install.log" "install"
PKG_DIR=$WEKA_HOME/packages/$PACKAGE
[[ -f $PKG_DIR/Description.props ]] || die "package not installed: $PKG_DIR/Description.props missing"
ls "$PKG_DIR"/neuralModules*.jar >/dev/null 2>&1 || die "package jar not installed in $PKG_DIR"
ls "$PKG_DIR"/lib/aparapi-[0-9]*.jar >/dev/null 2>&1 || die "Aparapi not installed in $PKG_DIR/lib"

# ---------------------------------------------------------------- list
log "listing installed packages"
wjava weka.core.WekaPackageManager -offline -list-packages installed >"$TMP/list.log" 2>&1 \
  || { cat "$TMP/list.log"; die "list command exited non-zero"; }
cat "$TMP/list.log"
check_log "$TMP/list.log" "list-packages"
# columns: Installed  Repository  Loaded  Package: Title
grep -qE "^[^[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+Yes[[:space:]]+$PACKAGE:" "$TMP/list.log" \
  || die "$PACKAGE is not listed as installed and loaded"
INSTALLED_VERSION=$(sed -n 's/^Version=//p' "$PKG_DIR/Description.props")
log "$PACKAGE $INSTALLED_VERSION installed and loaded"

# ---------------------------------------------------------------- train + save
MODEL=$TMP/neuralModules.model
read -r -a NM_OPTS <<<"$NM_TEST_OPTS"
log "JVM 1: weka.Run .NeuralModules -t $(basename "$ARFF") ${NM_OPTS[*]} -d <model>"
wjava weka.Run -do-not-prompt-if-multiple-matches .NeuralModules \
  -t "$ARFF" "${NM_OPTS[@]}" -d "$MODEL" >"$TMP/train.log" 2>&1 \
  || { cat "$TMP/train.log"; die "training exited non-zero"; }
check_log "$TMP/train.log" "train"
check_quiet "$TMP/train.log" "train (-device AUTO)"
grep -q 'Correctly Classified Instances' "$TMP/train.log" \
  || { cat "$TMP/train.log"; die "training output lacks 'Correctly Classified Instances'"; }
[[ -s $MODEL ]] || die "model file was not written: $MODEL"
grep -E 'Correctly Classified Instances' "$TMP/train.log"

# ---------------------------------------------------------------- load + predict
log "JVM 2: weka.Run $CLASSIFIER -l <model> -T $(basename "$ARFF")"
wjava weka.Run "$CLASSIFIER" -l "$MODEL" -T "$ARFF" >"$TMP/load.log" 2>&1 \
  || { cat "$TMP/load.log"; die "loading/predicting exited non-zero"; }
check_log "$TMP/load.log" "load"
check_quiet "$TMP/load.log" "load (-l)"
grep -q 'Correctly Classified Instances' "$TMP/load.log" \
  || { cat "$TMP/load.log"; die "model-loading output lacks 'Correctly Classified Instances'"; }
sed -n '/=== Error on test data ===/,/^Total Number/p' "$TMP/load.log"
# The reloaded model must reproduce the first JVM's training-set result on the
# same data (first "Correctly Classified" line = "Error on training data").
TRAIN_CC=$(grep -m1 'Correctly Classified Instances' "$TMP/train.log" | awk '{print $4}')
LOAD_CC=$(grep -m1 'Correctly Classified Instances' "$TMP/load.log" | awk '{print $4}')
[[ -n $LOAD_CC && $TRAIN_CC == "$LOAD_CC" ]] \
  || die "reloaded model classifies $LOAD_CC instances correctly, the trained one $TRAIN_CC (same data)"
log "reloaded model reproduces the training-set result ($LOAD_CC correct)"

# ---------------------------------------------------------------- Experimenter example
# The shipped experiment runs from the installed package (its datasets are in the package, paths
# relative to it), writes nothing into the package folder, and shows real errors.
EXP_DIR=$PKG_DIR/doc/experiments
for f in run-experiment.sh RunExperiment.java SignificanceTable.java nm-vs-mlp.xml data/iris.arff \
    data/codon_usage_small.arff; do
  [[ -f $EXP_DIR/$f ]] || die "Experimenter example incomplete in the installed package: $EXP_DIR/$f missing"
done
mkdir -p "$TMP/experiment"
touch "$TMP/experiment/mark"
sleep 1 # file times have 1 s resolution on some file systems
log "Experimenter example: run-experiment.sh (1 run) from the installed package"
(cd "$TMP/experiment" && WEKA_CP=$WEKA_CLASSPATH JAVA_TOOL_OPTIONS="${JOPTS[*]}" \
  bash "$EXP_DIR/run-experiment.sh" "$TMP/experiment/results.arff" 1) >"$TMP/experiment.log" 2>&1 \
  || { cat "$TMP/experiment.log"; die "the Experimenter example failed from the installed package"; }
check_log "$TMP/experiment.log" "experiment"
for want in 'Analysing:  Percent_correct' 'iris  ' 'codon_usage_small  ' 'module statistics'; do
  grep -q -- "$want" "$TMP/experiment.log" \
    || { cat "$TMP/experiment.log"; die "Experimenter example output lacks '$want'"; }
done
sed -n '/^Dataset .*functions/,/(v\/ \/\*)/p' "$TMP/experiment.log" | head -n 6
CHANGED=$(find "$PKG_DIR" -newer "$TMP/experiment/mark")
[[ -z $CHANGED ]] || die "the Experimenter example wrote into the package folder: $CHANGED"
# A broken setup (datasets missing) must fail and say why, not hide it.
mkdir -p "$TMP/broken"
cp "$EXP_DIR"/*.java "$EXP_DIR"/nm-vs-mlp.xml "$EXP_DIR"/run-experiment.sh "$TMP/broken/"
if NM_CP=$WEKA_CLASSPATH JAVA_TOOL_OPTIONS="${JOPTS[*]}" bash "$TMP/broken/run-experiment.sh" \
    "$TMP/broken/results.arff" 1 >"$TMP/broken.log" 2>&1; then
  cat "$TMP/broken.log"; die "the Experimenter example succeeded without its datasets"
fi
grep -q 'data/iris.arff .*not found' "$TMP/broken.log" \
  || { cat "$TMP/broken.log"; die "the Experimenter example's error does not name the missing dataset"; }
log "Experimenter example OK (runs from the package, writes nothing there, reports a missing dataset)"

# ---------------------------------------------------------------- OpenCL inside Weka
# The OpenCL backend through the package class loader (native library from lib/aparapi-jni),
# wherever an OpenCL device exists; CI (PoCL installed by .ci/run) must have one.
if { command -v clinfo >/dev/null 2>&1 && clinfo -l 2>/dev/null | grep -q 'Device'; } || [[ -n ${CI:-} ]]; then
  log "JVM 3: weka.Run .NeuralModules -t $(basename "$ARFF") ${NM_OPTS[*]} -device OPENCL"
  JSIG=$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")/lib/libjsig.so
  LD_PRELOAD=$([[ -f $JSIG ]] && echo "$JSIG") wjava weka.Run -do-not-prompt-if-multiple-matches .NeuralModules \
    -t "$ARFF" "${NM_OPTS[@]}" -device OPENCL >"$TMP/opencl.log" 2>&1 \
    || { cat "$TMP/opencl.log"; die "training with -device OPENCL exited non-zero"; }
  check_log "$TMP/opencl.log" "opencl"
  grep -q 'backend: OpenCL' "$TMP/opencl.log" \
    || { cat "$TMP/opencl.log"; die "-device OPENCL output does not show the OpenCL backend"; }
  grep -m1 'backend: OpenCL' "$TMP/opencl.log"
else
  log "no OpenCL device (clinfo): -device OPENCL not tried"
fi

log "PASS: $PACKAGE installed offline into a fresh WEKA_HOME, trained, evaluated, saved, reloaded and predicted"
