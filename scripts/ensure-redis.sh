#!/usr/bin/env bash
# Makes sure the tests and the demo can get a Redis: one reachable at REDIS_URL, or a
# redis-server binary they can start privately. Installs Debian's package when possible.
set -euo pipefail
url="${REDIS_URL:-redis://127.0.0.1:6379}"
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
hostport="${url#redis://}"; hostport="${hostport%%/*}"; hostport="${hostport##*@}"
host="${hostport%%:*}"; port="${hostport##*:}"; [ "$port" = "$hostport" ] && port=6379
if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "redis-server not found: installing Debian's redis-server package" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "No Redis reachable at $url and no redis-server on PATH." >&2
echo "Install Redis 6.2+ (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL." >&2
exit 1
