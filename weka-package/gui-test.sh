#!/usr/bin/env bash
# Explorer GUI test for the neuralModules Weka package, under Xvfb.
#
#   weka-package/gui-test.sh <neuralModules-VERSION.zip> <test.arff> <screenshot-dir> [weka-classpath]
#
# Installs the zip offline into a fresh WEKA_HOME (as install-test.sh does), starts its own Xvfb
# display, and runs weka-package/ExplorerGuiTest.java against Weka's classpath only: the
# Explorer must list NeuralModules, train it on <test.arff> (66% split), show "Correctly
# Classified Instances", and open "Visualize graph". Screenshots go to <screenshot-dir>:
# explorer-result.png, options.png, graph-window.png, graph-full.png, graph-codon.png.
#
# Needs Xvfb (Debian: apt-get install xvfb; .ci/run installs it when missing) and a JDK with
# AWT (libawt_xawt.so, i.e. not only the -headless package).
# It also opens the ready experiment doc/experiments/nm-vs-mlp.xml in the Experimenter's Setup
# panel (experimenter-setup.png); NM_EXPERIMENT= (empty) skips that.
# Environment: NM_GUI_OPTS (default "-H 24": the guide's first look, other options at their
# defaults), GUI_TIMEOUT (seconds, default 180), KEEP_WEKA_HOME=1, JAVA (default java).
# It also trains NeuralModules at its defaults on test-data/codon_usage_small.arff and opens that
# graph the way the Explorer does; its drawing must fit 1400 x 900 (graph-codon.png);
# NM_GRAPH_ARFF= (empty) skips that.
set -euo pipefail

die() { echo "gui-test: FAIL: $*" >&2; exit 1; }
log() { echo "gui-test: $*"; }

