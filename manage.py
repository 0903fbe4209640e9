#!/usr/bin/env python
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
# Touched by `make install` once the virtualenv holds what pyproject.toml asks for.
INSTALLED = ROOT / ".venv" / ".installed-stamp"


def main():
    try:
        import django  # noqa: F401
    except ModuleNotFoundError:
        # `python3 manage.py ...` from a plain shell: the project's packages live in the
        # virtualenv `make` builds (and Django 6.1 needs its newer Python).
        if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])  # noqa: S606
        raise
    # A pull or merge that added a dependency leaves the virtualenv behind until `make` runs
    # again; say so before an ImportError deep in Django's start-up does.
    pyproject = ROOT / "pyproject.toml"
    if INSTALLED.exists() and INSTALLED.stat().st_mtime < pyproject.stat().st_mtime:
        print("pyproject.toml changed since the last install: run `make install`.", file=sys.stderr)
    # A shell with neither DEBUG nor SECRET_KEY is a developer's: production always sets a key
    # (and serving goes through gunicorn and openpo/wsgi.py, which this never touches), so
    # `manage.py makemigrations` works there as it does under `make`.
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        os.environ["DEBUG"] = "true"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openpo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
