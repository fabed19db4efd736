# Conveniences on top of the runner (python -m analysis report); the README gives the same steps
# without make. The first target run creates .venv from requirements.lock.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

.PHONY: setup hooks report national test lab lock sample clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name uptake-workbook --display-name "Python (uptake workbook)" >/dev/null
	@touch $(STAMP)

setup: $(STAMP)

# Optional, for those who commit: the pre-commit hook refuses notebooks with outputs (README, Contributing).
hooks:
	git config core.hooksPath .githooks

report: $(STAMP)
	$(BIN)/python -m analysis report $(ARGS)

national: $(STAMP)
	test -f data/raw/national/provinces.csv || $(BIN)/python -m analysis sample --national
	$(BIN)/python -m analysis national $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

sample: $(STAMP)
	$(BIN)/python -m analysis sample

lock: $(STAMP)
	$(BIN)/python -m pip freeze --all --exclude-editable | grep -v '^-e\|^pip==' > requirements.lock.new && mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) reports/*/ reports/.*.old
