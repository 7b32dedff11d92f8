#!/usr/bin/env bash
# Makes sure `make compose-test` has a Docker engine and docker-compose: installs Debian's
# docker.io and docker-compose when they are missing (as root with apt), and starts the
# daemon (logging to .tmp/dockerd.log) when `docker info` gets no answer.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .tmp

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || missing+=(docker-compose)
if [ "${#missing[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing Debian's ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing: ${missing[*]}. Install Docker and docker compose (Debian: sudo apt-get install docker.io docker-compose)." >&2
    exit 1
  fi
fi

if ! docker info >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "The Docker daemon does not answer; start it (sudo systemctl start docker) and run again." >&2
    exit 1
  fi
  echo "starting dockerd (log: .tmp/dockerd.log)" >&2
  nohup dockerd >.tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 120); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    echo "dockerd did not come up; last lines of .tmp/dockerd.log:" >&2
    tail -n 20 .tmp/dockerd.log >&2
    exit 1
  fi
fi
