# grader - build, test, install.
#
#   make demo      install missing Debian packages, build, run the demo cohort
#   make check     install missing packages, build, run every test
#   make check-asan / check-valgrind / bench / install PREFIX=...
#
# O=DIR builds out of tree (default build/), WERROR=1 adds -Werror (CI).

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/grader
MANDIR   ?= $(PREFIX)/share/man
O        ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
WERROR   ?= $(if $(filter true 1,$(CI)),1)
# The one place the version is kept (debian/changelog must agree: tested).
VERSION  := $(shell cat VERSION)
PKGS      = libcmark libgit2 yaml-0.1 libpcre2-8 sqlite3 libmicrohttpd
DEB_PKGS  = libcmark-dev libgit2-dev libcsv-dev check libyaml-dev libpcre2-dev pkg-config git cmark time bc python3 \
            libsqlite3-dev libmicrohttpd-dev sqlite3 curl
# What only the tests need (the Action's YAML, the pre-commit hook, GNU parallel for the shards).
TEST_PKGS = python3-yaml pre-commit parallel
# What `make deb` needs beyond DEB_PKGS.
DEB_BUILD_PKGS = debhelper devscripts fakeroot dpkg-dev build-essential
# Only for the browser test of summary.html (large): installed by check-e2e,
# which skips that test with a message where it cannot be installed.
BROWSER_PKGS = chromium

WARN      = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wno-format-nonliteral $(if $(WERROR),-Werror)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             -pthread -DGRADER_DATADIR='"$(DATADIR)"' -DGRADER_VERSION='"$(VERSION)"' -Igrader
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm -pthread
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   = $(shell pkg-config --libs check 2>/dev/null)

SRC      = $(filter-out grader/main.c,$(wildcard grader/*.c))
OBJ      = $(SRC:grader/%.c=$(O)/obj/%.o)
TEST_SRC = $(wildcard tests/test_*.c)
TESTS    = $(TEST_SRC:tests/%.c=$(O)/tests/%)
BIN      = $(O)/grader

.PHONY: all deps pkgcheck deps-browser deps-test deps-deb deb demo check check-unit check-e2e check-asan check-valgrind bench bench-fetch \
        install fuzz \
        uninstall clean format

all: $(BIN)

# What the build needs, as pkg-config module:Debian package (libcsv has no
# .pc file: its header is looked for). `make` only checks these and says
# what to install; `make deps` (run by demo and check) installs.
PKG_DEBS = libcmark:libcmark-dev libgit2:libgit2-dev yaml-0.1:libyaml-dev libpcre2-8:libpcre2-dev \
           sqlite3:libsqlite3-dev libmicrohttpd:libmicrohttpd-dev \
           check:check

# Installs only what is missing, in one dpkg-query; quiet when all is there.
# As root it runs apt-get itself, otherwise through sudo.
deps:
	@command -v dpkg-query >/dev/null 2>&1 || { $(MAKE) --no-print-directory pkgcheck; exit $$?; }; \
	missing=$$(dpkg-query -W -f='$${Package} $${Status}\n' $(DEB_PKGS) 2>/dev/null | \
	  awk '$$NF == "installed" {ok[$$1] = 1} END {n = split("$(DEB_PKGS)", p, " "); \
	       for (i = 1; i <= n; i++) if (!ok[p[i]]) printf " %s", p[i]}'); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi; \
	fi

deps-test deps-deb:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(if $(filter deps-test,$@),$(TEST_PKGS),$(DEB_BUILD_PKGS))"

# Before compiling: every library found, or which package to install.
pkgcheck:
	@missing=""; for m in $(PKG_DEBS); do \
	  pkg-config --exists $${m%%:*} 2>/dev/null || missing="$$missing $${m#*:}"; \
	done; \
	printf '#include <csv.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 || missing="$$missing libcsv-dev"; \
	if [ -n "$$missing" ]; then \
	  echo "grader needs:$$missing (Debian packages; 'make deps' installs them: apt-get install$$missing)" >&2; \
	  exit 1; \
	fi

deps-browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing: $(BROWSER_PKGS) (for the summary.html browser test)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS) >/dev/null; \
	  else sudo -n true 2>/dev/null && sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PKGS) >/dev/null; fi \
	  || echo "could not install $(BROWSER_PKGS): the browser test will be skipped"; }

# -MMD -MP: each object depends on the headers it includes (build/**/*.d).
DEPFLAGS = -MMD -MP

$(O)/obj/%.o: grader/%.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(O)/obj/version.o: VERSION

$(O)/libgrader.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(O)/obj/main.o $(O)/libgrader.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(O)/tests/testutil.o: tests/testutil.c | pkgcheck
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/%.c $(O)/tests/testutil.o $(O)/libgrader.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(PKG_CFLAGS) $(CHECK_CFLAGS) $(LDFLAGS) -o $@ $< \
	  $(O)/tests/testutil.o $(O)/libgrader.a $(CHECK_LIBS) $(PKG_LIBS)

# Tests find the source tree and the binary through these.
TEST_ENV = GRADER_SRCDIR=$(CURDIR) GRADER_BIN=$(abspath $(BIN)) GRADER_BUILD=$(abspath $(O))

# deps first, then a fresh make: the pkg-config flags are read after the
# packages are there.
check: deps
	@$(MAKE) --no-print-directory check-unit check-e2e check-fuzz-regress

check-unit: $(TESTS) $(BIN)
	@fail=0; for t in $(TESTS); do \
	  echo "== $$t"; $(TEST_ENV) $(TEST_RUN) $$t || fail=1; \
	done; exit $$fail

check-e2e: $(BIN) deps-browser deps-test
	@$(TEST_ENV) sh tests/run-e2e.sh

ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
check-asan:
	@$(MAKE) --no-print-directory O=build-asan CFLAGS="$(ASAN_FLAGS)" LDFLAGS="-fsanitize=address,undefined" WERROR=$(WERROR) check

# CK_FORK=no: valgrind follows one process; the tests then run in it.
check-valgrind: $(TESTS) $(BIN)
	@fail=0; for t in $(TESTS); do \
	  echo "== valgrind $$t"; \
	  CK_FORK=no $(TEST_ENV) valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $$t || fail=1; \
	done; exit $$fail

demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@sh tests/demo.sh $(abspath $(BIN))

bench: $(BIN)
	@for b in bench/accuracy bench/invariance bench/score bench/grade bench/similar-corpus bench/similar bench/assign bench/scale bench/merge; do [ -x $$b ] && GRADER_BIN=$(abspath $(BIN)) $$b; done; true
	@GRADER_BIN=$(abspath $(BIN)) bench/accuracy --corpus bench/probes --part all; true

# 500 local repositories: grader fetch against serial git clone / git fetch;
# then 300 over smart HTTP (loopback server) against 20 parallel git processes.
bench-fetch: $(BIN)
	@GRADER_BIN=$(abspath $(BIN)) bench/fetch $(N)
	@GRADER_BIN=$(abspath $(BIN)) bench/fetch --http $(N)

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rubrics $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/grader
	install -m 644 rubrics/*.yml $(DESTDIR)$(DATADIR)/rubrics/
	install -d $(DESTDIR)$(DATADIR)/rubrics/known
	install -m 644 rubrics/known/*.md $(DESTDIR)$(DATADIR)/rubrics/known/
	install -m 644 man/grader.1 $(DESTDIR)$(MANDIR)/man1/grader.1
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 contrib/grader.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/grader

# A Debian package with debhelper (debian/), built from a copy of the
# tree: dpkg-buildpackage writes to the parent folder, here $(O)/deb, and
# the developer's build folders are left alone. Unit tests are skipped
# (nocheck: make check runs them); DEB_BUILD_OPTIONS adds options.
DEB_DIR = $(O)/deb
deb: deps deps-deb
	@rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/grader-$(VERSION)
	@if git rev-parse --git-dir >/dev/null 2>&1; then git ls-files -z -co --exclude-standard; \
	 else find . \( -name '.git' -o -name 'build*' \) -prune -o -type f -print0; fi | \
	 tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -C $(DEB_DIR)/grader-$(VERSION) -xf -
	@echo "dpkg-buildpackage in $(DEB_DIR) (log: $(DEB_DIR)/build.log)"
	@cd $(DEB_DIR)/grader-$(VERSION) && \
	 DEB_BUILD_OPTIONS="nocheck parallel=2 $(DEB_BUILD_OPTIONS)" DEB_BUILD_PROFILES=nocheck \
	 dpkg-buildpackage -b -us -uc >../build.log 2>&1 || { tail -n 40 ../build.log; exit 1; }
	@ls $(DEB_DIR)/grader_$(VERSION)_*.deb

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/grader $(DESTDIR)$(MANDIR)/man1/grader.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/grader
	rm -rf $(DESTDIR)$(DATADIR)

-include $(OBJ:.o=.d) $(O)/obj/main.d $(O)/tests/testutil.d $(TESTS:=.d)

format:
	clang-format -i grader/*.c grader/*.h tests/*.c tests/*.h

clean:
	rm -rf build build-asan build-fuzz

# Coverage-guided fuzzing (clang + libFuzzer, ASan+UBSan) of every reader of
# outside input: tests/fuzz/fuzz_<name>.c, run by tests/fuzz/run.sh with its
# seeds and tests/fuzz/<name>.dict. `make fuzz` runs FUZZ_TARGETS for
# FUZZ_SECONDS each; `make fuzz-smoke` (CI) for FUZZ_SMOKE_SECONDS each. A
# crasher, once fixed, goes to tests/fuzz/regress/<name>/: `make check`
# replays those through the same entry point without libFuzzer.
FUZZ_ALL  = score rubric roster manifest collect similar outline serve shard
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_PKGS  = clang libclang-rt-14-dev
FUZZ_O     = build-fuzz
FUZZ_CC    = clang
FUZZ_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
             -fno-sanitize-recover=undefined
FUZZ_UTIL  = tests/fuzz/fuzzutil.c tests/fuzz/fuzzutil.h

.PHONY: deps-fuzz fuzz-build fuzz-smoke check-fuzz-regress
deps-fuzz:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_PKGS)"

# No -Werror: clang warns where gcc (the -Werror build) does not; fuzzing
# is about crashes.
fuzz-build: deps deps-fuzz
	@$(MAKE) --no-print-directory O=$(FUZZ_O) CC=$(FUZZ_CC) WERROR= \
	  CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" $(FUZZ_O)/libgrader.a
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_O)/fuzz_%)

$(FUZZ_O)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_UTIL) $(HDR) $(FUZZ_O)/libgrader.a
	$(FUZZ_CC) $(ALL_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer $(PKG_CFLAGS) -Itests/fuzz -o $@ \
	  $< tests/fuzz/fuzzutil.c $(FUZZ_O)/libgrader.a $(PKG_LIBS)

fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do \
	  sh tests/fuzz/run.sh $$t $(FUZZ_SECONDS) $(FUZZ_O) || fail=1; \
	done; exit $$fail

fuzz-smoke:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

# The same targets with the normal compiler and a main() that feeds them
# files: regressions and seeds, in every `make check` (and check-asan).
FUZZ_REPLAY = $(FUZZ_ALL:%=$(O)/fuzz-replay/%)
$(O)/fuzz-replay/%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_UTIL) $(O)/libgrader.a $(HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
	  tests/fuzz/fuzzutil.c $(O)/libgrader.a $(PKG_LIBS)

check-fuzz-regress: $(FUZZ_REPLAY)
	@fail=0; for t in $(FUZZ_ALL); do \
	  set --; for d in tests/fuzz/regress/$$t tests/fuzz/seeds/$$t; do [ -d $$d ] && set -- "$$@" $$d; done; \
	  [ $$t = score ] && set -- "$$@" tests/fixtures/check tests/fuzz/seeds/outline; \
	  [ $$# -gt 0 ] || continue; \
	  printf '== fuzz regressions %s: ' $$t; $(O)/fuzz-replay/$$t "$$@" || fail=1; \
	done; exit $$fail
