# veriformer — build, test, prove, demo.  See README.md for the two commands.
#
#   make            library (static + shared) and the `veriformer` command
#   make demo       deps, build, every claim's verdict table
#   make test       deps, build, every Criterion suite plain and under ASan+UBSan, proof gate,
#                   proof mutants (the gate must fail on a false lemma / weakened invariant)
#   make prove      re-run Frama-C/WP on every unit (proofs/prove.sh), gate on the JSON reports
#   make prove-cold the same from an empty cache (what an author citing the proofs runs)
#   make prove-mutants  break the proofs three ways in scratch copies; the gate must fail each
#   make install PREFIX=/usr/local
#
# BUILD=dir puts every object elsewhere (parallel work trees); SAN=1 builds with ASan+UBSan.

BUILD  ?= build
PREFIX ?= /usr/local
CC     ?= cc
SAN    ?= 0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
INCDIRS := core ref ref/claims fast fast/isa cli tests
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -fPIC -fopenmp $(WARN) $(addprefix -I,$(INCDIRS))
# OpenMP (libgomp, part of gcc): two threads for large fast-path inputs (fast/vf_par.h).
LDLIBS  := -lmpfi -lmpfr -lgmp -lm -fopenmp
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

# Per-ISA flags of the fast path: each kernel in fast/kernels/ is compiled once per ISA
# against its helper header in fast/isa/ (one source per kernel, DESIGN.md "Fast path").
ISAS            := scalar avx2 avx512
ISAFLAGS_scalar := -DVF_BUILD_SCALAR
ISAFLAGS_avx2   := -DVF_BUILD_AVX2 -mavx2 -mfma
ISAFLAGS_avx512 := -DVF_BUILD_AVX512 -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma
# Proved scalar code and its SIMD siblings must not be contracted into FMAs behind our back.
FAST_CFLAGS     := -ffp-contract=off

LIB_SRCS    := $(wildcard core/*.c ref/*.c ref/claims/*.c fast/*.c)
KERNEL_SRCS := $(wildcard fast/kernels/*.c)
LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/%.o) \
               $(foreach isa,$(ISAS),$(KERNEL_SRCS:%.c=$(BUILD)/%.$(isa).o))
CLI_SRCS    := $(wildcard cli/*.c)
CLI_OBJS    := $(CLI_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS   := $(wildcard tests/test_*.c)
TEST_BINS   := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_COMMON := $(filter-out $(TEST_SRCS),$(wildcard tests/*.c))
TEST_COMMON_OBJS := $(TEST_COMMON:%.c=$(BUILD)/%.o)

LIB_A  := $(BUILD)/libveriformer.a
LIB_SO := $(BUILD)/libveriformer.so
CLI    := $(BUILD)/veriformer

.PHONY: all deps demo test tests-run asan-test prove prove-check prove-cold prove-mutants bench accuracy install clean
all: $(LIB_A) $(LIB_SO) $(CLI)

deps:
	@mk/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/fast/%.o: fast/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(FAST_CFLAGS) -MMD -MP -c $< -o $@

define ISA_RULE
$(BUILD)/fast/kernels/%.$(1).o: fast/kernels/%.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $$(FAST_CFLAGS) $$(ISAFLAGS_$(1)) -MMD -MP -c $$< -o $$@
endef
$(foreach isa,$(ISAS),$(eval $(call ISA_RULE,$(isa))))

$(LIB_A): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIB_SO): $(LIB_OBJS)
	$(CC) -shared $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(CLI): $(CLI_OBJS) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(LIB_A) $(LDLIBS)

TEST_DEFS := -DVF_TEST_CLI='"$(abspath $(CLI))"' -DVF_TEST_DATA='"$(abspath tests/data)"'
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_DEFS) -MMD -MP -c $< -o $@

$(BUILD)/tests/%: tests/%.c $(TEST_COMMON_OBJS) $(LIB_A) $(CLI)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(TEST_DEFS) $(LDFLAGS) -o $@ $< $(TEST_COMMON_OBJS) $(LIB_A) -lcriterion $(LDLIBS)


# Runs every suite; a failing suite fails the target but the others still run.
tests-run: $(TEST_BINS)
	@fail=0; for t in $(TEST_BINS); do echo "== $$t"; $$t || fail=1; done; exit $$fail

# The accuracy table: every fast-kernel differential suite (tests/test_*_fast.c) records its
# measured max/p99 ULP per case; mk/accuracy.py rewrites tests/data/accuracy.tsv and the README
# summary.  Run after changing a kernel, then review and commit the diff.
ACC_BINS := $(filter %_fast,$(TEST_BINS))
accuracy: $(ACC_BINS)
	@rm -f $(BUILD)/accuracy.rec
	@for t in $(ACC_BINS); do echo "== $$t"; VF_ACCURACY_RECORD=$(abspath $(BUILD))/accuracy.rec $$t || exit 1; done
	python3 mk/accuracy.py $(BUILD)/accuracy.rec

asan-test:
	$(MAKE) --no-print-directory SAN=1 BUILD=$(BUILD)/asan tests-run

test: deps
	$(MAKE) --no-print-directory all
	$(MAKE) --no-print-directory tests-run
	$(MAKE) --no-print-directory asan-test
	$(MAKE) --no-print-directory prove-check
	$(MAKE) --no-print-directory prove-mutants

# Full re-proof (cold unless the WP cache holds the goals); prove-check replays the cache.
prove: deps
	proofs/prove.sh
prove-check:
	proofs/prove.sh --check
# From scratch (empty scratch cache, every goal sent to the provers; the committed proofs/ stay).
prove-cold: deps
	proofs/prove.sh --cold
# The gate must fail on broken proofs: a false lemma, a weakened invariant, wrong code (each in
# a scratch copy of the tree; proofs/mutants.sh).
prove-mutants:
	proofs/mutants.sh

# Benchmarks: our kernels, the roof kernel and the peers (oneDNN, OpenBLAS) interleaved in one
# process (PERFORMANCE.md "How to measure"); peers are linked only here, never into the library.
BENCH_SRCS := $(wildcard bench/*.c)
BENCH      := $(BUILD)/vf_bench
$(BENCH): $(BENCH_SRCS:%.c=$(BUILD)/%.o) $(LIB_A)
	$(CC) $(LDFLAGS) -o $@ $(BENCH_SRCS:%.c=$(BUILD)/%.o) $(LIB_A) -ldnnl -lopenblas $(LDLIBS)
$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ibench -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma -MMD -MP -c $< -o $@
bench: deps
	$(MAKE) --no-print-directory $(BENCH)
	$(BENCH) --csv $(BUILD)/bench.csv
	OPENBLAS_CORETYPE=SkylakeX $(BENCH) --filter 'attention|gemm|lstsq' --csv $(BUILD)/bench-skx.csv
	python3 mk/bench_table.py $(BUILD)/bench.csv $(BUILD)/bench-skx.csv

demo: deps
	$(MAKE) --no-print-directory all
	$(CLI) claims

install: all
	install -d $(PREFIX)/lib $(PREFIX)/include/veriformer $(PREFIX)/bin $(PREFIX)/lib/pkgconfig
	install -m 644 $(LIB_A) $(LIB_SO) $(PREFIX)/lib/
	install -m 644 core/*.h ref/*.h ref/claims/*.h fast/vf_fast*.h fast/vf_par.h $(PREFIX)/include/veriformer/
	install -m 755 $(CLI) $(PREFIX)/bin/
	sed 's|@PREFIX@|$(PREFIX)|g' mk/veriformer.pc.in > $(PREFIX)/lib/pkgconfig/veriformer.pc

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
