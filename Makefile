# The two commands a newcomer needs: `make run` and `make test`. Each sets itself up.
SHELL := /bin/bash
NPM_STAMP := node_modules/.package-lock.json

.PHONY: install build lint test compose-test audit run bench capacity chaos mutation clean

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund

install: $(NPM_STAMP)

build: install
	npm run build

## ESLint (typescript-eslint and the house's import rules, eslint.config.js) and Prettier's check
## (.prettierrc.json; `npm run format` rewrites). Either failing fails make test.
lint: install
	npm run lint
	npm run format:check

## Unit, integration and end-to-end tests (real Redis, SQLite, BullMQ, emulator). Prints "N passed, N failed".
test: build lint
	npx tsc -p tsconfig.tools.json
	./scripts/ensure-redis.sh
	node scripts/test-summary.mjs

## The stack under docker compose, for real: builds the image, starts --profile demo, drives it,
## restarts, scales, backs up and restores; removes all it made. Prints "N passed, N failed".
compose-test: build
	./scripts/ensure-docker.sh
	SUMMARY_NAME=compose-test-summary node scripts/test-summary.mjs --config vitest.docker.config.ts

## npm audit --omit=dev: fails on a high or critical advisory in what the images ship (needs the registry's audit endpoint; .ci/run runs it).
audit: install
	node scripts/audit.mjs

## Everything against the emulator with a demo guild (or for real with DISCORD_TOKEN in .env).
run: build
	./scripts/ensure-redis.sh
	npx tsx scripts/run.ts

## Benchmarks at Discord's real limits (long; not part of make test). The tables of
## docs/benchmarks.md are then written from the results (scripts/bench-tables.mjs).
bench: build
	./scripts/ensure-redis.sh
	npx tsx bench/run.ts
	node scripts/bench-tables.mjs

## Per-unit figures docs/capacity.md scales from (Redis bytes, database bytes and writer rate, PSS and CPU per open).
capacity: build
	./scripts/ensure-redis.sh
	npx tsx bench/capacity.ts

## The full chaos suite (long; a shortened version runs in make test).
chaos: build
	./scripts/ensure-redis.sh
	CHAOS_FULL=1 node scripts/test-summary.mjs tests/chaos

## Mutation testing (StrykerJS, vitest runner, stryker.config.json) of the pure rules (shared/src/domain
## without the language catalogs, services/*/src/domain), the repository's ticket and privacy stores,
## the owner auth and the logger, against their unit tests (vitest.mutation.config.ts). Long; not part
## of make test. One part: npx stryker run --mutate 'services/web/src/owner-auth.ts'.
## Report: .tmp/mutation/report.json; scores in docs/reliability.md.
mutation: install
	npx stryker run

clean:
	npm run clean
