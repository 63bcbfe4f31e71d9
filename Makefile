# The two commands: `make run` and `make test`. Everything else is a step of those.
BUILD ?= build
DB ?= sqlite:var/ihos.db
LISTEN ?= 127.0.0.1:8080
# The team's shared data sits beside the repository (../shared); a clone elsewhere on this
# workplace's machines finds it at /work/shared. Tests that need the triage model read it from here.
TRIAGE_DATA ?= $(firstword $(wildcard ../shared/data/triage /work/shared/data/triage) ../shared/data/triage)
export IHOS_TRIAGE_DATA ?= $(abspath $(TRIAGE_DATA))
TRIAGE_MODEL ?= var/triage.bin
# ICD-10 catalogue (issue #4): its rows are never committed (licence unstated); `make run` loads
# them from the shared data, and the tests read the file named by IHOS_ICD10_FILE.
ICD10_DATA ?= $(firstword $(wildcard ../shared/data/icd10_cn /work/shared/data/icd10_cn) ../shared/data/icd10_cn)
export IHOS_ICD10_FILE ?= $(abspath $(ICD10_DATA))/icd10_beijing_clinical_v601.csv
# Drug catalogue: the NRDL, controlled-drug and interaction lists are loaded from the shared data
# at run time (`ihos drugs import`), like the ICD-10 catalogue; the tests read IHOS_DRUG_DATA.
DRUG_DATA ?= $(firstword $(wildcard ../shared/data/drugs_nrdl /work/shared/data/drugs_nrdl) ../shared/data/drugs_nrdl)
export IHOS_DRUG_DATA ?= $(abspath $(DRUG_DATA)/..)
WEB_SOURCES := $(shell find web/src web/public -type f 2>/dev/null) web/index.html web/vite.config.ts \
               web/tsconfig.json package.json package-lock.json

