#!/usr/bin/env python
import os
import sys
from pathlib import Path

VENV_PYTHON = Path(__file__).resolve().parent / ".venv" / "bin" / "python"


def main():
    try:
        import django  # noqa: F401
    except ModuleNotFoundError:
        # `python3 manage.py ...` from a plain shell: the project's packages live in the
        # virtualenv `make` builds (and Django 6.1 needs its newer Python).
        if VENV_PYTHON.exists() and Path(sys.executable) != VENV_PYTHON:
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), *sys.argv])  # noqa: S606
        raise
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
