# One image for every service (and the all-in-one process); compose picks it with `command`.

FROM node:20-bookworm-slim AS build
# sqlite3 (config-service) compiles from source when no prebuilt binary can be fetched.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Manifests first, so dependency installs are cached until a manifest changes.
COPY package.json package-lock.json tsconfig.json ./
COPY shared/package.json shared/
COPY services/gateway/package.json services/gateway/
COPY services/ticket-worker/package.json services/ticket-worker/
COPY services/log-worker/package.json services/log-worker/
COPY services/config-service/package.json services/config-service/
COPY services/web/package.json services/web/
COPY services/all-in-one/package.json services/all-in-one/
COPY services/discord-emulator/package.json services/discord-emulator/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY services services
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf shared/src services/*/src services/*/test \
 && find . -name '*.tsbuildinfo' -not -path './node_modules/*' -delete

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# Small young generation and a capped old one: each service idles near 80-100 MB instead
# of 100-150 MB, with room for bursts; one V8 platform thread instead of four saves about
# 5 MB more per process (the services are I/O-bound; docs/benchmarks.md).
ENV NODE_OPTIONS="--max-semi-space-size=1 --max-old-space-size=96 --v8-pool-size=1"
WORKDIR /app
COPY --from=build /app /app
# The SQLite file lives in /app/data (a volume in compose); the services run as `node`.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV DATABASE_URL=sqlite:/app/data/promton-tickets.sqlite
# Overridden per service in compose.yaml.
CMD ["node", "services/web/dist/main.js"]
