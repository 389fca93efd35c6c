#!/usr/bin/env bash
# Follows the README quickstart on a clean clone, as a new user would:
#   1. git clone the repository into a temp dir (committed files only);
#   2. run the README's first command (the first line of its first ```sh block: `npm start`) in
#      the background, in its own process group, and wait for "Ready.";
#   3. in "a second terminal": npx --no-install prefect run --name hello --project examples --watch
#      must exit 0 and show the flow's output and Success;
#   4. Ctrl-C: SIGINT to the whole process group, which must exit 0 with nothing left behind.
#
# Usage: tools/quickstart/check-quickstart.sh [REPO (default: this checkout)]
# Env:   QUICKSTART_KEEP=1 keeps the clone; QUICKSTART_TIMEOUT (s, default 900) bounds step 2;
#        QUICKSTART_START_SCRIPT='...' sets package.json "start" in the clone (only to try a
#        proposed script before it is committed; the check then says so).
# Needs: git, node/npm, setsid, port 4200 free. Uses a fresh HOME (so ~/.prefect is empty) and
# your npm cache.
set -euo pipefail

REPO=${1:-$(git -C "$(dirname "$0")" rev-parse --show-toplevel)}
TIMEOUT=${QUICKSTART_TIMEOUT:-900}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/quickstart.XXXXXX")
CLONE="$WORK/prefect-ts"
LOG="$WORK/start.log"
START_PID=
NPM_CACHE=$(npm config get cache 2>/dev/null || echo "$HOME/.npm")

fail() { echo "QUICKSTART FAILED: $*" >&2; echo "--- last lines of the first terminal ($LOG):" >&2; tail -n 40 "$LOG" >&2 || true; exit 1; }
group_alive() { [ -n "$START_PID" ] && pgrep -g "$START_PID" >/dev/null 2>&1; }
cleanup() {
  if group_alive; then kill -KILL -- "-$START_PID" 2>/dev/null || true; fi
  if [ "${QUICKSTART_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if (exec 3<>/dev/tcp/127.0.0.1/4200) 2>/dev/null; then fail "port 4200 is in use; the quickstart serves the API there"; fi

echo "== clone $REPO -> $CLONE"
git clone --quiet "$REPO" "$CLONE"
cd "$CLONE"

FIRST=$(awk '/^```sh/{f=1;next} f&&/^```/{exit} f{print; exit}' README.md | sed 's/[[:space:]]*#.*$//')
[ -n "$FIRST" ] || fail "no first command found in README.md"
echo "== README first command: $FIRST"
if [ -n "${QUICKSTART_START_SCRIPT:-}" ]; then
  echo "== NOTE: package.json \"start\" overridden by QUICKSTART_START_SCRIPT: $QUICKSTART_START_SCRIPT"
  node -e 'const f="package.json",p=require("./"+f);p.scripts.start=process.argv[1];require("fs").writeFileSync(f,JSON.stringify(p,null,2)+"\n")' "$QUICKSTART_START_SCRIPT"
fi

# A fresh HOME (empty ~/.prefect), but npm keeps your user config (registry, proxy, nodedir for
# native builds) and cache.
[ -f "$HOME/.npmrc" ] && export npm_config_userconfig="$HOME/.npmrc"
export HOME="$WORK/home" npm_config_cache="$NPM_CACHE" NO_COLOR=1
mkdir -p "$HOME"
echo "== terminal 1: $FIRST (log: $LOG)"
setsid bash -c "exec $FIRST" >"$LOG" 2>&1 </dev/null &
START_PID=$!

deadline=$((SECONDS + TIMEOUT))
until grep -q '^Ready\.' "$LOG"; do
  kill -0 "$START_PID" 2>/dev/null || fail "'$FIRST' exited before it was ready"
  [ $SECONDS -lt $deadline ] || fail "not ready after ${TIMEOUT}s"
  sleep 1
done
echo "== ready after ${SECONDS}s"

echo "== terminal 2: npx --no-install prefect run --name hello --project examples --watch"
set +e
OUT=$(npx --no-install prefect run --name hello --project examples --watch 2>&1)
CODE=$?
set -e
echo "$OUT" | sed 's/^/   | /'
[ "$CODE" = 0 ] || fail "prefect run --watch exited $CODE"
grep -q 'Hello from prefect-ts' <<<"$OUT" || fail "the flow's output is missing"
grep -q 'finished in state Success' <<<"$OUT" || fail "no Success"

echo "== Ctrl-C (SIGINT to the process group of terminal 1)"
kill -INT -- "-$START_PID"
set +e
for _ in $(seq 1 60); do group_alive || break; sleep 0.5; done
wait "$START_PID"
STOP_CODE=$?
set -e
if group_alive; then pgrep -a -g "$START_PID" >&2 || true; fail "processes left after Ctrl-C"; fi
grep -q 'Agent stopped\.' "$LOG" || fail "the agent did not report a clean stop"
grep -q '^Stopped\.' "$LOG" || fail "prefect dev did not report a clean stop"
[ "$STOP_CODE" = 0 ] || [ "$STOP_CODE" = 130 ] || fail "terminal 1 exited $STOP_CODE after Ctrl-C"
echo "== terminal 1 exited $STOP_CODE after Ctrl-C, nothing left running"
echo "QUICKSTART OK"
