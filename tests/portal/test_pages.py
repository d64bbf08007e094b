"""Every public page answers, in English and French, with a title, a meta description and a
canonical link, and shows what the issue asks of it."""

import re

import pytest

from tests.dialogues.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/dialogues/",
    "/dialogues/rabat-process/",
    "/dialogues/khartoum-process/",
    "/organisations/",
    "/organisations/ecowas/",
    "/meetings/",
    "/meetings/dakar-ministerial-conference/",
    "/documents/",
    "/documents/dakar-declaration/",
    "/countries/",
    "/countries/sn/",
    "/search/?q=dakar",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_every_page_has_title_description_and_canonical_link(client, world, path, prefix):
    response = client.get(prefix + path)
    assert response.status_code == 200
    content = response.content.decode()
    language = "fr" if prefix else "en"
    assert f'<html lang="{language}">' in content
    title = re.search(r"<title>(.*?)</title>", content, re.S).group(1)
    assert title.strip() and "–" in title
    description = re.search(r'<meta name="description" content="([^"]*)"', content).group(1)
    assert len(description) > 20
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', content).group(1)
    assert canonical.startswith(f"http://testserver{prefix}/")
    assert '<link rel="alternate" hreflang="fr" href="http://testserver/fr' in content
    assert re.search(r"<h1[^>]*>", content)


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switcher_points_to_the_same_page_in_the_other_language(client, world, path):
    content = client.get(path).content.decode()
    french = path.replace("&", "&amp;")
    assert f'<a href="/fr{french}" hreflang="fr" lang="fr">Français</a>' in content
    content = client.get("/fr" + path).content.decode()
    assert f'<a href="{french}" hreflang="en" lang="en">English</a>' in content


def test_a_filtered_listing_keeps_its_filters_when_switching_language(client, world):
    content = client.get("/meetings/?type=thematic-meeting&country=it").content.decode()
    assert 'href="/fr/meetings/?type=thematic-meeting&amp;country=it"' in content


def test_canonical_link_of_a_listing_keeps_its_filters_but_not_the_page(client, world):
    content = client.get("/meetings/?type=thematic-meeting&page=1").content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/meetings/?type=thematic-meeting">' in content
    )


def test_home_shows_programme_components_figures_map_and_meetings(client, world):
    response = client.get("/")
    content = response.content.decode()
    assert "Rabat Process" in content and "Khartoum Process" in content
    figures = {str(f.label): f.value for f in response.context["figures"]}
    assert figures["member states"] == 7  # SN MA FR ES ER ET IT, each counted once
    assert figures["meetings held"] == 3
    assert figures["ministerial conference"] == 1  # the label after a count, singular for 1
    assert response.context["map_classes"] == {
        "SN": "rabat",
        "MA": "rabat",
        "ES": "rabat",
        "FR": "both",
        "ER": "khartoum",
        "ET": "khartoum",
        "IT": "khartoum",
    }
    # The map's states are links in its list; the script colours them on the static map file.
    assert 'data-layer="processes" data-iso2="FR" data-css="both"' in content
    assert [m.slug for m in response.context["upcoming"]] == ["steering-committee-next-year"]
    assert [m.slug for m in response.context["recent"]][:1] == ["dakar-ministerial-conference"]


def test_the_home_figures_are_one_list_of_providers(client, world, monkeypatch):
    from mmd_portal import figures

    monkeypatch.setattr(
        figures,
        "FIGURES",
        [*figures.FIGURES, lambda counts: [figures.Figure(42, "grants", "/grants/")]],
    )
    content = client.get("/").content.decode()
    assert "42" in content and "grants" in content


def test_dialogue_page_shows_members_observers_map_chair_committee_meetings_documents(
    client, world
):
    response = client.get("/dialogues/rabat-process/")
    content = response.content.decode()
    # Sorted by name: France, Morocco, Senegal, Spain.
    assert [m.country.code for m in response.context["state_members"]] == ["FR", "MA", "SN", "ES"]
    # Egypt left in 2014: not a current member.
    assert "EG" not in {m.country.code for m in response.context["state_members"]}
    assert [m.country.code for m in response.context["state_observers"]] == ["DZ"]
    assert response.context["map_classes"]["DZ"] == "observer"
    assert 'data-iso2="SN" data-css="member"' in content
    assert 'data-iso2="DZ" data-css="observer"' in content
    assert [t.country.code for t in response.context["chairs"].current] == ["SN"]
    assert "ECOWAS" in content  # partner organisation and committee seat
    assert {row["type"]: row["count"] for row in response.context["meeting_counts"]} == {
        "ministerial-conference": 1,
        "thematic-meeting": 1,
        "steering-committee-meeting": 1,
    }
    assert "Dakar Declaration" in content
    assert "secretariat@rabat.example" in content
    assert (
        "The map&#x27;s information as a list" in content
        or "The map's information as a list" in content
    )


