"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _laad(**env):
    omgeving = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    omgeving.update(env, DJANGO_SETTINGS_MODULE="reintegratie.settings")
    # Run from an empty folder so the project's .env is not read: only `env` counts.
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "import environ; environ.Env.read_env = lambda *a, **k: None; "
            "from django.conf import settings; print(settings.DEBUG, settings.SECURE_SSL_REDIRECT)",
        ],
        capture_output=True,
        text=True,
        env=omgeving,
        cwd="/",
    )


def test_productie_zonder_secret_key_start_niet():
    uitkomst = _laad(DEBUG="false")
    assert uitkomst.returncode != 0
    assert "SECRET_KEY ontbreekt" in uitkomst.stderr


@pytest.mark.parametrize("waarde", ["misschien", "tru", "2"])
def test_ongeldige_ja_nee_waarde_start_niet(waarde):
    uitkomst = _laad(DEBUG=waarde, SECRET_KEY="x" * 50)
    assert uitkomst.returncode != 0
    assert "geen geldige ja/nee-waarde" in uitkomst.stderr


def test_productie_is_veilig_standaard():
    uitkomst = _laad(DEBUG="false", SECRET_KEY="x" * 50)
    assert uitkomst.stdout.split() == ["False", "True"], uitkomst.stderr


def test_ontwikkelsleutel_niet_in_productie():
    from reintegratie import settings

    uitkomst = _laad(DEBUG="false", SECRET_KEY=settings._DEV_SECRET_KEY)
    assert "ontwikkelsleutel" in uitkomst.stderr
