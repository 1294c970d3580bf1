# Start a local PostgreSQL cluster (with PostGIS in the test database) for the contract tests
# and export LITTORAL_TEST_PG_URL.
# Sourced by .ci/run; usable by hand: `source .ci/postgres.sh && start_postgres`.
start_postgres() {
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^${version} main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  pg_ctlcluster "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_isready -q -h localhost && break
    sleep 1
  done
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='littoral'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE littoral LOGIN PASSWORD 'littoral' CREATEDB\""
  su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='littoral_test'\"" | grep -q 1 ||
    su postgres -c "createdb -O littoral littoral_test"
  # PostGIS may only be created by a superuser; the stores of the tests then find it
  su postgres -c "psql -d littoral_test -qc 'SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis'"
  export LITTORAL_TEST_PG_URL="postgresql://littoral:littoral@localhost:5432/littoral_test"
}