def test_french_content_is_shown_on_french_pages_with_english_fallback(client, world):
    content = client.get("/fr/dialogues/rabat-process/").content.decode()
    assert "Processus de Rabat" in content
    assert "Le Dialogue euro-africain sur la migration" in content
    assert "Organiser la mobilité" in content
    assert "Membres et observateurs" in content
    assert "Sénégal" in content  # country names from django-countries, in French
    # No French title for this meeting: the English one is shown.
    assert "Thematic meeting on return" in content
    content = client.get("/fr/dialogues/khartoum-process/").content.decode()
    assert "The EU-Horn of Africa Migration Route Initiative." in content


def test_dates_and_numbers_are_in_the_visitors_language(client, world):
    assert "11 March 2024" in client.get("/meetings/").content.decode()
    assert "11 mars 2024" in client.get("/fr/meetings/").content.decode()


def test_country_page_shows_dialogues_roles_seats_chairs_and_meetings_hosted(client, world):
    response = client.get("/countries/sn/")
    content = response.content.decode()
    assert response.context["country_name"] == "Senegal"
    assert [m.dialogue.slug for m in response.context["memberships"]] == ["rabat-process"]
    assert "Steering committee of the Rabat" in content
    assert "Chair of the Rabat" in content
    assert "Dakar Ministerial Conference" in content
    assert "Sénégal" in client.get("/fr/countries/sn/").content.decode()


def test_a_former_member_is_shown_as_former(client, world):
    content = client.get("/countries/eg/").content.decode()
    assert "former" in content


def test_country_codes_in_capitals_redirect_to_lower_case(client, world):
    response = client.get("/countries/SN/")
    assert response.status_code == 301
    assert response["Location"] == "/countries/sn/"


def test_unknown_country_code_is_not_found(client, world):
    assert client.get("/countries/zz/").status_code == 404


def test_countries_listing_lists_participating_states_with_how(client, world):
    response = client.get("/countries/")
    rows = {row["code"]: row for row in response.context["countries"]}
    assert [m.dialogue.slug for m in rows["FR"]["current"]] == ["rabat-process", "khartoum-process"]
    assert rows["BE"]["hosted"] == 1
    assert rows["EG"]["current"] == [] and len(rows["EG"]["past"]) == 1


def test_organisation_page_shows_its_dialogues_and_seats(client, world):
    content = client.get("/organisations/ecowas/").content.decode()
    assert "Rabat Process" in content
    assert "Steering committee of the Rabat" in content


def test_meeting_page_shows_its_documents(client, world):
    content = client.get("/meetings/dakar-ministerial-conference/").content.decode()
    assert "Dakar Declaration" in content
    assert "11 March 2024" in content and "12 March 2024" in content


@pytest.mark.parametrize(
    "path",
    [
        "/dialogues/nope/",
        "/organisations/nope/",
        "/meetings/nope/",
        "/documents/nope/",
        "/documents/nope/download/",
    ],
)
def test_unknown_slugs_are_not_found(client, world, path):
    assert client.get(path).status_code == 404


def test_page_sections_of_other_apps_are_rendered(client, world, monkeypatch, tmp_path, settings):
    from core import page_sections

    template_dir = tmp_path / "templates"
    (template_dir / "extra").mkdir(parents=True)
    (template_dir / "extra" / "section.html").write_text("<p>Extra: {{ section.context.word }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    monkeypatch.setattr(page_sections, "_providers", page_sections.defaultdict(list))
    for page in page_sections.PAGES:
        page_sections.register(
            page,
            lambda obj, page=page: page_sections.PageSection(
                f"Heading on {page}", "extra/section.html", {"word": f"for {page}"}
            ),
        )
    for path, page in [
        ("/dialogues/rabat-process/", "dialogue"),
        ("/organisations/ecowas/", "organisation"),
        ("/countries/sn/", "country"),
    ]:
        content = client.get(path).content.decode()
        assert f"Heading on {page}" in content
        assert f"Extra: for {page}" in content


def test_the_language_switcher_works_on_a_page_that_does_not_exist(client, world):
    content = client.get("/no-such-page/?x=1").content.decode()
    assert '<a href="/fr/no-such-page/?x=1" hreflang="fr" lang="fr">Français</a>' in content
    content = client.get("/fr/no-such-page/").content.decode()
    assert '<a href="/no-such-page/" hreflang="en" lang="en">English</a>' in content
    content = client.get("/fr/").content.decode()
    assert '<a href="/" hreflang="en" lang="en">English</a>' in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ecowas"]),
        ("type=international-organisation", ["ecowas"]),
        ("type=un-agency", []),
        ("dialogue=rabat-process", ["ecowas"]),
        ("dialogue=khartoum-process", []),
        ("q=west african", ["ecowas"]),
    ],
)
def test_organisations_listing_filters(client, world, query, expected):
    response = client.get(f"/organisations/?{query}")
    assert [o.slug for o in response.context["object_list"]] == expected


