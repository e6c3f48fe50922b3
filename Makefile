# dipkg: plain make.  `make run` and `make check` install what is missing
# (scripts/deps.sh: `make run` what building and running needs, `make
# check` and `make bench` their own tools besides), build, and run.  See
# README.md.

CC ?= cc
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wwrite-strings -Wformat=2 -Wcast-qual -Wvla -Wpedantic \
            -Wconversion -Wsign-conversion
ifeq ($(CI),true)
WARNINGS += -Werror
endif
PKGS := redland raptor2 rasqal yaml-0.1 sqlite3 zlib jansson libmicrohttpd libcurl
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

# Installation directories (`make install`, below).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
INSTALL ?= install
VERSION := $(shell sed -n 's/^\#define DIPKG_VERSION "\(.*\)"/\1/p' include/dipkg.h)
SOMAJOR := $(firstword $(subst ., ,$(VERSION)))
SONAME := libdipkg.so.$(SOMAJOR)
SHLIB := $(BUILD)/libdipkg.so.$(VERSION)
PIC_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/pic/%.o)
PC := $(BUILD)/dipkg.pc
SYMBOLS := $(BUILD)/dipkg.map
MANPAGES := $(sort $(wildcard man/*.1))
ONTOLOGY_FILES := $(sort $(wildcard ontology/*.ttl))
DIPKG_DATADIR := $(DATADIR)/dipkg

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

.PHONY: all deps deps-check run check test-bins clean asan valgrind format export \
	fuzz fuzz-replay asan-replay faults fault-sweep bench bench-query lint \
	install uninstall libs FORCE format-check \
	check-jsonld check-serve-clients bench-serve conformance crosscheck

all: $(EXE)

deps:
	@scripts/deps.sh

# What the test suites need besides (Check, the independent parsers, ...).
deps-check:
	@scripts/deps.sh check

$(BUILD)/obj/%.o: src/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The front end uses only the public header.
$(BUILD)/obj/cli/%.o: src/cli/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) -D_GNU_SOURCE -Iinclude $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c | deps deps-check
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
test-bins: deps-check $(TEST_BINS) $(EXE) $(GEN) $(SHLIB) $(PC)

$(BUILD)/fuzz/replay_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o \
		$(BUILD)/obj/tests/fuzz/replay.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

# The corpus generator of the benchmarks (tests/bench/gen.c: libc only).
$(GEN): tests/bench/gen.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 $(WARNINGS) -Wpedantic -Wconversion $(CFLAGS) -o $@ $<

# ------------------------------------------------------------- install
# `make install PREFIX=... DESTDIR=...` and `make uninstall`: the tool, the
# ontology (share/dipkg/ontology, found relative to the installed binary,
# and by programs linked with the library through DIPKG_DATADIR, compiled
# into world.o), the public header, libdipkg.a and libdipkg.so (soname
# libdipkg.so.$(SOMAJOR), exporting only the functions of dipkg.h), dipkg.pc,
# man pages and bash completion.  The tool links the static library.

# world.o (the data directory) and dipkg.pc hold installation directories:
# remade when one changes (the stamp is rewritten only then).
DIRS_STAMP := $(BUILD)/dirs.stamp
INSTALL_DIRS := $(PREFIX) $(LIBDIR) $(INCLUDEDIR) $(DIPKG_DATADIR)
$(DIRS_STAMP): FORCE
	@mkdir -p $(dir $@)
	@echo '$(INSTALL_DIRS)' | cmp -s - $@ || echo '$(INSTALL_DIRS)' > $@
$(BUILD)/obj/world.o $(BUILD)/pic/world.o: $(DIRS_STAMP)
$(BUILD)/obj/world.o $(BUILD)/pic/world.o: \
  ALL_CPPFLAGS += -DDIPKG_DATADIR='"$(DIPKG_DATADIR)"'
FORCE:

# Position-independent objects for the shared library, in their own
# directory.
$(BUILD)/pic/%.o: src/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

# The exported symbols: every function declared in dipkg.h (comments
# skipped), and the rasqal functions src/rasqal_fix.c replaces (they must
# be visible to librasqal); everything else stays local.
$(SYMBOLS): include/dipkg.h src/rasqal_fix.c
	@mkdir -p $(dir $@)
	{ echo '{ global:'; \
	  sed -e '/^ *\/\//d' -e '/^ *\*/d' -e '/^\/\*/d' $< | \
	    grep -o '\bdipkg_[a-z0-9_]*(' | tr -d '(' | sort -u | sed 's/$$/;/'; \
	  sed -n 's/^\(rasqal_[a-z0-9_]*\)(.*/\1;/p' src/rasqal_fix.c | sort -u; \
	  echo 'local: *; };'; } > $@

$(SHLIB): $(PIC_OBJS) $(SYMBOLS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
	  -Wl,--version-script,$(SYMBOLS) -o $@ $(PIC_OBJS) $(PKG_LIBS) -lpthread

# Libs.private names the libraries themselves, not their .pc files: with
# Requires.private, `pkg-config --static` would ask for their own private
# libraries (libmhash, ...), which a static link of libdipkg.a alone does
# not need.
$(PC): Makefile include/dipkg.h $(DIRS_STAMP)
	@mkdir -p $(dir $@)
	printf '%s\n' 'prefix=$(PREFIX)' \
	  'libdir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(LIBDIR))' \
	  'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))' \
	  'datadir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(DIPKG_DATADIR))' '' \
	  'Name: dipkg' \
	  'Description: curated facts about diplomatic events to RDF, and SPARQL over them' \
	  'Version: $(VERSION)' \
	  'Libs: -L$${libdir} -ldipkg' 'Libs.private: $(PKG_LIBS) -lpthread' \
	  'Cflags: -I$${includedir}' > $@

libs: $(LIB) $(SHLIB) $(PC)

install: $(EXE) $(LIB) $(SHLIB) $(PC)
	$(INSTALL) -d '$(DESTDIR)$(BINDIR)' '$(DESTDIR)$(LIBDIR)' \
	  '$(DESTDIR)$(PKGCONFIGDIR)' '$(DESTDIR)$(INCLUDEDIR)' \
	  '$(DESTDIR)$(DIPKG_DATADIR)/ontology' '$(DESTDIR)$(MANDIR)/man1' \
	  '$(DESTDIR)$(BASHCOMPDIR)'
	$(INSTALL) -m 755 $(EXE) '$(DESTDIR)$(BINDIR)/dipkg'
	$(INSTALL) -m 644 $(ONTOLOGY_FILES) '$(DESTDIR)$(DIPKG_DATADIR)/ontology'
	$(INSTALL) -m 644 include/dipkg.h '$(DESTDIR)$(INCLUDEDIR)'
	$(INSTALL) -m 644 $(LIB) '$(DESTDIR)$(LIBDIR)'
	$(INSTALL) -m 755 $(SHLIB) '$(DESTDIR)$(LIBDIR)'
	ln -sf $(notdir $(SHLIB)) '$(DESTDIR)$(LIBDIR)/$(SONAME)'
	ln -sf $(SONAME) '$(DESTDIR)$(LIBDIR)/libdipkg.so'
	$(INSTALL) -m 644 $(PC) '$(DESTDIR)$(PKGCONFIGDIR)'
	$(INSTALL) -m 644 $(MANPAGES) '$(DESTDIR)$(MANDIR)/man1'
	$(INSTALL) -m 644 completion/dipkg.bash '$(DESTDIR)$(BASHCOMPDIR)/dipkg'

# Removes what install wrote, and the directories of dipkg's own.
uninstall:
	rm -f '$(DESTDIR)$(BINDIR)/dipkg' '$(DESTDIR)$(INCLUDEDIR)/dipkg.h' \
	  '$(DESTDIR)$(LIBDIR)/libdipkg.a' '$(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB))' \
	  '$(DESTDIR)$(LIBDIR)/$(SONAME)' '$(DESTDIR)$(LIBDIR)/libdipkg.so' \
	  '$(DESTDIR)$(PKGCONFIGDIR)/dipkg.pc' '$(DESTDIR)$(BASHCOMPDIR)/dipkg' \
	  $(MANPAGES:man/%='$(DESTDIR)$(MANDIR)/man1/%') \
	  $(ONTOLOGY_FILES:ontology/%='$(DESTDIR)$(DIPKG_DATADIR)/ontology/%')
	-rmdir '$(DESTDIR)$(DIPKG_DATADIR)/ontology' '$(DESTDIR)$(DIPKG_DATADIR)' \
	  2>/dev/null

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

# JSON-LD checked by an independent processor (the npm jsonld package,
# installed into tests/jsonld): each export expands to its N-Triples graph.
check-jsonld: $(EXE)
	cd tests/jsonld && npm install --no-audit --no-fund --silent
	DIPKG_EXE=./$(EXE) scripts/check-jsonld.sh

# dipkg serve and clients no one here wrote: curl, SPARQLWrapper (the
# pack, same answers as dipkg query), headless Chromium (screenshots in
# docs/img/).
check-serve-clients: $(EXE)
	@scripts/deps.sh serve
	cd tests/jsonld && npm install --no-audit --no-fund --silent
	DIPKG_EXE=./$(EXE) scripts/check-serve-clients.sh

# wrk on loopback against a page and /sparql (not a timed test).
bench-serve: $(EXE)
	@scripts/deps.sh serve bench-serve
	DIPKG_EXE=./$(EXE) scripts/bench-serve.sh

# dipkg's graph in real triple stores (not a timed test): push to a private
# Virtuoso, its bulk loader, the query pack on Virtuoso, bdb and Oxigraph,
# the embedded stores' sizes; writes docs/benchmarks-stores.md.
# BENCH_STORES_ARTICLES (default 10000): see scripts/bench-stores.sh.
.PHONY: bench-stores
bench-stores: $(EXE) $(GEN)
	@scripts/deps.sh stores
	BENCH_GEN=$(GEN) scripts/bench-stores.sh

# The W3C SPARQL 1.0 and 1.1 query suites against ./dipkg query
# (tests/w3c/run.py on Debian's python3-rdflib), 2 at a time, each with a
# timeout; writes docs/conformance.md (or CONFORMANCE_OUT: .ci/run writes
# build/conformance.md) and fails on any WRONG answer.  The suites are
# looked for beside the repository (../shared/rdf-tests/sparql) unless
# W3C_SUITES names them; without them the target fails.
W3C_SUITES ?= ../shared/rdf-tests/sparql
CONFORMANCE_OUT ?= docs/conformance.md
conformance: $(EXE)
	@scripts/deps.sh conformance
	@mkdir -p $(dir $(CONFORMANCE_OUT))
	/usr/bin/python3 tests/w3c/run.py --suites $(W3C_SUITES) --exe ./$(EXE) \
	  --jobs 2 --timeout 30 --out $(CONFORMANCE_OUT)

# Differential test of dipkg query against Oxigraph (tests/crosscheck: Node
# and the oxigraph npm package, installed there): CROSSCHECK_CASES random
# queries over synthetic data, the seed corpus, a generated corpus and the
# W3C data files, with seed 1, then as many with a seed that changes every
# day (printed; CROSSCHECK_SEED=N replays it).  Fails on any difference
# tests/crosscheck/README.md does not explain.
CROSSCHECK_CASES ?= 2000
CROSSCHECK_SEED ?= $(shell date -u +%Y%m%d)
crosscheck: $(EXE) $(GEN)
	@scripts/deps.sh crosscheck
	cd tests/crosscheck && { test -d node_modules/oxigraph || \
	  npm install --no-audit --no-fund --loglevel=error; }
	cd tests/crosscheck && node --no-opt crosscheck.mjs --quiet --seed 1 \
	  --cases $(CROSSCHECK_CASES) --minimize 20 --w3c $(abspath $(W3C_SUITES))
	@echo "crosscheck: rotating seed $(CROSSCHECK_SEED) (make crosscheck CROSSCHECK_SEED=$(CROSSCHECK_SEED) replays it)"
	cd tests/crosscheck && node --no-opt crosscheck.mjs --quiet --seed $(CROSSCHECK_SEED) \
	  --cases $(CROSSCHECK_CASES) --minimize 20 --w3c $(abspath $(W3C_SUITES))

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
	@scripts/deps.sh model
	@scripts/deps.sh stores
	@failed=0; \
	for t in $(TEST_BINS); do \
	  echo "== $$t"; \
	  DIPKG_EXE=$(EXE) DIPKG_GEN=$(GEN) DIPKG_CC="$(CC)" DIPKG_CFLAGS="$(CFLAGS)" \
	  DIPKG_LDFLAGS="$(LDFLAGS)" $(TEST_RUNNER) $$t || failed=$$((failed + 1)); \
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

# The sources clang-format (.clang-format) keeps: `make format` rewrites
# them, `make format-check` (run by .ci/run) fails when one differs.
FORMAT_SRCS := $(wildcard include/*.h src/*.c src/*.h src/cli/*.c src/cli/*.h \
  tests/*.c tests/*.h)
format:
	clang-format -i $(FORMAT_SRCS)

format-check:
	@scripts/deps.sh format
	clang-format --dry-run -Werror $(FORMAT_SRCS)

clean:
	rm -rf build build-asan build-fuzz dipkg

-include $(LIB_OBJS:.o=.d) $(PIC_OBJS:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_SRCS:tests/%.c=$(BUILD)/obj/tests/%.d) \
  $(wildcard $(BUILD)/obj/tests/fuzz/*.d)
