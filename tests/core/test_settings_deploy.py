"""Production settings: Django's deployment checklist passes with no warning,
and the portal refuses to start without its secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "SECURE_", "EMAIL_", "CACHE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="humas_portal.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="humas.kemenag.example",
        CSRF_TRUSTED_ORIGINS="https://humas.kemenag.example",
        SITE_URL="https://humas.kemenag.example",
        DATABASE_URL="postgres://humas:rahasia@127.0.0.1:5432/humas_portal",
        REDIS_URL="redis://127.0.0.1:6379/0",
        VAR_DIR=str(tmp_path),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_deploy_check_passes_without_a_single_warning(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "FIELD_ENCRYPTION_KEY"])
def test_production_refuses_to_start_without_its_secrets(tmp_path, missing):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_without_debug_in_the_environment_the_portal_runs_as_production(tmp_path):
    """An unset DEBUG means production: without its secrets it does not start."""
    result = manage(production_env(tmp_path, DEBUG=None, SECRET_KEY=None), "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


@pytest.mark.parametrize("variable", ["DEBUG", "EMAIL_USE_TLS", "SECURE_SSL_REDIRECT"])
def test_a_boolean_that_is_not_a_boolean_stops_start_up_with_its_name(tmp_path, variable):
    result = manage(production_env(tmp_path, **{variable: "flase"}), "check")
    assert result.returncode != 0
    assert f"{variable}='flase' bukan nilai boolean" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path):
    result = manage(production_env(tmp_path, DATABASE_URL="mysql://humas@127.0.0.1/humas"), "check")
    assert result.returncode != 0
    assert "DATABASE_URL harus menunjuk ke server PostgreSQL" in result.stderr


def test_makemigrations_needs_no_production_secrets(tmp_path):
    """A developer's command that only compares the models with the
    migrations runs in development mode when DEBUG is not set."""
    result = manage(
        production_env(tmp_path, DEBUG=None, SECRET_KEY=None, FIELD_ENCRYPTION_KEY=None),
        "makemigrations",
        "--check",
        "--dry-run",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout
