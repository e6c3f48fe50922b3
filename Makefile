# dipkg: plain make.  `make run` and `make check` install what is missing
# (scripts/deps.sh), build, and run.  See README.md.

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wwrite-strings -Wformat=2 -Wcast-qual -Wvla
ifeq ($(CI),true)
WARNINGS += -Werror
endif
PKGS := redland raptor2 rasqal yaml-0.1 sqlite3
# Recursive (=) so that pkg-config runs after `deps` has installed things.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
CHECK_LIBS = $(shell pkg-config --libs check)
ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) $(EXTRA_CFLAGS) -pthread $(PKG_CFLAGS)
ALL_CPPFLAGS = -D_GNU_SOURCE -Iinclude -Isrc $(CPPFLAGS)

# BUILD selects the build directory, so sanitizer builds do not mix with
# the normal one.
BUILD ?= build
LIB_SRCS := $(sort $(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libdipkg.a
CLI_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(sort $(wildcard src/cli/*.c)))
TEST_SRCS := $(sort $(wildcard tests/check_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_UTIL := $(BUILD)/obj/tests/testutil.o
ifeq ($(BUILD),build)
EXE := dipkg
else
EXE := $(BUILD)/dipkg
endif

CORPUS := facts
OUTPUTS := out/corpus.ttl out/corpus.nt out/corpus.nq

# Fuzz targets (tests/fuzz): libFuzzer binaries for `make fuzz`, and
# replay binaries that run saved inputs in `make check`.
FUZZ_TARGETS := facts date iri sparql
FUZZ_SECONDS ?= 60
FUZZ_REPLAYS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
# The inputs each replay runs: the seed corpus, every input that once broke
# the target (regress/), and for the facts target the data cases.
FUZZ_INPUTS_facts := tests/data/good tests/data/bad
# Sanitizer settings shared by `make asan`, the replays and `make fuzz`.
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:suppressions=$(CURDIR)/tests/asan.supp \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The sanitizer build (build-asan), which also has the allocation-failure
# hook (src/memory.c; inert unless a test arms it).
ASAN_MAKE = $(SAN_ENV) $(MAKE) --no-print-directory BUILD=build-asan CC=gcc \
	CFLAGS="-O1 -g $(SAN_FLAGS)" EXTRA_CFLAGS=-DDIPKG_FAULT_INJECTION \
	LDFLAGS="-fsanitize=address,undefined"
FAULT_SWEEP := $(BUILD)/tests/fault/check_faults

.PHONY: conformance
.PHONY: all deps run check test-bins clean asan valgrind format export \
	fuzz fuzz-replay asan-replay faults fault-sweep bench bench-query lint

all: $(EXE)

deps:
	@scripts/deps.sh

$(BUILD)/obj/%.o: src/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The front end uses only the public header.
$(BUILD)/obj/cli/%.o: src/cli/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(EXE): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TEST_UTIL) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CHECK_LIBS) -lpthread

# (GEN before the rules that name it: prerequisites expand when read.)
GEN := $(BUILD)/bench/gen
test-bins: $(TEST_BINS) $(EXE) $(GEN)

$(BUILD)/fuzz/replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o \
		$(BUILD)/obj/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

# The corpus generator of the benchmarks (tests/bench/gen.c: libc only).
$(GEN): tests/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARNINGS) -Wpedantic -Wconversion $(CFLAGS) -o $@ $<

# Benchmarks (scripts/bench.sh): figures side by side with the reference
# tools, written to docs/benchmarks.md.  BENCH_SIZES: article counts.
BENCH_SIZES ?= 1000 10000 100000
bench: $(EXE) $(GEN)
	@scripts/deps.sh bench
	BENCH_SIZES="$(BENCH_SIZES)" scripts/bench.sh all

# The query side: stores of 10k and 100k articles, the pack's latencies
# beside roqet and rdfproc on the same data.
BENCH_QUERY_SIZES ?= 10000 100000
bench-query: $(EXE) $(GEN)
	@scripts/deps.sh bench
	BENCH_SIZES="$(BENCH_QUERY_SIZES)" scripts/bench.sh query

# The W3C SPARQL 1.0 and 1.1 query suites against ./dipkg query
# (tests/w3c/run.py on Debian's python3-rdflib), 2 at a time, each with a
# timeout; writes docs/conformance.md and fails on any WRONG answer.  The
# suites are looked for beside the repository (../shared/rdf-tests/sparql)
# unless W3C_SUITES names them.
W3C_SUITES ?= ../shared/rdf-tests/sparql
conformance: $(EXE)
	@scripts/deps.sh conformance
	/usr/bin/python3 tests/w3c/run.py --suites $(W3C_SUITES) --exe ./$(EXE) \
	  --jobs 2 --timeout 30 --out docs/conformance.md

# Replays the saved fuzz inputs through each target (in this build).
fuzz-replay: $(FUZZ_REPLAYS)
	$(foreach t,$(FUZZ_TARGETS),$(BUILD)/fuzz/replay_$(t) tests/fuzz/corpus/$(t) \
	  tests/fuzz/regress/$(t) $(FUZZ_INPUTS_$(t)) &&) true

# The same under AddressSanitizer and UBSan (the build-asan build).
asan-replay:
	$(ASAN_MAKE) fuzz-replay

# Allocation-failure injection (tests/fault/check_faults.c): every
# allocation of each workload failed in turn, under the sanitizers.
faults:
	$(ASAN_MAKE) fault-sweep

fault-sweep: $(FAULT_SWEEP) $(EXE)
	$(FAULT_SWEEP)

# Every suite runs, each prints its Check summary; the target fails if any
# suite failed.  Suites find the tool and data relative to the repository.
check: test-bins
	@failed=0; \
	for t in $(TEST_BINS); do \
	  echo "== $$t"; \
	  DIPKG_EXE=$(EXE) DIPKG_GEN=$(GEN) $(TEST_RUNNER) $$t || failed=$$((failed + 1)); \
	done; \
	echo "== fuzz inputs, replayed under AddressSanitizer"; \
	$(MAKE) --no-print-directory asan-replay || failed=$$((failed + 1)); \
	if [ $$failed -ne 0 ]; then echo "$$failed suite(s) failed"; exit 1; fi; \
	echo "all suites passed"

# Exports the shipped corpus to out/ and shows what it holds.
run: $(EXE)
	@mkdir -p out
	./$(EXE) export -q -o out/corpus.ttl $(CORPUS)
	./$(EXE) export -q -o out/corpus.nt $(CORPUS)
	./$(EXE) export -q -o out/corpus.nq $(CORPUS)
	@echo "wrote $(OUTPUTS)"
	./$(EXE) stats $(CORPUS)
	@echo
	@echo "queries/02-reversed-measures.rq: measures that were later reversed"
	./$(EXE) query -f table queries/02-reversed-measures.rq out/corpus.nq

# AddressSanitizer + UndefinedBehaviorSanitizer build of everything, then
# the whole suite.
asan:
	$(ASAN_MAKE) check fault-sweep

# libFuzzer over each target for FUZZ_SECONDS (clang, installed if
# missing).  The growing corpus stays in build-fuzz/corpus; an input that
# breaks a target is saved in tests/fuzz/regress/TARGET/: fix the bug, and
# commit the input so that `make check` replays it from then on.
fuzz:
	@scripts/deps.sh fuzz
	$(MAKE) BUILD=build-fuzz CC=clang \
	  CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(SAN_FLAGS)" \
	  $(FUZZ_TARGETS:%=build-fuzz/obj/tests/fuzz/fuzz_%.o) build-fuzz/libdipkg.a
	@for t in $(FUZZ_TARGETS); do \
	  clang -fsanitize=fuzzer $(SAN_FLAGS) -o build-fuzz/fuzz_$$t \
	    build-fuzz/obj/tests/fuzz/fuzz_$$t.o build-fuzz/libdipkg.a \
	    $(PKG_LIBS) -lpthread || exit 1; \
	done
	$(foreach t,$(FUZZ_TARGETS),$(SAN_ENV) scripts/fuzz.sh $(t) $(FUZZ_SECONDS) \
	  $(FUZZ_INPUTS_$(t)) &&) true

# The suite under valgrind memcheck (no forking, so leaks are seen; queries
# run in the test process instead of a child).  Definite leaks fail it:
# an indirect leak hangs off a definite one, which is reported (or, for the
# libraries' own, suppressed with its reason in tests/valgrind.supp).
valgrind: test-bins
	@scripts/deps.sh valgrind
	$(MAKE) check TEST_RUNNER="env CK_FORK=no DIPKG_QUERY_IN_PROCESS=1 \
	  valgrind -q --error-exitcode=99 --num-callers=40 \
	  --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
	  --suppressions=tests/valgrind.supp"

# Static analysis: cppcheck and clang-tidy (.clang-tidy) over the library
# and the command line, zero findings; suppressions are justified where they
# stand (cppcheck-suppress comments) or in .clang-tidy.
LINT_SRCS := $(wildcard src/*.c src/cli/*.c)
lint:
	@scripts/deps.sh lint
	cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 \
	  --enable=warning,style,performance,portability \
	  --suppress=missingIncludeSystem -Iinclude -Isrc src src/cli
	clang-tidy --quiet $(LINT_SRCS) -- -std=c11 -D_GNU_SOURCE -Iinclude -Isrc \
	  $(PKG_CFLAGS)

format:
	clang-format -i include/*.h src/*.c src/*.h src/cli/*.c src/cli/*.h tests/*.c tests/*.h

clean:
	rm -rf build build-asan build-fuzz dipkg

-include $(LIB_OBJS:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.d) \
  $(wildcard $(BUILD)/obj/tests/fuzz/*.d)
