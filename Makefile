# llmlings: the two commands a newcomer needs, and conveniences over the grader.
#
#   make grade      install what is missing, build the grader, grade everything
#   make test       the project's own tests (what .ci/run runs)
#
#   make watch [EX=NN_topic]   re-check the current exercise on every save
#                              (POLL=1: also look for changes every second,
#                              for WSL /mnt/c and network folders)
#   make watch LANG=zh_CN.UTF-8   the grader in Simplified Chinese (any
#                              command; or LLMLINGS_LANG=zh-CN, or
#                              grader --lang zh-CN; LLMLINGS_LANG=en: English)
#   make check [EX=NN_topic]   check one exercise (default: first unfinished)
#   make next                  move on to the next unfinished exercise
#   make hint EX=NN_topic      show the next hint
#   make list                  every exercise with its status
#   make editor                compile_commands.json for clangd (also done
#                              by grade, check and watch)
#   make verify [EX=...]       instructor: starters fail, solutions pass
#   make reset EX=NN_topic     put an exercise back to its starter (asks)
#   make pin                   instructor: record the pristine files (after
#                              committing exercise changes; commit the pin)
#   make bench [WHAT=matmul]   performance figures (matmul, engine)
#   make fuzz [FUZZ_SECONDS=30]  every libFuzzer target (the grader's parsers,
#                              the reference loaders, the CUDA rewriter) for
#                              FUZZ_SECONDS each; prints runs and exec/s
#   make format                clang-format everything we wrote
#   make check-format          the same files, checked (part of make test)
#   make check-translations    the Chinese twins follow their English pages
#                              (part of make test)
#
# GitHub Actions steps (each workflow step is one of these; see
# grader/README.md "Workflows"; grader/tests/workflows/run.sh runs them all):
#   make ci-grade ci-report ci-submit          student workflow (grade.yml)
#   make ci-matrix ci-build                    organizer (leaderboard.yml):
#   make ci-fetch ci-shard SHARD=i SHARDS=n    roster check, the grader once,
#   make ci-board                              each shard, the board
#
# The grader's exit codes (0 all passed, 1 some not passed, 2 usage or
# manifest error, 3 internal error) are those of grader/build/grader. The
# student's commands (check, watch, next, hint, list, reset) print only the
# grader's own words, which say what went wrong, and exit 0 (no make error
# line under them); `make grade` keeps the grader's code for scripts and
# CI (scripts that need the others' codes call grader/build/grader).

GRADER := grader/build/grader
SETUP := grader/scripts/setup.sh
MAKEFLAGS += --no-print-directory

.PHONY: grade test setup setup-test build-grader check hint list verify bench fuzz \
	format check-format check-translations clean watch next editor reset pin ci-grade ci-report \
	ci-submit ci-matrix ci-build ci-fetch ci-shard ci-board

# A student's command: an unfinished exercise is the normal state of a
# workbook, and the grader has said what it has to say.
STUDENT_EXIT := || true

grade: setup build-grader editor
	@$(GRADER) grade --json results.json

# The project's tests read the grader's English messages, whatever the
# language of the machine (grader/tests/cli/i18n.sh checks the Chinese).
test: export LLMLINGS_LANG := en
test: setup-test check-format check-translations
	@$(MAKE) -C grader test
	@$(GRADER) pin --check
	@bash grader/scripts/check-golden.sh
	@python3 grader/scripts/check-xrefs.py
	@python3 grader/scripts/ramp.py
	@python3 -m unittest discover -s grader/tests/scripts -p 'test_*.py'
	@if [ -f hardware/Makefile ]; then $(MAKE) -C hardware test; fi
	@$(GRADER) verify

setup:
	@bash $(SETUP) grade

setup-test:
	@bash $(SETUP) test

# Quiet when the grader is up to date; else one line, and the compiler's
# words only when the build fails.
build-grader:
	@if ! $(MAKE) -q -C grader >/dev/null 2>&1; then \
		echo "Building the grader (a minute the first time)..."; \
		log=$$(mktemp); \
		if ! $(MAKE) -C grader -j2 >"$$log" 2>&1; then \
			cat "$$log" >&2; rm -f "$$log"; \
			echo "The grader did not build: the messages above say why." >&2; \
			exit 1; \
		fi; \
		rm -f "$$log"; \
	fi

