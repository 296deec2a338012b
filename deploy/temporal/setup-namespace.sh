#!/bin/sh
# Registers Studioflow's namespace and its custom search attributes on the Temporal
# server. Runs in the temporalio/admin-tools image (the `temporal` CLI) after the server is
# up and before the API and workers start; safe to run again (it only adds what is
# missing). The same work `ensureSearchAttributes()` in temporal/setup.ts does for the
# development server.
#
#   TEMPORAL_ADDRESS     server frontend, host:port            (default temporal:7233)
#   NAMESPACE            namespace to create/use               (default default)
#   NAMESPACE_RETENTION  how long closed runs are kept, only
#                        applied when the namespace is created (default 720h = 30 days)
set -eu

: "${TEMPORAL_ADDRESS:=temporal:7233}"
: "${NAMESPACE:=default}"
: "${NAMESPACE_RETENTION:=720h}"
# Keep in step with temporal/search-attributes.ts (all Keyword).
SEARCH_ATTRIBUTES="WorkspaceId Automation BrandId"

log() { echo "temporal-setup: $*"; }

# Tries "$@" up to $1 times, 2 s apart.
retry() {
  tries=$1
  shift
  n=1
  until "$@"; do
    if [ "$n" -ge "$tries" ]; then
      log "giving up after $n attempts: $*"
      return 1
    fi
    n=$((n + 1))
    sleep 2
  done
}

# Some Docker networks resolve the service name to an IPv6 address first that the gRPC
# client then fails on; dial the IPv4 address when there is one.
host=${TEMPORAL_ADDRESS%:*}
port=${TEMPORAL_ADDRESS##*:}
ip=$(getent ahosts "$host" 2>/dev/null | awk '$2 == "STREAM" && $1 !~ /:/ { print $1; exit }' || true)
address=${ip:+$ip:$port}
address=${address:-$TEMPORAL_ADDRESS}
log "server $TEMPORAL_ADDRESS ($address), namespace $NAMESPACE"

t() { temporal "$@" --address "$address"; }

log "waiting for the server"
retry 60 t operator cluster health >/dev/null

if t operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; then
  log "namespace $NAMESPACE exists"
else
  log "creating namespace $NAMESPACE (retention $NAMESPACE_RETENTION)"
  t operator namespace create --namespace "$NAMESPACE" --retention "$NAMESPACE_RETENTION"
  # Registration takes a few seconds to reach every service.
  retry 30 t operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1
fi

has_attribute() {
  t operator search-attribute list --namespace "$NAMESPACE" | grep -qw "$1"
}
for name in $SEARCH_ATTRIBUTES; do
  if has_attribute "$name"; then
    log "search attribute $name exists"
  else
    log "creating search attribute $name (Keyword)"
    retry 15 t operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword
  fi
done

# New attributes reach the frontend's caches after a refresh; until then starting a run
# that sets them fails. A visibility query that names all of them passes only once they
# are usable, so wait for that (read-only, lists nothing).
query=""
for name in $SEARCH_ATTRIBUTES; do
  query="${query:+$query AND }$name = 'studioflow-setup-probe'"
done
log "waiting until the search attributes are usable"
retry 60 t workflow list --namespace "$NAMESPACE" --query "$query" --limit 1 >/dev/null
log "done"