[[ $# -ge 3 && $# -le 4 ]] || {
  echo "usage: $0 <neuralModules-VERSION.zip> <test.arff> <screenshot-dir> [weka-classpath]" >&2
  exit 2
}
HERE=$(cd "$(dirname "$0")" && pwd)
ZIP=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ARFF=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
mkdir -p "$3"
SHOTS=$(cd "$3" && pwd)
[[ -f $ZIP ]] || die "package zip not found: $1"
[[ -f $ARFF ]] || die "test ARFF not found: $2"
JAVA=${JAVA:-java}
NM_GUI_OPTS=${NM_GUI_OPTS:--H 24}
GUI_TIMEOUT=${GUI_TIMEOUT:-180}

WEKA_CLASSPATH=${4:-${WEKA_CP:-}}
[[ -n $WEKA_CLASSPATH ]] || die "no Weka classpath (4th argument or WEKA_CP)"
# drop pom-type entries (not jars); the package itself must not be on it
WEKA_CLASSPATH=$(tr ':' '\n' <<<"$WEKA_CLASSPATH" | grep -v '\.pom$' | grep -v '^$' | paste -sd: -)
if tr ':' '\n' <<<"$WEKA_CLASSPATH" | grep -qE '(^|/)(classes|neuralModules[^/]*|aparapi-[0-9][^/]*)$'; then
  die "the Weka classpath must not contain the package or its libraries"
fi

if ! command -v Xvfb >/dev/null 2>&1; then
  # Like the OpenCL tests: a developer machine without Xvfb skips with a note, CI must not.
  [[ -n ${CI:-} ]] && die "Xvfb not found (Debian: apt-get install xvfb; .ci/run installs it)"
  echo "gui-test: SKIPPED: Xvfb not found (Debian: apt-get install xvfb xauth fonts-dejavu-core);" \
    "set CI=true to make this an error" >&2
  exit 0
fi
JHOME=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
[[ -f $JHOME/lib/libawt_xawt.so ]] || die "$JHOME has no X11 AWT (install the full JDK, not only -headless)"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/nm-gui-test.XXXXXX")
XVFB_PID=
cleanup() {
  local rc=$?
  if [[ -n $XVFB_PID ]]; then kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; fi
  if [[ ${KEEP_WEKA_HOME:-0} == 1 || $rc -ne 0 ]]; then
    echo "gui-test: temporary files kept in $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT

export WEKA_HOME=$TMP/wekafiles
mkdir -p "$WEKA_HOME/props" "$TMP/home"
printf 'weka.packageManager.offline=true\n' >"$WEKA_HOME/props/PackageManager.props"
JOPTS=(-Xmx1g "-DWEKA_HOME=$WEKA_HOME" -Dweka.packageManager.offline=true "-Duser.home=$TMP/home")

log "installing $(basename "$ZIP") offline into $WEKA_HOME"
"$JAVA" "${JOPTS[@]}" -Djava.awt.headless=true -cp "$WEKA_CLASSPATH" \
  weka.core.WekaPackageManager -offline -install-package "$ZIP" >"$TMP/install.log" 2>&1 </dev/null \
  || { cat "$TMP/install.log"; die "install failed"; }
[[ -f $WEKA_HOME/packages/neuralModules/Description.props ]] || { cat "$TMP/install.log"; die "package not installed"; }

# Xvfb picks a free display itself and writes its number to fd 3
Xvfb -displayfd 3 -screen 0 1920x1200x24 -nolisten tcp 3>"$TMP/display" >"$TMP/xvfb.log" 2>&1 &
XVFB_PID=$!
for _ in $(seq 1 100); do
  [[ -s $TMP/display ]] && break
  kill -0 "$XVFB_PID" 2>/dev/null || { cat "$TMP/xvfb.log"; die "Xvfb exited"; }
  sleep 0.1
done
[[ -s $TMP/display ]] || die "Xvfb did not report a display"
export DISPLAY=:$(head -n1 "$TMP/display")
log "Xvfb on $DISPLAY"

rm -f "$SHOTS"/explorer-result.png "$SHOTS"/options.png "$SHOTS"/graph-window.png "$SHOTS"/graph-full.png \
  "$SHOTS"/experimenter-setup.png "$SHOTS"/graph-codon.png "$SHOTS"/progress-window.png "$SHOTS"/explorer-result.txt
set +e
"$JAVA" "${JOPTS[@]}" -Djava.awt.headless=false "-Dgui.timeout.seconds=$GUI_TIMEOUT" \
  "-Dnm.experiment=${NM_EXPERIMENT-$HERE/../doc/experiments/nm-vs-mlp.xml}" \
  "-Dnm.graph.arff=${NM_GRAPH_ARFF-$HERE/../test-data/codon_usage_small.arff}" -cp "$WEKA_CLASSPATH" \
  "$HERE/ExplorerGuiTest.java" "$ARFF" "$SHOTS" "$NM_GUI_OPTS" </dev/null 2>&1 | tee "$TMP/gui.log"
RC=${PIPESTATUS[0]}
set -e
[[ $RC -eq 0 ]] || die "Explorer GUI test exited with $RC (log: $TMP/gui.log)"
grep -q '^gui-test: PASS' "$TMP/gui.log" || die "no PASS line from the GUI test"
for f in explorer-result.png options.png graph-window.png; do
  [[ -s $SHOTS/$f ]] || die "screenshot $f missing"
done
if [[ -n ${NM_GRAPH_ARFF-x} ]]; then
  [[ -s $SHOTS/graph-codon.png ]] || die "screenshot graph-codon.png missing"
fi
[[ -s $SHOTS/progress-window.png ]] || die "screenshot progress-window.png missing"
# doc/img must show what this build shows: the options line (every default) and the accuracy of
# the first-look run, recorded beside the screenshot; regenerate with cp $SHOTS/* doc/img/
DOCS_TXT=$HERE/../doc/img/explorer-result.txt
if [[ $NM_GUI_OPTS == "-H 24" && $(basename "$ARFF") == iris.arff ]]; then
  [[ -s $DOCS_TXT ]] || die "doc/img/explorer-result.txt missing (copy $SHOTS/* to doc/img/)"
  if ! diff -u "$DOCS_TXT" "$SHOTS/explorer-result.txt" >&2; then
    die "doc/img is stale: its screenshots show other options or another accuracy than this build (copy $SHOTS/* to doc/img/)"
  fi
  log "doc/img matches this build (options and accuracy of the first-look run)"
fi
log "PASS: screenshots in $SHOTS"
