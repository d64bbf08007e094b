"""The README's "How focal points upload", step by step, as a secretariat officer does it in
the admin: find the partner, create the account, give it access; the focal point uploads and
the officer validates from the admin's home page."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap.models import JvapEntry, PartnerAccess, ReportingPartner

from .factories import CampaignFactory, make_domains
from .sheets import GOOD, csv_bytes

pytestmark = pytest.mark.django_db


def test_a_secretariat_officer_follows_the_readme_to_onboard_a_focal_point(
    reference_data, secretariat_client, django_user_model, settings, tmp_path
):
    settings.JVAP_UPLOADS_ROOT = tmp_path
    make_domains()
    CampaignFactory(year=2025)
    officer = secretariat_client

    # 1. Find the reporting partner (`make run` created it) by the country's name.
    found = officer.get(reverse("admin:jvap_reportingpartner_changelist"), {"q": "Sénégal"})
    (senegal,) = found.context["cl"].result_list
    assert senegal.code == "SN" and senegal == ReportingPartner.objects.get(country="SN")

    # 2. A superuser creates the account, then its e-mail, staff status and group.
    administrator = Client()
    administrator.force_login(django_user_model.objects.create_superuser("root", "", "x" * 12))
    created = administrator.post(
        reverse("admin:auth_user_add"),
        {
            "username": "awa.diop",
            "usable_password": "true",
            "password1": "Dakar-Rabat-2026!",
            "password2": "Dakar-Rabat-2026!",
        },
    )
    assert created.status_code == 302
    user = get_user_model().objects.get(username="awa.diop")
    change = administrator.get(reverse("admin:auth_user_change", args=[user.pk]))
    change = change.context["adminform"]
    data = {
        name: value
        for name, value in change.form.initial.items()
        if value is not None and not isinstance(value, list | tuple)
    }
    changed = administrator.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            **data,
            "username": "awa.diop",
            "email": "awa.diop@example.sn",
            "is_active": "on",
            "is_staff": "on",
            "groups": [Group.objects.get(name=FOCAL_POINT).pk],
            "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert changed.status_code == 302, changed.context["adminform"].form.errors

    # 3. Give the account access to the partner as its focal point.
    access = officer.post(
        reverse("admin:jvap_partneraccess_add"),
        {"user": user.pk, "partner": senegal.pk, "role": "focal-point", "designated_by": ""},
    )
    assert access.status_code == 302
    assert PartnerAccess.objects.get(user=user).role == PartnerAccess.Role.FOCAL_POINT

    # 4. The focal point logs in at /jvap/upload/, uploads and confirms.
    client = Client()
    assert (
        client.post(
            reverse("jvap:login"), {"username": "awa.diop", "password": "Dakar-Rabat-2026!"}
        ).status_code
        == 302
    )
    preview = client.post(
        reverse("jvap:upload"),
        {"partner": senegal.pk, "file": SimpleUploadedFile("sn.csv", csv_bytes([GOOD]))},
    )
    client.post(preview.url, {"confirm": "1"})
    assert JvapEntry.objects.get().review_state == JvapEntry.ReviewState.SUBMITTED

    # The officer finds the entries on the admin's home page and validates them from there.
    home = officer.get(reverse("admin:index"))
    (waiting,) = home.context["waiting"]["submitted"]
    assert waiting == senegal
    validate = (
        reverse("admin:jvap_jvapentry_changelist")
        + f"?review_state__exact=submitted&partner__id__exact={senegal.pk}"
    )
    entry = JvapEntry.objects.get()
    officer.post(validate, {"action": "publish_entries", "_selected_action": [entry.pk]})
    assert JvapEntry.objects.published().count() == 1
