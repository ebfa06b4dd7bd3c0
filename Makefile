# Kith's entry points. `make run` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
# cargo-installed tools (tauri-driver) live here, whatever the caller's PATH.
export PATH := $(HOME)/.cargo/bin:$(PATH)
export CARGO_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
TARGET_DIR := $(CARGO_TARGET_DIR)
E2E_THREADS := --test-threads=1

.PHONY: help deps ui run test tree-before tree-after packaging rpm test-package test-package-debug test-core test-sync test-app test-e2e lint fmt-check clippy ui-check fmt bindings deb bench bench-search fuzz fuzz-smoke fuzz-long fuzz-seeds crash clean

help:
	@echo "make run    build and start Kith (installs missing dependencies first)"
	@echo "make test   every check: format, lint, core, commands, bindings, end-to-end"
	@echo "make deb    build the Debian package (make rpm: the Fedora one)"
	@echo "make test-package  install the .deb, start it, remove it"
	@echo "make bench  figures for the §7 budgets, each against a raw-SQL baseline"
	@echo "make bench-search  the search figures alone (KITH_BENCH_REUSE=<file> skips generating)"
	@echo "make fuzz   feed every importer random bytes (FUZZ_SECONDS each, default 15)"
	@echo "make fuzz-smoke  the same in a quick debug build (what make test runs)"
	@echo "make fuzz-long  the same for 10 minutes each, keeping the corpus (make fuzz-seeds keeps the best)"
	@echo "make crash  kill -9 Kith mid-write ROUNDS times (default 500) and check nothing is lost"
	@echo "make fmt    format the Rust code"

deps:
	@bash scripts/install-deps.sh

ui: deps
	cd ui && npm run --silent build

run: ui
	$(CARGO) build -p kith
	$(TARGET_DIR)/debug/kith

# The checks that take seconds first (formatting, the desktop files, the UI's types and
# unit tests), so a slip fails the run at once; then the core, the lints of everything
# compiled (with the UI built, which the app embeds), the real sync servers, the app, and
# what needs WebKit last.
test: tree-before deps fmt-check packaging ui-check test-core ui clippy test-sync test-app bindings test-e2e test-package-debug fuzz-smoke tree-after
	@echo "make test: all checks passed"

# A run must leave every tracked file as it found it (a rewritten lock file, a regenerated
# binding, a formatted source): what it changed is shown and the run fails.
TREE_MARK := .git/kith-test-tree
tree-before:
	@git diff HEAD --binary | sha256sum > $(TREE_MARK)
tree-after:
	@git diff HEAD --binary | sha256sum | cmp -s - $(TREE_MARK) || \
	  { echo "make test changed tracked files:"; git diff --stat HEAD; exit 1; }

# cargo fuzz (libFuzzer, AddressSanitizer) on each importer, seeded with the import
# fixtures. Its sanitizer flags are nightly-only; RUSTC_BOOTSTRAP lets the one stable
# toolchain here accept them. A crash fails the run and leaves its input in
# src-tauri/core/fuzz/artifacts/.
FUZZ_SECONDS ?= 15
# -O: a release build (about 6 minutes from nothing on two cores, 20 times the executions);
# --dev: a debug build in under 2 minutes, for make test's short run.
FUZZ_BUILD ?= -O
FUZZ_DIR := $(TARGET_DIR)/fuzz
FUZZ_TARGETS := vcard linkedin google_csv csv backup
# Seeds: the import fixtures, and the minimised corpus kept in fuzz/seeds/<target>.tar.gz
# (unpacked under the build folder; new finds go to the corpus there, kept between runs).
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --version 0.13.2 --locked
	cd src-tauri/core && for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/seeds/$$t && \
	  if [ -f fuzz/seeds/$$t.tar.gz ]; then tar xzf fuzz/seeds/$$t.tar.gz -C $(FUZZ_DIR)/seeds/$$t; fi && \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run $(FUZZ_BUILD) --target-dir $(FUZZ_DIR)/target $$t \
	    $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/seeds/$$t tests/fixtures/import -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -print_final_stats=1 2>&1 | \
	    sed -n -E "s/^stat::number_of_executed_units: *([0-9]+)/$$t: \1 executions in $(FUZZ_SECONDS) s/p; /^(Done|==|SUMMARY|thread|Failing)/p" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

# make test's run: every seed and fixture replayed under AddressSanitizer, then
# FUZZ_SECONDS of new inputs per target, in a debug build (make fuzz is the release one).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_BUILD=--dev

# The long run: FUZZ_SECONDS per target (default 10 minutes), its corpus kept under the
# build folder between runs; `make fuzz-seeds` then keeps the inputs that reach new code
# (edges, not counters) as the committed seeds.
fuzz-long:
	$(MAKE) fuzz FUZZ_SECONDS=$(if $(filter command line environment,$(origin FUZZ_SECONDS)),$(FUZZ_SECONDS),600)

