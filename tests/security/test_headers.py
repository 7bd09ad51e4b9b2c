"""Headers on every page, and production settings (docs/security.md, "Requests")."""

from __future__ import annotations

import os
import subprocess
import sys

from django.http import HttpResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import parse_http_date

from config.middleware import NEVER_STORED, never_stored
from tests.conftest import People


def test_pages_carry_a_strict_csp_and_privacy_headers(people: People) -> None:
    response = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk]))
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'nonce-" in csp
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_every_script_tag_carries_the_nonce(people: People) -> None:
    response = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk]))
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = response.content.decode()
    assert html.count("<script") == html.count(f'nonce="{nonce}"') > 0


def test_error_and_public_pages_are_not_cached_either(client: object, db: None) -> None:
    for url in ["/no-such-page/", reverse("account_login"), reverse("education:red_flags")]:
        response = client.get(url)  # type: ignore[attr-defined]
        assert "no-store" in response["Cache-Control"], url


def production_settings(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="test-only-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="diary.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_production_settings_pass_the_deploy_check_and_harden_cookies() -> None:
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "from django.core.management import call_command;"
        "call_command('check', '--deploy', '--fail-level', 'WARNING');"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.DEBUG)"
    )
    result = run_python(code, production_settings())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == ["__Host-sessionid", "True", "31536000", "True", "False"]


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = production_settings()
    del env["DJANGO_SECRET_KEY"]
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_in_the_environment_fails_loudly() -> None:
    result = run_python("import django; django.setup()", production_settings(REQUIRE_MFA="perhaps"))
    assert result.returncode != 0
    assert "REQUIRE_MFA must be true or false" in result.stderr


def test_the_wsgi_application_imports_every_view_as_it_starts() -> None:
    # A worker's first request must not wait for the views (and the PDF's libraries) to import.
    code = (
        "import gc, sys, config.wsgi;"
        "print('diary.views.entries' in sys.modules, 'diary.report' in sys.modules, gc.get_freeze_count() > 10000)"
    )
    result = run_python(code, production_settings())
    assert result.returncode == 0, result.stderr
    # ... and what it loaded is kept out of the garbage collector's scans.
    assert result.stdout.split()[-3:] == ["True", "True", "True"]


def test_the_never_stored_headers_are_djangos_own_with_or_without_a_views_cache_control() -> None:
    def djangos(response: HttpResponse) -> HttpResponse:
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True, private=True)
        return response

    def ours(response: HttpResponse) -> HttpResponse:
        never_stored(response)
        return response

    plain_ours, plain_django = ours(HttpResponse("x")), djangos(HttpResponse("x"))
    assert plain_ours["Cache-Control"] == plain_django["Cache-Control"] == NEVER_STORED
    assert abs(parse_http_date(plain_ours["Expires"]) - parse_http_date(plain_django["Expires"])) <= 1
    for own in ({"Cache-Control": "public, max-age=600"}, {"Expires": "Thu, 01 Jan 2037 00:00:00 GMT"}):
        merged_ours, merged_django = ours(HttpResponse("x", headers=own)), djangos(HttpResponse("x", headers=own))
        assert merged_ours["Cache-Control"] == merged_django["Cache-Control"]
        assert merged_ours["Expires"] == merged_django["Expires"]
        assert "public" not in merged_ours["Cache-Control"] and "no-store" in merged_ours["Cache-Control"]
