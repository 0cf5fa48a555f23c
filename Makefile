# Hearth's entry points. Node.js 24 comes from the `node` npm package (pinned in package.json),
# so the system's Node.js and npm are only needed to run `npm ci`.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NODE := node --disable-warning=ExperimentalWarning --import tsx

.PHONY: run test typecheck ui build bench image image-test bundle update-test clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

ui: node_modules/.installed
	$(NODE) setup-wizard/build.ts

## make run: start hearthd in dev mode (data in ./var, https://localhost:8443, http://localhost:8080)
run: ui
	$(NODE) runtime/bin/hearth.ts run

typecheck: node_modules/.installed
	tsc -p .

## make test: typecheck, unit, integration (real HTTPS + SQLite) and browser tests; last line "N passed, N failed"
test: ui
	$(NODE) test/run.ts

## make build: bundle hearthd with esbuild into dist/hearthd/ (what the image runs)
build: ui
	$(NODE) runtime/build.ts

## make bench: start time, memory and latency figures; the flow editor's memory, start and throughput;
## a million-row import, a filtered list on it and the named call-log join; SQLite's own ceiling for that import;
## the status and filtered lists answered while a million-row import runs through the API;
## each data page's requests as it opens, over a million transactions (p95 < 300 ms);
## backups of that database (full, incremental, restore, restic's memory); the owner's sign-in during a guessing
## burst and hearthd's memory after MQTT publishes of the maximum size
bench: build
	$(NODE) bench/run.ts
	$(NODE) bench/security.ts
	$(NODE) bench/flows.ts
	$(NODE) bench/data.ts
	$(NODE) bench/importLoad.ts
	$(NODE) bench/dataPages.ts
	$(NODE) bench/backup.ts

## make image: the Raspberry Pi SD card image in out/ (needs root; installs its host tools on Debian)
image: build
	image/build.sh

## make bundle: the update bundle out/hearth-<version>-arm64.raucb (needs root, like make image);
## HEARTH_VERSION_SUFFIX=test.1 tells several bundles of one commit apart
bundle: build
	image/build.sh bundle

## make image-test: boot out/'s image in QEMU and check it as a new owner would
image-test:
	ci/image-test.sh

## make update-test: boot out/'s image in QEMU and update it with bundles, roll back, cut the power
update-test:
	ci/update-test.sh

clean:
	rm -rf setup-wizard/dist dist test-results node_modules/.installed