fuzz-seeds:
	cd src-tauri/core && for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_DIR)/min/$$t && mkdir -p $(FUZZ_DIR)/min/$$t && \
	  cp -n $(FUZZ_DIR)/corpus/$$t/* $(FUZZ_DIR)/seeds/$$t/* $(FUZZ_DIR)/min/$$t/ 2>/dev/null; \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz cmin -O --target-dir $(FUZZ_DIR)/target $$t $(FUZZ_DIR)/min/$$t \
	    -- -rss_limit_mb=2048 -use_counters=0 -use_value_profile=0 2>&1 | tail -1 && \
	  tar czf fuzz/seeds/$$t.tar.gz --sort=name --mtime='2026-01-01 00:00Z' --owner=0 --group=0 \
	    --numeric-owner -C $(FUZZ_DIR)/min/$$t . ; \
	done

# Rounds of kill -9 during imports, backups, exports and restores (30 run in make test).
ROUNDS ?= 500
crash:
	KITH_CRASH_ROUNDS=$(ROUNDS) $(CARGO) test -p kith --test crash -- --nocapture

test-core:
	$(CARGO) test -p kith-core

# Sync against real CardDAV servers (Radicale and Xandikos, installed by deps).
test-sync:
	$(CARGO) test -p kith-sync

lint: fmt-check clippy ui-check

fmt-check:
	$(CARGO) fmt --all -- --check

# The app's crate embeds the built UI, so clippy needs it built.
clippy: ui
	$(CARGO) clippy --workspace --all-targets -- -D warnings

# svelte-check and the Vitest component tests (the npm packages come with deps).
ui-check: deps
	cd ui && npm run --silent check && npm run --silent test

test-app: ui
	$(CARGO) test -p kith

# The TypeScript bindings are generated by the Rust tests above; fail if they drifted.
bindings:
	@git diff --exit-code --stat -- ui/src/lib/bindings || \
	  { echo "ui/src/lib/bindings is out of date: commit the regenerated files"; exit 1; }
	@test -z "$$(git ls-files --others --exclude-standard ui/src/lib/bindings)" || \
	  { echo "new bindings are not committed:"; git ls-files --others --exclude-standard ui/src/lib/bindings; exit 1; }
	@# Two Rust types exported under one name would overwrite each other's file.
	@dups=$$(grep -rh -A3 '#\[ts(export)\]' src-tauri --include=*.rs | \
	  grep -oE 'pub (struct|enum) [A-Za-z0-9_]+' | awk '{print $$3}' | sort | uniq -d); \
	  test -z "$$dups" || { echo "types exported to TypeScript under the same name: $$dups"; exit 1; }

test-e2e: ui
	$(CARGO) build -p kith
	timeout 20m $(CARGO) test -p kith-e2e -- $(E2E_THREADS)

fmt:
	$(CARGO) fmt --all

# The desktop entry and the AppStream metainfo the packages carry, checked by the desktop's
# own validators.
packaging:
	desktop-file-validate src-tauri/packaging/Kith.desktop
	appstreamcli validate --no-net src-tauri/packaging/app.kith.Kith.metainfo.xml

deb: ui
	ui/node_modules/.bin/tauri build --bundles deb
	@deb=$$(ls -t $(TARGET_DIR)/release/bundle/deb/*.deb | head -1); \
	  echo "built $$deb"; dpkg-deb -c "$$deb" | grep -E 'usr/bin/kith|\.desktop|icons/hicolor' && \
	  depends=$$(dpkg-deb -f "$$deb" Depends) && echo "Depends: $$depends" && \
	  echo "$$depends" | grep -q appindicator3-1

# The Fedora package, with the same desktop entry and metainfo.
rpm: ui
	ui/node_modules/.bin/tauri build --bundles rpm
	@ls -t $(TARGET_DIR)/release/bundle/rpm/*.rpm | head -1

# The .deb installed, started and removed as a user would (a release build: minutes, so not
# part of make test).
test-package: deb
	TARGET_DIR=$(TARGET_DIR) scripts/test-package.sh

# The same install, start and removal on a debug build of the package (make test: it reuses
# the test build's crates, where a release build would take many minutes here).
test-package-debug: ui
	ui/node_modules/.bin/tauri build --debug --bundles deb > $(TARGET_DIR)/tauri-build-debug.log 2>&1 || \
	  { tail -n 40 $(TARGET_DIR)/tauri-build-debug.log; exit 1; }
	TARGET_DIR=$(TARGET_DIR) PROFILE=debug scripts/test-package.sh

# Figures, never gates: the core on a generated 100,000 / 1,000,000 network (also written to
# target/kith-bench.json), then the app's memory and CPU at idle.
bench: ui
	$(CARGO) bench -p kith-core --bench network
	$(CARGO) bench -p kith-sync --bench sync
	$(CARGO) build --release -p kith
	bash scripts/idle-footprint.sh $(TARGET_DIR)/release/kith window 8 60
	bash scripts/idle-footprint.sh $(TARGET_DIR)/release/kith tray 8 60

# Search as you type alone: the new order beside the old and raw FTS5, and the count of
# matches. KITH_BENCH_KEEP=<file> on a first run keeps the network; KITH_BENCH_REUSE=<file>
# measures it again in a minute instead of generating it.
bench-search:
	KITH_BENCH_ONLY=search $(CARGO) bench -p kith-core --bench network

clean:
	$(CARGO) clean
	rm -rf ui/dist
