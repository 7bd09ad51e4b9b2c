# Everyday commands. `make run` and `make test` are the two the README names.
PYTHON ?= python3.13
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint migrations-check bench mutation clean

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

# Debian packages the tests need: Chromium for the browser tests, fonts for the PDF,
# poppler to read PDFs, Redis for the cache shared by processes (started if not running). Installed when run as root (a fresh machine, CI); otherwise the
# command to run is named and nothing else happens.
system:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$$missing fonts-dejavu-core"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need Debian packages that are missing. Run: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi; \
	redis-cli ping >/dev/null 2>&1 || redis-server --daemonize yes >/dev/null

# The whole suite, browser tests included (they fail, not skip, without Chromium).
test: system $(STAMP)
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

# Mutation testing of the safety rules (diary/redflags.py, diary/dosenotes.py; see [tool.mutmut] in
# pyproject.toml): every change to a rule must fail a test. Slow, so not part of `make test` or CI.
# Starts afresh each time so the counts are never stale; `.venv/bin/mutmut show NAME` explains a survivor.
mutation: $(STAMP)
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2 > /dev/null 2>&1 || { echo "mutmut run failed (rerun it by hand to see why)."; exit 1; }
	@$(VENV)/bin/mutmut results --all true | awk '\
		{ split($$1, name, ".x_"); file = name[1]; status = $$2; total[file]++; count[file, status]++ } \
		$$2 != "killed" { print "  " $$0 } \
		END { for (file in total) printf "%s: %d killed, %d survived, %d total (%.1f%% killed)\n", \
			file, count[file, "killed"], count[file, "survived"], total[file], 100 * count[file, "killed"] / total[file] }'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
