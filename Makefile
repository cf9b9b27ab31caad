# Qinglian — everything a fresh machine needs is installed by these targets.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000
STAMP := $(VENV)/.installed

# A local secret key, made once and kept in var/ (never committed). Production sets
# SECRET_KEY itself; see .env.example.
SECRET_KEY ?= $(shell test -s var/secret_key || (mkdir -p var && python3 -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key); cat var/secret_key)
PII_HASH_KEY ?= $(shell test -s var/pii_hash_key || (mkdir -p var && python3 -c "import secrets; print(secrets.token_urlsafe(50))" > var/pii_hash_key); cat var/pii_hash_key)
# The publication log's signing key, made once the virtual environment can make it.
TRANSPARENCY_SIGNING_KEY ?= $(shell test -s var/log_signing_key || { mkdir -p var; test -x $(BIN)/python && $(BIN)/python -m qinglian.transparency.keygen qinglian-local-log > var/log_signing_key 2>/dev/null; }; cat var/log_signing_key 2>/dev/null)
export SECRET_KEY PII_HASH_KEY TRANSPARENCY_SIGNING_KEY
# The demo serves plain HTTP on the loopback address.
DEMO_ENV = SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 PORT=$(PORT) \
	PUBLIC_BASE_URL=http://127.0.0.1:$(PORT)

.PHONY: install demo serve test lint typecheck migrations-check unit browser messages clean

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

install: $(STAMP)
	$(BIN)/qinglian compilemessages --ignore=.venv -v 0

demo: install
	$(DEMO_ENV) $(BIN)/qinglian migrate --no-input -v 0
	$(DEMO_ENV) $(BIN)/qinglian demo
	$(DEMO_ENV) $(BIN)/qinglian collectstatic --no-input -v 0
	$(DEMO_ENV) $(BIN)/qinglian village_pages_render --all
	$(DEMO_ENV) $(BIN)/qinglian serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy qinglian tests bench conftest.py

migrations-check: install
	$(BIN)/qinglian makemigrations --check --dry-run

unit: install
	$(BIN)/pytest -n 2 -m "not browser" -q

browser: install
	$(BIN)/pytest -m browser -q

test: lint typecheck migrations-check unit browser

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
