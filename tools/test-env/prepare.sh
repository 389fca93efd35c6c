#!/usr/bin/env bash
# Runs before `npm test` (npm's pretest hook): makes sure everything the tests use for real is
# here — node_modules, supervisord, plistutil and a running PostgreSQL 15 with the test role and
# database. Installs Debian packages with apt-get when missing (needs root, as on CI).
set -euo pipefail
cd "$(dirname "$0")/../.."
export DEBIAN_FRONTEND=noninteractive
DB_URL="${PREFECT_TS_TEST_DATABASE_URL:-postgres://prefect:prefect@127.0.0.1:5432/prefect_test}"

if [ ! -x node_modules/.bin/nx ]; then
  echo "prepare: installing npm dependencies"
  npm install --no-audit --no-fund
fi

need=()
command -v supervisord >/dev/null || need+=(supervisor)
command -v plistutil >/dev/null || need+=(libplist-utils)
{ command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql/15/main ]; } || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "prepare: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "prepare: apt-get install ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "prepare: starting PostgreSQL 15"
  pg_ctlcluster 15 main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if [ "$(id -u)" -eq 0 ] && [ "$DB_URL" = "postgres://prefect:prefect@127.0.0.1:5432/prefect_test" ]; then
  su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='prefect'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create role prefect login superuser password 'prefect'\""
  su postgres -c "psql -qtAc \"select 1 from pg_database where datname='prefect_test'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"create database prefect_test owner prefect\""
fi
rm -rf test-results
echo "prepare: ready (PostgreSQL at ${DB_URL%%@*}@…)"