check: setup build-grader editor
	@$(GRADER) check $(EX) $(STUDENT_EXIT)

watch: setup build-grader editor
	@$(GRADER) watch $(EX) $(if $(POLL),--poll $(if $(filter 1,$(POLL)),1,$(POLL))) $(STUDENT_EXIT)

next: build-grader
	@$(GRADER) next $(if $(SKIP),--skip) $(STUDENT_EXIT)

# compile_commands.json (git-ignored) for clangd; quiet, and never a reason
# for the command that asked for it to fail.
editor: build-grader
	@$(GRADER) compile-commands --quiet || true

hint: build-grader
	@$(GRADER) hint $(EX) $(STUDENT_EXIT)

list: build-grader
	@$(GRADER) list $(STUDENT_EXIT)

verify: setup build-grader
	@$(GRADER) verify $(EX)

reset: build-grader
	@$(GRADER) reset $(EX) $(STUDENT_EXIT)

pin: build-grader
	@$(GRADER) pin

fuzz: setup-test
	@$(MAKE) -C grader fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),30)
	@if [ -f hardware/Makefile ]; then \
		$(MAKE) -C hardware fuzz FUZZ_SECONDS=$(or $(FUZZ_SECONDS),30); fi

bench: setup build-grader
	@bash grader/scripts/bench.sh $(WHAT)

# The tracked C, C++, CUDA and OpenCL sources, formatted by .clang-format;
# not the fuzzers' corpora, which are hostile inputs kept byte for byte.
FORMATTED := git ls-files '*.c' '*.h' '*.cu' '*.cuh' '*.cl' '*.cpp' \
	':!:*/fuzz/corpus/*'

format:
	@$(FORMATTED) | xargs -r clang-format -i

check-format:
	@command -v clang-format >/dev/null || \
		{ echo "format: clang-format is not installed (make setup-test)" >&2; exit 1; }
	@bad=$$($(FORMATTED) | xargs -r clang-format --dry-run -Werror 2>&1 | \
		sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | sort -u); \
	if [ -n "$$bad" ]; then \
		echo "format: these files differ from .clang-format (make format, or clang-format -i FILE):" >&2; \
		echo "$$bad" | sed 's/^/  /' >&2; \
		exit 1; \
	fi; \
	echo "format: $$($(FORMATTED) | wc -l) files match .clang-format"

# The Chinese twins follow their English pages (grader/i18n/README.md):
# every page has one (--all), so a new English page lands with its twin.
check-translations:
	@python3 grader/scripts/check-translations.py --all

clean:
	@$(MAKE) -C grader clean

# ---- GitHub Actions steps (grader/scripts/ci.sh) -----------------------------
CI := bash grader/scripts/ci.sh
WORKBOOK ?= .
RESULTS ?= results.json
ROSTER ?= .github/roster.txt
OUT_DIR ?= results
CLONES ?= clones
SITE ?= site
PREVIOUS ?= $(SITE)/leaderboard.json
# GRADER_BIN: a grader built once by ci-build and handed to the shards;
# without it, the shard and board targets build their own.
GRADER_BIN ?=
export WORKBOOK RESULTS ROSTER OUT_DIR CLONES SITE PREVIOUS SHARD SHARDS GRADER_BIN
OWN_GRADER := $(if $(GRADER_BIN),,build-grader)

ci-grade: setup build-grader
	@$(CI) grade

ci-report: setup build-grader
	@$(CI) report

ci-submit: setup build-grader
	@$(CI) submit

ci-matrix:
	@$(CI) matrix

ci-build: setup build-grader
	@$(CI) build

ci-fetch:
	@$(CI) fetch

ci-shard: setup $(OWN_GRADER)
	@$(CI) shard

ci-board: setup $(OWN_GRADER)
	@$(CI) board
