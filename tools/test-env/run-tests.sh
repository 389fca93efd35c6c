#!/usr/bin/env bash
# `npm test`: builds everything, runs the unit and integration suites of the libraries and the
# CLI two at a time, then the suites that start real servers, agents and process trees (e2e,
# bench and chaos smoke tests) one at a time, so they neither compete for the two cores nor see
# each other's processes. Runs every group even when an earlier one failed; exits non-zero if
# any did.
set -u
cd "$(dirname "$0")/../.."
nx() { node_modules/.bin/nx "$@"; }
nx run-many -t build || exit 1
status=0
nx run-many -t test --parallel=2 --projects='tag:type:core,tag:type:util,tag:type:app' --output-style=stream || status=1
nx run-many -t test --parallel=1 --projects='tag:type:e2e' --output-style=stream || status=1
exit $status
