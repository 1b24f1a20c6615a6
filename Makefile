# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install messages translations check lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Matchplats needs $(PYTHON) on PATH."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: a plain `torch` would pull several GB of CUDA wheels.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	@command -v msgfmt >/dev/null || { echo "Compiling translations needs GNU gettext: apt-get install gettext"; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=$(VENV) -v0

run: translations
	mkdir -p var
	$(BIN)/python manage.py migrate --no-input -v0
	$(BIN)/python manage.py load_taxonomy
	@echo "Fitting the matcher (1.5–10 minutes the first time; cached in var/cache/matcher) ..."
	$(BIN)/python manage.py refit_matcher
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py reindex
	$(BIN)/python manage.py publish_open_data
	@echo
	@echo "Matchplats runs on http://$(HOST):$(PORT)/ — log in with one of the demo accounts above. Ctrl-C stops it."
	$(BIN)/python manage.py db_worker --no-reload --no-startup-delay -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l sv -l en --ignore=$(VENV) --ignore=var --no-obsolete

check: $(STAMP)
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf var $(VENV)

lint: $(STAMP)
	$(BIN)/ruff check matchplats employers providers matching dialogues tests bench reports startpage opendata
