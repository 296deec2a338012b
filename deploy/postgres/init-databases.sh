#!/usr/bin/env bash
# First start of the PostgreSQL container only (docker-entrypoint-initdb.d runs it when
# the data volume is empty): one role and database for Studioflow, one role owning the
# two Temporal databases. Temporal's schema is applied later by the temporal-schema
# service; Studioflow's tables by the API's migrations.
#
# The official image sources this file when it is not executable, so it avoids `set -u`
# and `exit`; the entrypoint's own `set -e` and psql's ON_ERROR_STOP stop on any error.

: "${STUDIOFLOW_DB_PASSWORD:?STUDIOFLOW_DB_PASSWORD must be set}"
: "${TEMPORAL_DB_PASSWORD:?TEMPORAL_DB_PASSWORD must be set}"

# Passwords go in as psql variables (:'name' quotes them), never spliced into SQL text.
psql -v ON_ERROR_STOP=1 --no-psqlrc \
  --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" \
  --set app_password="$STUDIOFLOW_DB_PASSWORD" \
  --set temporal_password="$TEMPORAL_DB_PASSWORD" <<'SQL'
CREATE ROLE studioflow LOGIN PASSWORD :'app_password';
CREATE DATABASE studioflow OWNER studioflow;

CREATE ROLE temporal LOGIN PASSWORD :'temporal_password';
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;
SQL
