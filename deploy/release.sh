#!/usr/bin/env bash
# deploy/release.sh REF — install git REF (tag or commit) beside the running release,
# check it, back up the database, migrate, switch /srv/livinglab/current, restart, and
# switch back if the site does not answer. Run as root (docs/deployment.md, "Upgrades").
set -euo pipefail
REF=${1:?usage: deploy/release.sh <git tag or commit>}
ROOT=/srv/livinglab
ENV_FILE=/etc/livinglab/env
SITE_URL=$(sed -n 's/^SITE_URL=//p' "$ENV_FILE")

manage() {  # manage [--root] DIR ARGS…: manage.py with the units' environment
  local as=(--uid=livinglab --gid=livinglab)
  if [ "$1" = "--root" ]; then as=(); shift; fi
  local dir=$1; shift
  systemd-run --quiet --wait --pipe --collect "${as[@]}" \
    -p EnvironmentFile="$ENV_FILE" -p WorkingDirectory="$dir" \
    "$dir/.venv/bin/python" manage.py "$@"
}

switch_to() {
  ln -sfn "$1" "$ROOT/current.new"
  mv -T "$ROOT/current.new" "$ROOT/current"
  systemctl restart livinglab.target
}

healthy() {
  for _ in $(seq 30); do
    curl -fsS --max-time 5 "$SITE_URL/healthz" >/dev/null 2>&1 && return 0
    sleep 2
  done
  return 1
}

git -C "$ROOT/repo" fetch --quiet --tags origin
COMMIT=$(git -C "$ROOT/repo" rev-parse --short "$REF^{commit}")
NEW="$ROOT/releases/$COMMIT"
OLD=$(readlink -f "$ROOT/current" 2>/dev/null || true)
if [ ! -x "$NEW/.venv/bin/python" ]; then
  rm -rf "$NEW" && mkdir -p "$NEW"
  git -C "$ROOT/repo" archive "$COMMIT" | tar -x -C "$NEW"
  python3 -m venv "$NEW/.venv"
  "$NEW/.venv/bin/pip" install --quiet --upgrade pip
  "$NEW/.venv/bin/pip" install --quiet -r "$NEW/requirements.txt"
fi
manage --root "$NEW" collectstatic --noinput -v0
manage "$NEW" check --deploy --fail-level WARNING
if [ -n "$OLD" ]; then
  manage "$OLD" backup --dir /var/backups/livinglab --keep-days 30
fi
manage "$NEW" migrate --noinput
switch_to "$NEW"
if ! healthy; then
  echo "$SITE_URL/healthz does not answer: back to ${OLD:-nothing}" >&2
  [ -n "$OLD" ] && switch_to "$OLD"
  exit 1
fi
echo "livinglab $COMMIT is live (previous release: ${OLD:-none})"
