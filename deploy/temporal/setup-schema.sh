#!/bin/sh
# Creates or upgrades Temporal's schema in PostgreSQL. Runs in the temporalio/admin-tools
# image (temporal-sql-tool, versioned schema under /etc/temporal/schema) before the server
# starts, on every `docker compose up`: a no-op when the schema is current, an upgrade
# after the admin-tools/server version is raised.
#
# Connection from the environment (read by temporal-sql-tool itself):
#   SQL_PLUGIN=postgres12 SQL_HOST SQL_PORT SQL_USER SQL_PASSWORD
# The databases themselves (temporal, temporal_visibility, owned by SQL_USER) are created
# by deploy/postgres/init-databases.sh, or by you on an external PostgreSQL.
set -eu

# Where admin-tools keeps the versioned PostgreSQL schema.
: "${SCHEMA_ROOT:=/etc/temporal/schema/postgresql/v12}"
: "${TEMPORAL_DB:=temporal}"
: "${TEMPORAL_VISIBILITY_DB:=temporal_visibility}"

apply() {
  db=$1
  dir=$2
  echo "temporal-schema: ${db} <- ${SCHEMA_ROOT}/${dir}/versioned"
  # setup-schema -v 0.0 only creates the version tables and leaves a newer version alone.
  temporal-sql-tool --db "$db" setup-schema -v 0.0
  temporal-sql-tool --db "$db" update-schema -d "${SCHEMA_ROOT}/${dir}/versioned"
}

apply "$TEMPORAL_DB" temporal
apply "$TEMPORAL_VISIBILITY_DB" visibility
echo "temporal-schema: done"
