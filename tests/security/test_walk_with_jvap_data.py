"""The security walk with JVAP and grants data in the database: unpublished entries
(submitted, returned with a comment), another partner's entries and uploads, focal points'
accounts, draft grants and calls. No public page, export (read inside the .xlsx files too),
sitemap or calendar shows them to anyone, and a focal point reaches only their own partner's
entries and uploads in the upload pages and the admin."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from dialogues.models import Dialogue
from dialogues.roles import FOCAL_POINT, SECRETARIAT
from jvap import services
from jvap.models import EntryChange, EntryUpload, JvapEntry

from ..grants.factories import CallFactory, GrantFactory
from ..jvap.factories import (
    CampaignFactory,
    JvapEntryFactory,
    ReportingPartnerFactory,
    give_access,
    make_domains,
)
from .conftest import PRIVATE_EMAIL, PRIVATE_PHONE
from .test_roles import ADMIN_ACTIONS_WITH_OBJECT
from .urlwalk import argument_free_paths, every_reachable_path, readable_text

# Words that only the hidden records contain, in every field a page could show.
SENEGAL_HIDDEN = ["Xqsubmittedsn", "Xqreturnedsn", "Xqreturncomment", "xq-sn-upload"]
MALI_HIDDEN = ["Xqsubmittedml", "Xqreturnedml", "Xqmalicomment", "xq-ml-upload"]
MALI_PUBLIC = "Xqpublishedml"
DRAFTS = ["Xqdraftgrant", "Xqdraftcall", "XQ-DRAFT-CALL-REF"]
ACCOUNTS = ["focal.senegal@example.org", "focal.mali@example.org", "+221 77 000 11 22"]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A /fr/ page leaves French active in the thread, which would prefix the URL conf's
    paths with /fr/ in the next test; start and end each test in English."""
    translation.activate("en")
    yield
    translation.activate("en")


def _upload(partner, name, user):
    return EntryUpload.objects.create(
        partner=partner,
        uploaded_by=user,
        original_name=name,
        file=f"jvap/uploads/{name}",
        state=EntryUpload.State.CONFIRMED,
    )


@pytest.fixture
def jvap_records(settings, tmp_path, focal_point_user, django_user_model, portal_records):
    """Senegal (the focal point's partner) and Mali, each with published, submitted and
    returned entries, an upload and their history; a draft grant and a draft call."""
    settings.JVAP_UPLOADS_ROOT = tmp_path / "jvap-uploads"
    domains = {d.number: d for d in make_domains()}
    CampaignFactory(year=2025)
    senegal = ReportingPartnerFactory(country="SN")
    mali = ReportingPartnerFactory(country="ML")
    focal_point_user.email = "focal.senegal@example.org"
    focal_point_user.save()
    give_access(focal_point_user, senegal)
    mali_focal = django_user_model.objects.create_user(
        "focal-mali", email="focal.mali@example.org", password="mali-pass-123", is_staff=True
    )
    mali_focal.first_name = "+221 77 000 11 22"  # a phone typed in a name field stays private
    mali_focal.save()
    mali_focal.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(mali_focal, mali)
    secretariat = django_user_model.objects.create_user("sec", email="sec@example.org")
    secretariat.groups.add(Group.objects.get(name=SECRETARIAT))

    def entry(partner, reference, title, state, comment="", **fields):
        created = JvapEntryFactory(
            domain=domains[3],
            partner=partner,
            reference=reference,
            title=title,
            review_state=state,
            review_comment=comment,
            countries=[partner.country.code],
            implementers=[f"{title} implementer"],
            budget="1000",
            start="2024-01-01",
            **fields,
        )
        EntryChange.objects.create(
            entry=created,
            changed_by=secretariat,
            action=EntryChange.Action.RETURNED if comment else EntryChange.Action.CREATED,
            changes={"Title": ["", title]},
            comment=comment,
        )
        return created

    published, submitted, returned = (
        JvapEntry.ReviewState.PUBLISHED,
        JvapEntry.ReviewState.SUBMITTED,
        JvapEntry.ReviewState.RETURNED,
    )
    records = {
        "sn_published": entry(senegal, "SN-PUB", "Xqpublishedsn", published),
        "sn_submitted": entry(senegal, "SN-SUB", "Xqsubmittedsn", submitted),
        "sn_returned": entry(senegal, "SN-RET", "Xqreturnedsn", returned, "Xqreturncomment"),
        "ml_published": entry(mali, "ML-PUB", MALI_PUBLIC, published),
        "ml_submitted": entry(mali, "ML-SUB", "Xqsubmittedml", submitted),
        "ml_returned": entry(mali, "ML-RET", "Xqreturnedml", returned, "Xqmalicomment"),
        "sn_upload": _upload(senegal, "xq-sn-upload.csv", focal_point_user),
        "ml_upload": _upload(mali, "xq-ml-upload.csv", mali_focal),
        "public_grant": GrantFactory(title="Xqpublicgrant", slug="xq-public-grant"),
        "draft_grant": GrantFactory(title="Xqdraftgrant", slug="xq-draft", is_published=False),
        "draft_call": CallFactory(
            title="Xqdraftcall",
            slug="xq-draft-call",
            reference="XQ-DRAFT-CALL-REF",
            is_published=False,
        ),
    }
    records["grant_in_draft_call"] = GrantFactory(
        title="Xqgrantinhiddencall", slug="xq-hidden-call-grant", call=records["draft_call"]
    )
    records["senegal"], records["mali"], records["secretariat"] = senegal, mali, secretariat
    return records