.PHONY: all deps build build-run cpp cpp-run web data run train test test-cpp test-cpp-fuzz fuzz-build test-e2e test-fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja: CMakeLists.txt $(wildcard cmake/*.cmake)
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

# `make run` needs the server and the CLI (imports, seed-demo, model training), nothing else:
# no test suite, no benchmark (docs/adr/0003-build-targets.md). `make test` builds every target.
RUN_TARGETS := ihosd ihos

cpp-run: $(BUILD)/build.ninja
	ninja -C $(BUILD) $(RUN_TARGETS)

cpp: $(BUILD)/build.ninja
	ninja -C $(BUILD)

web/dist/index.html: $(WEB_SOURCES)
	npm run build
	@touch $@

web: web/dist/index.html

# The web build (one core, about 40 s) runs beside ninja: it fills the cores while ninja links.
build: deps
	@$(MAKE) --no-print-directory -j2 cpp web

build-run: deps
	@$(MAKE) --no-print-directory -j2 cpp-run web

# triage (AI self-check): the model is never shipped (unlicensed data); built once into var/ when
# the data is beside us, then reused (delete var/triage.bin to retrain). The model is a pair of files,
# var/triage.bin (fastText) and var/triage.bin.linear (the linear model mixed in); a model from
# before the pair is retrained.
train:
	@mkdir -p var
	@if { [ ! -f $(TRIAGE_MODEL) ] || [ ! -f $(TRIAGE_MODEL).linear ]; } && [ -f $(TRIAGE_DATA)/haodf_xf2022_train.csv ]; then \
	  $(BUILD)/ihos triage train --data $(TRIAGE_DATA) --with-age --out $(TRIAGE_MODEL); \
	elif [ ! -f $(TRIAGE_MODEL) ]; then \
	  echo "no triage data at $(TRIAGE_DATA): the self-check runs on red-flag rules only"; fi

# The catalogues and the labelled demo data (演示数据), all idempotent.
data:
	@mkdir -p var
	@# drug catalogue first: the demo formulary is made from it
	@if [ -f $(IHOS_DRUG_DATA)/drugs_nrdl/nrdl_2024_drug_list.csv ]; then $(BUILD)/ihos --db $(DB) drugs import --data $(IHOS_DRUG_DATA); \
	else echo "no drug data at $(IHOS_DRUG_DATA): the formulary is empty"; fi
	@# ICD-10 catalogue: loaded from the shared data when it is beside us (before the demo, whose record has a diagnosis)
	@if [ -f $(IHOS_ICD10_FILE) ]; then $(BUILD)/ihos --db $(DB) icd10 import --file $(IHOS_ICD10_FILE); \
	else echo "no ICD-10 data at $(IHOS_ICD10_FILE): the diagnosis search is empty"; fi
	@$(BUILD)/ihos --db $(DB) seed-demo

# Start ihosd on a SQLite file with labelled demo data. The model training (one core) runs beside
# the imports and the seeding (the other): they share no file.
run: build-run
	@$(MAKE) --no-print-directory -j2 data train
	@echo
	@echo "ihos is starting at http://$(LISTEN)/   (Ctrl-C stops it)"
	@echo
	exec $(BUILD)/ihosd --db $(DB) --listen $(LISTEN) --web-root web/dist --triage-model $(TRIAGE_MODEL)

# Unit, store and API tests on SQLite and on a private PostgreSQL server, browser tests, and the
# short fuzz run (FUZZ_SECONDS per target, its own clang build in build-fuzz: fuzz/README.md). Everything
# is built once, first; the suites then only run. They mostly wait — on servers, browsers, sockets
# and PostgreSQL (ctest used 1.7 min of CPU in 5.7 min, the browser tests 6 min of CPU in
# 16.7 min) — so they run side by side: ctest and the fuzz run beside the browser tests, two
# browser test files at a time. Their output interleaves line by line (held back per suite, a hang
# would show nothing until CI's time limit).
# The fuzz targets' clang build (about 1 min 50 s of CPU) is part of the build, at normal priority:
# built beside ctest at nice 10 (until stop 34) it got almost no CPU while the browser tests ran,
# ended only with them, and its run was then CI's last 2–3 minutes (a cold clean clone: browser
# tests done at 19 min 28 s, the fuzz run at 21 min 40 s).
test: deps
	@$(MAKE) --no-print-directory -j2 cpp web fuzz-build
	@$(MAKE) --no-print-directory -j2 test-e2e test-cpp-fuzz

# The fuzz run beside ctest (which mostly waits), at nice 10, meant to leave the cores to the
# browser tests (alone they keep both busy: an idle run, 14.8 min, 2 % idle; they end CI) while the
# run, bounded by time (FUZZ_SECONDS a target), takes what is left. FUZZ_NICE= (empty) runs it at
# normal priority.
FUZZ_NICE ?= nice -n 10
test-cpp-fuzz:
	@$(MAKE) --no-print-directory -j2 test-cpp test-fuzz

fuzz-build:
	@mkdir -p build-fuzz; FUZZ_BUILD_ONLY=1 scripts/fuzz.sh > build-fuzz/build.log 2>&1 || { cat build-fuzz/build.log; exit 1; }

test-cpp:
	scripts/with-postgres.sh ctest --test-dir $(BUILD) -j4 --output-on-failure --timeout 300

test-e2e:
	IHOS_BUILD_DIR=$(BUILD) npm run test:e2e

# libFuzzer targets, two at a time (FUZZ_PARALLEL), each for FUZZ_SECONDS; the summary prints at the
# end. 40 s (60 s until stop 33): the run is bounded by the clock, not by CPU. Each run starts from
# the committed corpora (fuzz/corpus); the stale invariant a CI run once caught failed on a
# token-less auth frame, found in the first seconds. One target after another (until stop 34), the
# run kept one core idle for its last minutes once the browser tests were done (a cold clean clone:
# browser tests done at 20 min 11 s, the fuzz run at 22 min 50 s); now it starts with ctest and ends
# minutes before the browser tests.
FUZZ_SECONDS ?= 40
FUZZ_PARALLEL ?= 2
test-fuzz:
	@mkdir -p build-fuzz; FUZZ_PARALLEL=$(FUZZ_PARALLEL) $(FUZZ_NICE) scripts/fuzz.sh $(FUZZ_SECONDS) > build-fuzz/test-fuzz.log 2>&1; rc=$$?; \
	  cat build-fuzz/test-fuzz.log; exit $$rc

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) build-fuzz web/dist
