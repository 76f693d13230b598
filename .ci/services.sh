#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL and Redis on loopback for the scale-out tests.
#   eval "$(.ci/services.sh start)"   -> exports DATABASE_URL and REDIS_URL
#   .ci/services.sh stop
# Data lives in $LIVINGLAB_SERVICES_DIR (default /tmp/livinglab-services); nothing is
# installed here: `make test` installs the Debian packages first (.ci/ensure-system-deps.sh).
set -euo pipefail
DIR=${LIVINGLAB_SERVICES_DIR:-/tmp/livinglab-services}
PGPORT=${LIVINGLAB_PG_PORT:-54329}
REDISPORT=${LIVINGLAB_REDIS_PORT:-63799}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  mkdir -p "$DIR"
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg"
    [ "$(id -u)" = "0" ] && chown postgres "$DIR" "$DIR/pg"
    as_pg "$PGBIN/initdb" -D "$DIR/pg" -U livinglab --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$PGBIN/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
    as_pg "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w \
      -o "-p $PGPORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
      start >/dev/null
  fi
  # Throw-away: every start begins with an empty database (the live-daphne tests seed it
  # and would collide with the rows of a previous run in the same directory).
  as_pg "$PGBIN/dropdb" -h 127.0.0.1 -p "$PGPORT" -U livinglab --if-exists --force livinglab \
    2>/dev/null || true
  as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U livinglab livinglab 2>/dev/null || true
  if ! redis-cli -p "$REDISPORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDISPORT" --bind 127.0.0.1 --save "" --appendonly no \
      --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" >/dev/null
    for _ in $(seq 50); do redis-cli -p "$REDISPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  redis-cli -p "$REDISPORT" flushall >/dev/null
  echo "export DATABASE_URL=postgres://livinglab@127.0.0.1:$PGPORT/livinglab"
  echo "export REDIS_URL=redis://127.0.0.1:$REDISPORT/0"
}

stop() {
  [ -n "$PGBIN" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/pg" -m fast stop >/dev/null 2>&1 || true
  redis-cli -p "$REDISPORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
