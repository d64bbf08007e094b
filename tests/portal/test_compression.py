"""Static files in production (issue 14): collected with hashed names and compressed copies,
served by WhiteNoise compressed and cached by browsers for good; the map is one such file."""

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory, override_settings

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_collectstatic_writes_hashed_and_gzipped_copies_of_the_portals_files(collected):
    for name in ("css/portal.css", "js/portal.js", "maps/africa-europe.svg"):
        path = collected / name
        hashed = [p for p in path.parent.glob(f"{path.stem}.*{path.suffix}") if p != path]
        assert hashed, name  # portal.1a2b3c4d5e6f.css
        assert hashed[0].with_name(hashed[0].name + ".gz").exists(), name


def test_whitenoise_serves_the_map_compressed_and_cached_for_good(collected):
    from whitenoise.middleware import WhiteNoiseMiddleware

    with override_settings(STATIC_ROOT=collected, STORAGES=PRODUCTION_STATIC, DEBUG=False):
        url = static("maps/africa-europe.svg")
        assert (
            url.startswith("/static/maps/africa-europe.")
            and url != "/static/maps/africa-europe.svg"
        )
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
