"""A focal point reaches no dialogues admin page; no page shows personal data to anyone."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse

from dialogues.roles import FOCAL_POINT

from .conftest import PRIVATE_EMAIL, PRIVATE_PHONE
from .urlwalk import argument_free_paths, body, every_reachable_path

ADMIN_ACTIONS_WITHOUT_OBJECT = ["changelist", "add", "deleted", "import", "export"]
ADMIN_ACTIONS_WITH_OBJECT = ["change", "delete", "history"]


def dialogues_admin_urls(objects_by_model) -> list[str]:
    """Every admin page of every dialogues model, for one real record where there is one."""
    urls = []
    for model in admin.site._registry:
        if model._meta.app_label != "dialogues":
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for action in ADMIN_ACTIONS_WITHOUT_OBJECT:
            try:
                urls.append(reverse(f"{prefix}_{action}"))
            except NoReverseMatch:
                pass  # this admin has no import, export or deleted-records page
        record = objects_by_model.get(model) or model._default_manager.first()
        if record is not None:
            urls += [
                reverse(f"{prefix}_{action}", args=[record.pk])
                for action in ADMIN_ACTIONS_WITH_OBJECT
            ]
            if hasattr(model, "history"):
                version = model.history.filter(id=record.pk).first()
                urls.append(
                    reverse(f"{prefix}_simple_history", args=[record.pk, version.history_id])
                )
    return urls


def test_the_focal_point_role_carries_no_dialogues_permission(focal_point_group):
    assert not Permission.objects.filter(
        group=focal_point_group, content_type__app_label="dialogues"
    ).exists()
    assert Group.objects.get(name=FOCAL_POINT) == focal_point_group


@pytest.mark.django_db
def test_a_focal_point_is_refused_every_dialogues_admin_page(
    client, focal_point_user, portal_records
):
    client.force_login(focal_point_user)
    objects = {type(record): record for record in portal_records.values()}
    urls = dialogues_admin_urls(objects)
    assert len(urls) > 40  # the walk really covers the models' pages

    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 403), f"{method.__name__.upper()} {url}"
            if response.status_code == 302:
                assert reverse("admin:login") in response["Location"], url

    index = client.get(reverse("admin:index"))
    assert b"/dialogues/" not in index.content


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "focal point"])
def test_no_page_shows_a_focal_points_email_or_phone(client, focal_point_user, portal_records, who):
    if who == "focal point":
        client.force_login(focal_point_user)

    paths = every_reachable_path(client, with_choices=True)  # every export format too
    assert portal_records["dialogue"].get_absolute_url() in paths
    for path in paths:
        response = client.get(path, follow=True)
        content = body(response).decode(errors="replace")
        assert PRIVATE_EMAIL not in content, path
        assert PRIVATE_PHONE not in content, path


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_from_every_admin_page(client, portal_records):
    objects = {type(record): record for record in portal_records.values()}
    for url in dialogues_admin_urls(objects):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


# Admin pages every staff member may open: the index, their own password, the admin's scripts.
OPEN_TO_EVERY_STAFF_MEMBER = {
    "admin:index",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin_password_reset",
}
# The JVAP app gives focal points their own partner's entries (tested with the JVAP app).
FOCAL_POINT_APPS = {"jvap"}


@pytest.mark.django_db
def test_a_focal_point_reaches_no_other_admin_page(client, focal_point_user, portal_records):
    client.force_login(focal_point_user)
    open_paths = {reverse(name) for name in OPEN_TO_EVERY_STAFF_MEMBER}
    admin_root = reverse("admin:index")
    allowed_prefixes = tuple(f"{admin_root}{app}/" for app in FOCAL_POINT_APPS)
    paths = [
        path
        for path in argument_free_paths()
        if path.startswith(admin_root)
        and path not in open_paths
        and not path.startswith(allowed_prefixes)
    ]
    assert f"{admin_root}auth/user/" in paths and f"{admin_root}axes/accessattempt/" in paths

    for path in paths:
        response = client.get(path)
        if response.status_code == 405:  # a POST-only step, such as confirming an import
            response = client.post(path)
        assert response.status_code in (302, 403), path
        if response.status_code == 302:
            assert reverse("admin:login") in response["Location"], path
