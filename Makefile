# Relance — make targets. `make run` and `make test` are the two set-up commands:
# both install what they need first (apt and pip packages, idempotent).
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= debug
BIN = .build/$(CONFIG)
DEMO_AS_OF := $(shell cat fixtures/demo/AS_OF 2>/dev/null)

APT_PACKAGES = libxml2-dev libarchive-dev libsqlite3-dev sqlite3 libpoppler-glib-dev libpango1.0-dev libcairo2-dev libxlsxwriter-dev \
	fonts-dejavu-core poppler-utils libarchive-tools p7zip-full qpdf unzip
PIP_TEST_PACKAGES = openpyxl
PIP_BENCH_PACKAGES = duckdb lxml pandas

.PHONY: deps deps-apt deps-pip deps-bench build release run test bench bench-reconcile bench-readers bench-remind clean

deps: deps-apt deps-pip

# Installs only what is missing, so a second call costs a dpkg query.
deps-apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

deps-pip:
	@python3 -c "import openpyxl" 2>/dev/null || python3 -m pip install -q $(PIP_TEST_PACKAGES)

# The benchmark peers' packages: each one installed when it does not import.
deps-bench:
	@for p in $(PIP_BENCH_PACKAGES); do python3 -c "import $$p" 2>/dev/null || python3 -m pip install -q $$p || exit 1; done

build: deps
	$(SWIFT) build -c $(CONFIG)

release:
	$(MAKE) build CONFIG=release

# The main job on the demo company: copy its exports into inbox/ and run every stage
# at the demo's as-of date. Results land in outbox/; the store in state/.
run: build
	@mkdir -p inbox outbox state
	cp fixtures/demo/inbox/* inbox/
	@# Exit 65 here means refusals listed in the summary: at the demo's as-of date (2026-H2) the
	@# formal notices are refused because the shipped ECB table stops before 1 July 2026.
	$(BIN)/relance run --home . --config fixtures/demo/relance.yaml --as-of $(DEMO_AS_OF) || [ $$? -eq 65 ]
	@echo "Aged balance: outbox/reports/$(DEMO_AS_OF)/aged-balance.csv"
	@echo "Reminders: outbox/reminders/$(DEMO_AS_OF)/ (manifest.csv lists every message)"

# Every test: unit, golden end-to-end, sample-based (skipped with a message when
# ../shared/samples is absent), and the independent validators they call.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# `make bench`: release build, then Relance against DuckDB on 100k and 1M generated invoice rows.
# Generated data lands in Benchmarks/data/ and logs in Benchmarks/results/ (both git-ignored).
# BENCH_SIZES / BENCH_ARGS override the defaults, e.g.
#   make bench BENCH_SIZES=100000 BENCH_ARGS="--repeat 5"
BENCH_SIZES ?= 100000,1000000
BENCH_ARGS ?=

bench: deps deps-bench bench-readers bench-reconcile bench-remind
	$(SWIFT) build -c release
	python3 Benchmarks/run.py --sizes $(BENCH_SIZES) --bin .build/release $(BENCH_ARGS)

# Reconciliation quality and speed (Benchmarks/reconcile/README.md): for each size in
# RECONCILE_SIZES (invoices; payments are 80 % of that), seeded data with ground truth, then
# `relance-bench-reconcile --store`: ingest into a fresh store, the exact rule, the
# reconciliation stage's store transaction, and precision/recall of what the store holds.
# The 1M size is the speed case (800k payments against 1M invoices).
#   make bench-reconcile RECONCILE_SIZES=100000
RECONCILE_SIZES ?= 100000 1000000

bench-reconcile: deps
	$(SWIFT) build -c release --product relance-bench-reconcile
	@mkdir -p Benchmarks/data Benchmarks/results
	@set -o pipefail; for n in $(RECONCILE_SIZES); do \
	  dir=Benchmarks/data/reconcile-$$n; \
	  [ -f $$dir/truth.csv ] || python3 Benchmarks/reconcile/generate.py --invoices $$n --out $$dir || exit 1; \
	  echo "== reconciliation, $$n invoices"; \
	  .build/release/relance-bench-reconcile $$dir --store $$dir/bench.sqlite | tee Benchmarks/results/reconcile-$$n.txt || exit 1; \
	done
# `make bench-readers`: camt reader against Python lxml (same file, same extraction, ratio of
# CPU-time MB/s in one run) and FEC reader MB/s, file bytes to records. READERS_ARGS overrides,
# e.g. make bench-readers READERS_ARGS="--camt-entries 100000 --fec-lines 200000 --runs 3"
READERS_ARGS ?=

bench-readers: deps deps-bench
	$(SWIFT) build -c release --product relance-bench-reader
	python3 Benchmarks/readers.py --bin .build/release $(READERS_ARGS)

# The reminder stage on the 1M-invoice data (as-of 2026-06-15): a first run on the backlog
# (every customer past a step gets its late-entry reminder: e-mails with PDF statements,
# letters, formal notices), then the same as-of again (nothing new). See Benchmarks/remind/.
REMIND_INVOICES ?= 1000000
bench-remind: deps
	$(SWIFT) build -c release
	python3 Benchmarks/remind/bench.py --invoices $(REMIND_INVOICES) --bin .build/release

clean:
	rm -rf .build state outbox/* inbox/*
	touch inbox/.gitkeep outbox/.gitkeep