def test_an_organisation_in_two_dialogues_counts_once_in_the_type_options(client, world):
    MembershipFactory(dialogue=world.khartoum, country="", organisation=world.organisation)
    for query in ("", "dialogue=rabat-process&dialogue=khartoum-process"):
        response = client.get(f"/organisations/?{query}")
        facets = {facet.name: facet for facet in response.context["facets"]}
        counts = {option.value: option.count for option in facets["type"].options}
        assert counts == {"international-organisation": 1}
        assert [o.slug for o in response.context["object_list"]] == ["ecowas"]


def test_unknown_organisation_type_and_dialogue_kind_are_named(client, world):
    content = client.get("/organisations/?type=club").content.decode()
    assert "There is no such type of organisation: “club”." in content
    content = client.get("/dialogues/?kind=party").content.decode()
    assert "There is no such kind of dialogue: “party”." in content


def test_meeting_page_shows_its_photo_gallery_with_alt_texts(client, world, settings, tmp_path):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from dialogues.models import MeetingPhoto

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (800, 600), "navy").save(buffer, format="JPEG")
    photo = MeetingPhoto.objects.create(
        meeting=world.meetings["dakar"],
        image=SimpleUploadedFile("opening.jpg", buffer.getvalue(), content_type="image/jpeg"),
        alt_text="Ministers at the opening session",
        caption="Opening session",
        credit="ICMPD",
    )
    content = client.get("/meetings/dakar-ministerial-conference/").content.decode()
    assert 'alt="Ministers at the opening session"' in content
    assert "Opening session" in content and "ICMPD" in content
    assert photo.thumbnail and photo.thumbnail.url in content  # the gallery shows thumbnails


def test_the_country_flag_include_shows_the_packaged_flag_image(world):
    from django.template.loader import render_to_string

    html = render_to_string("includes/country_flag.html", {"country": "SN"})
    assert '<img class="flag" src="/static/flags/sn.gif" alt=""' in html


def test_dialogue_page_shows_its_strategic_framework_in_its_numbering(client, world):
    import datetime

    from dialogues.models import FrameworkElement, StrategicFramework

    framework = StrategicFramework.objects.create(
        dialogue=world.rabat,
        name="Cadiz Action Plan",
        name_fr="Plan d'action de Cadix",
        slug="cadiz-action-plan",
        kind=StrategicFramework.Kind.ACTION_PLAN,
        adopted_on=datetime.date(2022, 12, 14),
        is_current=True,
    )
    area = FrameworkElement.objects.create(
        framework=framework, level="area", number="2", title="Legal migration"
    )
    FrameworkElement.objects.create(
        framework=framework, level="area", number="10", title="Return and readmission"
    )
    FrameworkElement.objects.create(
        framework=framework, level="objective", number="2.1", title="Visa facilitation", parent=area
    )
    content = client.get("/dialogues/rabat-process/").content.decode()
    assert "Cadiz Action Plan" in content and "current" in content
    assert content.index("Legal migration") < content.index("Visa facilitation")
    assert content.index("Visa facilitation") < content.index("Return and readmission")
    assert (
        "Plan d&#x27;action de Cadix" in client.get("/fr/dialogues/rabat-process/").content.decode()
    )


def test_home_shows_the_current_programme_phase_with_localised_amounts(client, world):
    import datetime
    from decimal import Decimal

    from dialogues.models import ProgrammePhase

    ProgrammePhase.objects.create(
        name="MMD II",
        name_fr="MMD II (fr)",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2026, 12, 31),
        budget_eur=Decimal("12500000"),
        summary="The second phase.",
        summary_fr="La deuxième phase.",
        donor=world.organisation,
        is_current=True,
    )
    content = client.get("/").content.decode()
    assert "MMD II" in content and "The second phase." in content
    assert "12,500,000" in content
    content = client.get("/fr/").content.decode()
    assert "MMD II (fr)" in content and "La deuxième phase." in content
    assert "12\u202f500\u202f000" in content or "12\xa0500\xa0000" in content
