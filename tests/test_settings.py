"""Production settings, checked the way a deploy runs them: a fresh process, environment only."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "po.example.com",
    "EMAIL_URL": "smtp+tls://openpo:secret@smtp.example.com:587",
}

# Whatever the test runner's own environment says about these, each test sets its own (the
# browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would fail the deploy check's async.E001).
DEPLOYMENT_VARIABLES = {
    "DATABASE_URL",
    "SECRET_KEY",
    "CONN_MAX_AGE",
    "EMAIL_URL",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}

PRINT_DATABASE = (
    "import django; django.setup(); from django.conf import settings; "
    "db = settings.DATABASES['default']; "
    "print(db['ENGINE'], db['CONN_MAX_AGE'], db.get('CONN_HEALTH_CHECKS'))"
)


def run(args, **env_changes):
    env = {k: v for k, v in os.environ.items() if k not in DEPLOYMENT_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "openpo.settings"
    env.update(env_changes)
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_under_production_settings():
    # when
    result = run(["manage.py", "check", "--deploy"], **PRODUCTION)

    # then
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_is_clean_with_just_debug_off_a_key_and_a_host():
    # given only what every production must set (mail goes to a local MTA by default)
    minimal = {k: PRODUCTION[k] for k in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")}

    # when
    result = run(["manage.py", "check", "--deploy"], **minimal)

    # then
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    # when
    result = run(["manage.py", "check"], **{**PRODUCTION, "SECRET_KEY": None})

    # then
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_postgresql_keeps_connections_open_across_requests():
    # when
    result = run(
        ["-c", PRINT_DATABASE],
        **PRODUCTION,
        DATABASE_URL="postgres://openpo:secret@db.example.com:5432/openpo",
    )

    # then
    assert result.returncode == 0, result.stderr
    engine, conn_max_age, health_checks = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert int(conn_max_age) > 0
    assert health_checks == "True"


def test_the_media_storage_backend_and_its_options_come_from_the_environment():
    # when
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.core.files.storage import storages; "
            "s = storages['default']; print(type(s).__name__, s.location)",
        ],
        **PRODUCTION,
        MEDIA_STORAGE="django.core.files.storage.FileSystemStorage",
        MEDIA_STORAGE_OPTIONS='{"location": "/srv/openpo-media"}',
    )
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "/srv/openpo-media"]


def test_a_developers_shell_runs_manage_py_without_any_settings():
    # given neither DEBUG nor SECRET_KEY (a fresh clone, a plain shell), the database in var/
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"])

    # then it runs as development, and every model change has its migration
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_manage_py_with_a_secret_key_stays_in_production():
    # given a production shell: a key, no DEBUG
    result = run(
        ["manage.py", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"],
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS=PRODUCTION["ALLOWED_HOSTS"],
    )

    # then debug stays off
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")


PRINT_MAILER_AND_TASKS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.MAILERS['default']['OPTIONS']['timeout'], settings.TASKS['default']['BACKEND'])"
)


def test_production_sends_mail_with_a_timeout_through_the_database_queue():
    # given production's environment, with and without EMAIL_TIMEOUT
    default = run(["-c", PRINT_MAILER_AND_TASKS], **PRODUCTION)
    shorter = run(["-c", PRINT_MAILER_AND_TASKS], **PRODUCTION, EMAIL_TIMEOUT="3")

    # then an SMTP mail server that never answers costs a worker 10 seconds (or what is set),
    # and e-mails go through the durable queue, never the in-request backend
    assert default.stdout.split() == ["10", "django_tasks_db.DatabaseBackend"], default.stderr
    assert shorter.stdout.split()[0] == "3"
