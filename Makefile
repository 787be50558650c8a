# Two commands matter: `make run` and `make test`. Both build the environment first.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test install bench system-packages clean

run: system-packages $(STAMP)
	$(PY) main.py $(ARGS)

test: system-packages $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m bench

install: system-packages $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The installable app (docs/packaging.md): dist/MaintDesk/ and its tarball, then a smoke test of it.
PACKAGE_STAMP := $(VENV)/.installed-package
.PHONY: package package-test

package: system-packages $(PACKAGE_STAMP)
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/maintdesk.spec

package-test:
	sh packaging/smoke_test.sh

$(PACKAGE_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,package]'
	@touch $(PACKAGE_STAMP)

# Debian packages the app and its tests use. Installed where we may (root or sudo);
# elsewhere a hint is printed and the app still runs (slower PDF font subsetting).
system-packages:
	@sh tools/system-packages.sh

clean:
	rm -rf $(VENV) build dist *.egg-info
