"""Helpful 404 and 500 pages in both languages; sitemap.xml and robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_404_page_helps_in_english(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Page not found" in content
    assert 'action="/search/"' in content
    assert 'href="/meetings/"' in content


def test_404_page_helps_in_french(client, world):
    response = client.get("/fr/pas-de-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Page introuvable" in content
    assert 'action="/fr/search/"' in content


def test_404_for_a_missing_record_uses_the_same_page(client, world):
    response = client.get("/fr/meetings/no-such-meeting/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"), [("en", "Something went wrong"), ("fr", "Une erreur s’est produite")]
)
def test_500_page_renders_without_a_request_in_both_languages(language, text):
    with translation.override(language):
        content = render_to_string("500.html")
    assert text in content
    assert f'<html lang="{language}">' in content


def test_500_handler_serves_the_page(client, world, monkeypatch):
    from django.test import Client

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("mmd_portal.views.home_figures", broken)
    response = Client(raise_request_exception=False).get("/fr/")
    assert response.status_code == 500
    assert "Une erreur s’est produite" in response.content.decode()


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


def test_sitemap_lists_every_public_page_in_both_languages(client, world):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemaps = ET.fromstring(response.content).findall("s:sitemap/s:loc", namespace)
    locations = set()
    for sitemap in sitemaps:
        section = client.get(sitemap.text.removeprefix("http://testserver"))
        assert section.status_code == 200
        tree = ET.fromstring(section.content)
        locations |= {loc.text for loc in tree.findall("s:url/s:loc", namespace)}
    for path in (
        "/",
        "/meetings/",
        "/dialogues/rabat-process/",
        "/countries/sn/",
        "/countries/be/",
        "/organisations/ecowas/",
        "/meetings/dakar-ministerial-conference/",
        "/documents/dakar-declaration/",
    ):
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/fr{path}" in locations
    assert "http://testserver/countries/us/" not in locations
