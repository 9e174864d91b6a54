# The two commands a new user needs: `make chat` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-test
# The shared data: beside this checkout (../shared), else the workplace's copy; or set DATA=...
DATA      ?= $(firstword $(wildcard ../shared/data /work/shared/data) ../shared/data)
GUTENBERG ?= $(DATA)/gutenberg_passages/passages.jsonl.gz
CRANFIELD ?= $(DATA)/cranfield
SQUAD     ?= $(DATA)/squad/squad-dev-v1.1-part1.json.gz

.PHONY: chat test install bench index clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[test,semantic]"
	touch $@

install: $(STAMP)

index: $(STAMP)
	$(BIN)/askurbact index

chat: index
	$(BIN)/askurbact chat

# Tests run on 3 worker processes (pytest-xdist) on the 2-core machines here: a third of the suite's
# time is waiting (real processes started and waited for, the chat UI's idle checks, kill timing),
# which a third worker fills: 84-89 s instead of 93-97 s on 2026-12-03, the same tests.
test: $(STAMP)
	$(BIN)/python -m pytest -n 3 --dist worksteal

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/cranfield.py --data $(CRANFIELD)
	$(BIN)/python benchmarks/answers.py --data $(SQUAD)
	$(BIN)/python benchmarks/scale.py $(GUTENBERG) --sizes 1000,10000,100000
	$(BIN)/python benchmarks/formats.py --data $(DATA)/docs

clean:
	rm -rf $(VENV) index build src/*.egg-info