def _public_paths(client, records) -> list[str]:
    """Every public page and download, with searches for the hidden words, and the detail
    pages of the published and of the hidden records."""
    paths = [p for p in every_reachable_path(client, with_choices=True) if not _is_private_area(p)]
    # Searches for the start of hidden words: a page echoes the query, never the whole word.
    for word in ["Xqsubmitted", "Xqreturned", "Xqdraft", "Xqmalicom", "focal.mali"]:
        paths += [
            f"/search/?q={word}",
            f"/jvap/?q={word}",
            f"/jvap/export.csv?q={word}",
            f"/jvap/export.json?q={word}",
            f"/grants/?q={word}",
        ]
    for key in ["sn_published", "sn_submitted", "sn_returned", "ml_published", "ml_submitted"]:
        paths.append(records[key].get_absolute_url())
    for key in ["public_grant", "draft_grant", "grant_in_draft_call", "draft_call"]:
        paths.append(records[key].get_absolute_url())
    # The published call of the draft grant lists its grants.
    paths.append(records["draft_grant"].call.get_absolute_url())
    paths += ["/jvap/?review_state=submitted", "/jvap/export.csv?partner=ML&status=", "/fr/jvap/"]
    # Open data (issue 16): each dialogue's feeds and calendar, the API's records of the
    # published and hidden entries, grants and calls, and searches of the API and IATI export.
    for slug in Dialogue.objects.values_list("slug", flat=True):
        paths += [f"/feeds/dialogues/{slug}/{name}.atom" for name in ("meetings", "documents")]
        paths += [f"/feeds/dialogues/{slug}/jvap.atom", f"/dialogues/{slug}/meetings.ics"]
    for key in ["sn_published", "sn_submitted", "sn_returned", "ml_published", "ml_submitted"]:
        paths.append(f"/api/v1/jvap-entries/{records[key].pk}/")
    for key in ["public_grant", "draft_grant", "grant_in_draft_call"]:
        paths.append(f"/api/v1/grants/{records[key].slug}/")
    paths.append(f"/api/v1/calls/{records['draft_call'].slug}/")
    for word in ["Xqsubmitted", "Xqreturned", "Xqdraft"]:
        paths += [
            f"/api/v1/jvap-entries/?q={word}",
            f"/api/v1/grants/?q={word}",
            f"/open-data/jvap-iati.xml?q={word}",
        ]
    # Each download also with an (empty) filter: some listings export rows only when bound.
    paths += [f"{p}?q=" for p in paths if "export." in p and "?" not in p]
    return paths


def _is_private_area(path: str) -> bool:
    return path.startswith(("/jvap/upload/", "/" + settings.ADMIN_PATH.strip("/") + "/"))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "focal point"])
def test_no_public_page_or_export_reveals_hidden_jvap_or_grants_data(
    client, focal_point_user, jvap_records, who
):
    if who == "focal point":
        client.force_login(focal_point_user)
    paths = _public_paths(client, jvap_records)
    for expected in ["/jvap/export.xlsx", "/grants/export.xlsx", "/meetings/export.csv"]:
        assert expected in paths
    hidden = [*SENEGAL_HIDDEN, *MALI_HIDDEN, *DRAFTS, *ACCOUNTS, PRIVATE_EMAIL, PRIVATE_PHONE]

    seen_public = set()
    for path in paths:
        response = client.get(path, follow=True)
        text = readable_text(response)
        for word in hidden:
            assert word not in text, f"{word} on {path}"
        if path.startswith(("/jvap/export.xlsx", "/grants/export.xlsx")):
            seen_public |= {word for word in (MALI_PUBLIC, "Xqpublicgrant") if word in text}
        if path in ("/api/v1/jvap-entries/", "/feeds/jvap.atom", "/open-data/grants.xlsx"):
            seen_public |= {
                f"{word} in {path}" for word in (MALI_PUBLIC, "Xqpublicgrant") if word in text
            }
    # The walk reads inside the .xlsx downloads, which do hold the published records, and
    # the API, feeds and open-data files, which do too.
    assert seen_public == {
        MALI_PUBLIC,
        "Xqpublicgrant",
        f"{MALI_PUBLIC} in /api/v1/jvap-entries/",
        f"{MALI_PUBLIC} in /feeds/jvap.atom",
        "Xqpublicgrant in /open-data/grants.xlsx",
    }
    for key in ["sn_submitted", "sn_returned", "ml_submitted", "draft_grant", "draft_call"]:
        assert client.get(jvap_records[key].get_absolute_url()).status_code == 404, key
    grant_page = client.get(jvap_records["grant_in_draft_call"].get_absolute_url())
    assert "Xqdraftcall" not in grant_page.content.decode()


