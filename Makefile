# Two entry points for a fresh machine (see README):
#   make reference   set up .venv with pinned dependencies, build the reference platform into out/, print a summary
#   make test        set up .venv if needed and run the test suite
PYTHON ?= python3
VENV := .venv
REFERENCE ?= ../shared/spec/reference-org.yaml
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

.PHONY: setup reference test
setup: $(STAMP)

reference: $(STAMP)
	$(VENV)/bin/policygen validate $(REFERENCE)
	$(VENV)/bin/policygen build $(REFERENCE) -o out

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q
