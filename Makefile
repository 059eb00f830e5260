# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench install system-deps clean docs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests use: chromium (browser tests, print-to-PDF layouts), poppler-utils
# (pdftotext in bench), libreoffice-writer-nogui (a word processor's PDF export, held-out layouts).
system-deps:
	bash .ci/system-deps

demo: $(STAMP)
	$(BIN)/tilskudd demo

test: $(STAMP) system-deps
	$(BIN)/python -m pytest -q

bench: $(STAMP) system-deps
	$(BIN)/python -m bench

docs: $(STAMP)
	$(BIN)/python -m kb.schema_docs > docs/schema.md
	$(BIN)/python -m kb.cli_docs > docs/cli.md

clean:
	rm -rf $(VENV) tilskudd.sqlite tilskudd.sqlite-wal tilskudd.sqlite-shm