@pytest.mark.django_db
def test_a_focal_point_sees_only_their_partners_entries_and_uploads(
    client, focal_point_user, jvap_records
):
    client.force_login(focal_point_user)
    own = ["Xqsubmittedsn", "Xqreturnedsn", "Xqreturncomment"]
    pages = {
        path: readable_text(client.get(path, follow=True))
        for path in every_reachable_path(client, with_choices=True)
        if _is_private_area(path)
    }
    assert reverse("jvap:upload_entries") in pages
    for path, text in pages.items():
        for word in [*MALI_HIDDEN, MALI_PUBLIC, "focal.mali@example.org", "+221 77 000 11 22"]:
            assert word not in text, f"{word} on {path}"
    entries_page = pages[reverse("jvap:upload_entries")]
    assert all(word in entries_page for word in own)  # their own work and its comment
    assert "xq-sn-upload.csv" in pages[reverse("jvap:upload")]

    mali_upload = jvap_records["ml_upload"]
    for url in [
        reverse("jvap:upload_preview", args=[mali_upload.pk]),
        reverse("jvap:upload_file", args=[mali_upload.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"confirm": "1"}).status_code in (404, 405), url
    mali_upload.refresh_from_db()
    assert mali_upload.state == EntryUpload.State.CONFIRMED


@pytest.mark.django_db
def test_the_jvap_admin_narrows_a_focal_point_to_their_partner(
    client, focal_point_user, jvap_records
):
    client.force_login(focal_point_user)
    mali_objects = {
        JvapEntry: [jvap_records[k] for k in ("ml_published", "ml_submitted", "ml_returned")],
        EntryUpload: [jvap_records["ml_upload"]],
        EntryChange: list(EntryChange.objects.filter(entry__partner=jvap_records["mali"])),
    }
    for model, objects in mali_objects.items():
        if model not in admin.site._registry:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        listing = client.get(reverse(f"{prefix}_changelist"))
        assert listing.status_code in (200, 403), prefix
        text = readable_text(listing)
        for word in [*MALI_HIDDEN, MALI_PUBLIC]:
            assert word not in text, f"{word} in {prefix}"
        for record in objects:
            for action in ADMIN_ACTIONS_WITH_OBJECT:
                try:
                    url = reverse(f"{prefix}_{action}", args=[record.pk])
                except NoReverseMatch:
                    continue
                response = client.get(url)
                assert response.status_code in (302, 403, 404), url
                if response.status_code == 302:
                    assert str(record.pk) not in response["Location"].split("?")[0], url
                assert not any(w in readable_text(response) for w in MALI_HIDDEN), url
    senegal_listing = readable_text(client.get(reverse("admin:jvap_jvapentry_changelist")))
    assert "SN-SUB" in senegal_listing and "SN-RET" in senegal_listing
    # Upload files of another partner are not served through the admin either.
    assert "xq-ml-upload" not in readable_text(
        client.get(reverse("admin:jvap_entryupload_changelist"))
    )


@pytest.mark.django_db
def test_the_walk_reads_every_export_of_the_url_conf():
    paths = argument_free_paths(with_choices=True)
    for path in ["/jvap/export.csv", "/jvap/export.xlsx", "/jvap/export.json"]:
        assert path in paths
    assert {"/grants/export.csv", "/grants/export.xlsx", "/meetings/export.csv"} <= set(paths)
    assert "/jvap/dashboard/domain.csv" in paths


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/jvap/", "/jvap/dashboard/", "/search/?q=Xqpublished", "/"])
def test_an_entry_returned_by_the_secretariat_leaves_the_cached_public_pages_at_once(
    client, jvap_records, path, django_capture_on_commit_callbacks
):
    entry = jvap_records["sn_published"]
    pages = [path, entry.get_absolute_url()]
    assert "Xqpublishedsn" in client.get(pages[1]).content.decode()
    first = {page: client.get(page).content.decode() for page in pages}  # now cached

    with django_capture_on_commit_callbacks(execute=True):  # as when the request commits
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=entry.pk),
            user=jvap_records["secretariat"],
            action=EntryChange.Action.RETURNED,
            comment="Xqlatecomment",
        )

    assert client.get(pages[1]).status_code == 404
    again = client.get(path).content.decode()
    assert "Xqpublishedsn" not in again
    assert "Xqlatecomment" not in again
    if "Xqpublishedsn" in first[path]:
        assert again != first[path]


@pytest.mark.django_db
def test_an_entry_validated_by_the_secretariat_shows_on_the_cached_public_pages_at_once(
    client, jvap_records, django_capture_on_commit_callbacks
):
    entry = jvap_records["sn_submitted"]
    assert "Xqsubmittedsn" not in client.get("/jvap/").content.decode()  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        services.entries_review(
            entries=JvapEntry.objects.filter(pk=entry.pk),
            user=jvap_records["secretariat"],
            action=EntryChange.Action.PUBLISHED,
        )

    assert "Xqsubmittedsn" in client.get("/jvap/").content.decode()
    assert client.get(entry.get_absolute_url()).status_code == 200
