# ParApp task runner. Every target creates the virtualenv it needs; `test` also installs the
# system tools the tests drive (tools/system_deps.sh: apt-get as root, else the exact command).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run run-office test lint bench screenshots installer deps deps-gui clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

deps:
	bash tools/system_deps.sh

deps-gui:
	bash tools/system_deps.sh --gui

run: $(STAMP) deps-gui
	$(BIN)/python -m parapp --demo

run-office: $(STAMP) deps-gui
	$(BIN)/python -m parapp --demo-office

test: $(STAMP) deps
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools installer
	$(BIN)/ruff format --check src tests bench tools installer
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tools/screenshots.py
	QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=1.25 $(BIN)/python tools/screenshots.py docs/screenshots/125

installer: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[installer]'
	$(BIN)/python installer/build.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
