# Everyday commands. `make run` and `make test` are the two the README names.
PYTHON ?= python3.13
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint migrations-check bench clean

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.13 is needed (pyenv: 'pyenv install 3.13')."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Set up (once), migrate, seed the demo diary (once) and serve on http://127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-missing
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite, browser tests included (they fail, not skip, without Chromium).
test: $(STAMP)
	$(PY) -m pytest -n 2 -q

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not browser"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm db.sqlite3-writelock
