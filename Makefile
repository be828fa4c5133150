# SPDX-License-Identifier: MIT
# Short names for the README's commands.  The real build is CMake + Ninja.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECS  ?= 20
DB         ?= demo.db
SMSPROV    := $(BUILD)/smsprov

.PHONY: all deps build run test unit fuzz-smoke bench clean

all: build

deps:
	bash scripts/install-deps.sh

build:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	ninja -C $(BUILD)

# Build, create the demo database and run the README's sample queries.
run: deps build
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(SMSPROV) demo --db $(DB)
	$(SMSPROV) --db $(DB) query "SELECT ArticleID, LocalizedDisplayName FROM SMS_SoftwareUpdate WHERE IsExpired = 0 AND IsSuperseded = 0 ORDER BY DatePosted DESC"
	$(SMSPROV) --db $(DB) get "SMS_SoftwareUpdate.CI_ID=16777220"
	$(BUILD)/mkwinimage $(BUILD)/demo-install.wim --index "Windows 11 Enterprise:Enterprise:Client:22631.2861:amd64:KB5032190" --index "Windows 11 Pro:Professional:Client:22631.2861:amd64:"
	PKG=$$($(SMSPROV) --db $(DB) image add $(BUILD)/demo-install.wim) && \
	$(SMSPROV) --db $(DB) image properties $$PKG && \
	$(SMSPROV) --db $(DB) image scan $$PKG && \
	$(SMSPROV) --db $(DB) query "SELECT ImageIndex, UpdateID, UpdateStatus, UpdateTitle FROM SMS_ImageUpdateStatus WHERE ImagePackageID = '$$PKG' AND UpdateStatus = 3"

# Unit, end-to-end and fuzz-replay tests under ASan+UBSan, a short
# libFuzzer run of every fuzz target, and the optimised gcc build `make run`
# uses (-O2 warnings such as format-truncation only show there).
test: deps unit fuzz-smoke build

unit:
	cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSMSPROV_SANITIZE=ON -DSMSPROV_DEBUG_ARENA=ON >/dev/null
	ninja -C $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j2

fuzz-smoke:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSMSPROV_FUZZ=ON >/dev/null
	ninja -C $(FUZZ_BUILD)
	bash scripts/fuzz-smoke.sh $(FUZZ_BUILD) $(FUZZ_SECS)

bench: build
	bench/query-bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) build-bench
