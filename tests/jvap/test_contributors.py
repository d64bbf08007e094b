"""Contributors by invitation (issue 15): a focal point invites by e-mail, the portal opens an
account bound to that partner from a mailed link, and never attaches an existing account or
tells whether an address is known."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from dialogues.roles import FOCAL_POINT
from jvap.models import PartnerAccess

from .factories import CampaignFactory, ReportingPartnerFactory, give_access, make_domains

pytestmark = pytest.mark.django_db

INVITED = "awa.diop@example.sn"


@pytest.fixture
def senegal():
    make_domains()
    CampaignFactory(year=2025)
    return ReportingPartnerFactory(country="SN")


@pytest.fixture
def mali(senegal):
    return ReportingPartnerFactory(country="ML")


@pytest.fixture
def focal_point(django_user_model, senegal):
    user = django_user_model.objects.create_user(
        "focal", email="focal@example.org", password="focal-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=FOCAL_POINT))
    give_access(user, senegal)
    return user


def invite(client, partner, email, **extra):
    return client.post(
        reverse("jvap:upload_contributors"), {"partner": partner.pk, "email": email}, **extra
    )


def mailed_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/welcome/\S+/)", message.body).group(1)


def answer_of(response, client) -> str:
    """What the focal point reads after the invitation: the page the redirect leads to."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())


def test_an_invited_colleague_opens_an_inactive_account_from_the_link_and_uploads(
    client, focal_point, senegal, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, senegal, INVITED)

    assert response.status_code == 302
    account = django_user_model.objects.get(email=INVITED)
    assert not account.is_active and not account.has_usable_password()
    assert not (account.is_staff or account.is_superuser)
    access = PartnerAccess.objects.get(user=account)
    assert (access.partner, access.role, access.designated_by) == (
        senegal,
        PartnerAccess.Role.CONTRIBUTOR,
        focal_point,
    )
    (message,) = mail.outbox
    assert message.to == [INVITED] and account.username in message.body

    client.logout()
    form = client.get(mailed_link(message), follow=True)
    assert form.status_code == 200 and account.username in form.content.decode()
    opened = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Dakar-Rabat-2026!", "new_password2": "Dakar-Rabat-2026!"},
    )

    assert opened.status_code == 302 and opened["Location"] == reverse("jvap:upload")
    account.refresh_from_db()
    assert account.is_active and account.check_password("Dakar-Rabat-2026!")
    assert client.get(reverse("jvap:upload")).status_code == 200
    # The link works once.
    assert "no longer valid" in client.get(mailed_link(message), follow=True).content.decode()


@pytest.mark.parametrize("kind", ["superuser", "staff", "other-focal-point", "other-contributor"])
def test_an_existing_account_is_never_attached_and_the_answer_is_the_same(
    client, focal_point, senegal, mali, django_user_model, kind, django_capture_on_commit_callbacks
):
    existing = django_user_model.objects.create_user(
        "existing",
        email="existing@example.org",
        password="x" * 12,
        is_superuser=kind == "superuser",
        is_staff=kind in ("superuser", "staff", "other-focal-point"),
    )
    if kind == "other-focal-point":
        give_access(existing, mali)
    if kind == "other-contributor":
        give_access(existing, mali, PartnerAccess.Role.CONTRIBUTOR)
    accesses_before = set(PartnerAccess.objects.values_list("user", "partner", "role"))
    client.force_login(focal_point)

    with django_capture_on_commit_callbacks(execute=True):
        known = answer_of(invite(client, senegal, "Existing@Example.org"), client)
        unknown = answer_of(invite(client, senegal, "nobody-yet@example.org"), client)

    new_account = django_user_model.objects.get(email="nobody-yet@example.org")
    assert (
        set(PartnerAccess.objects.exclude(user=new_account).values_list("user", "partner", "role"))
        == accesses_before
    )
    assert [message.to for message in mail.outbox] == [["nobody-yet@example.org"]]
    existing.refresh_from_db()
    assert existing.is_active and existing.check_password("x" * 12)
    answer = "If this address can be invited, an invitation is on its way to it."
    assert answer in known and answer in unknown
    assert "existing" not in known


def test_the_answer_does_not_reveal_whether_the_address_exists(
    client, focal_point, senegal, django_user_model
):
    django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(focal_point)

    known = invite(client, senegal, "root@example.org")
    known_page = client.get(known["Location"]).content.decode()
    unknown = invite(client, senegal, "fresh@example.org")
    unknown_page = client.get(unknown["Location"]).content.decode()

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    answer = "If this address can be invited, an invitation is on its way to it."
    assert answer in known_page and answer in unknown_page
    assert "root" not in known_page
    assert not PartnerAccess.objects.filter(user__username="root").exists()


def test_a_contributor_of_this_partner_is_invited_again_with_a_new_link(
    client, focal_point, senegal, django_user_model, django_capture_on_commit_callbacks
):
    client.force_login(focal_point)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, senegal, INVITED)
        invite(client, senegal, INVITED)

    assert django_user_model.objects.filter(email=INVITED).count() == 1
    assert [message.to for message in mail.outbox] == [[INVITED], [INVITED]]
    assert PartnerAccess.objects.filter(user__email=INVITED).count() == 1


def test_the_welcome_link_never_opens_an_account_that_is_not_an_invited_contributor(
    client, django_user_model
):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from jvap.invitations import invitation_tokens

    deactivated = django_user_model.objects.create_user(
        "former", email="former@example.org", password="x" * 12, is_active=False
    )
    link = reverse(
        "jvap:contributor_welcome",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(deactivated.pk)),
            "token": invitation_tokens.make_token(deactivated),
        },
    )

    page = client.get(link, follow=True)

    assert "no longer valid" in page.content.decode()


def test_contributors_see_no_contributors_link_and_a_refusal_in_the_portals_design(
    client, senegal, django_user_model
):
    contributor = django_user_model.objects.create_user("helper", password="helper-pass-123")
    give_access(contributor, senegal, PartnerAccess.Role.CONTRIBUTOR)
    client.force_login(contributor)

    upload_page = client.get(reverse("jvap:upload")).content.decode()
    refused = client.get(reverse("jvap:upload_contributors"))

    assert reverse("jvap:upload_contributors") not in upload_page
    assert refused.status_code == 403
    assert "403.html" in [template.name for template in refused.templates]
    assert "base.html" in [template.name for template in refused.templates]
    content = refused.content.decode()
    assert "Only a partner&#x27;s focal point may invite contributors." in content
    assert reverse("jvap:upload") in content  # the way back


def test_a_focal_point_sees_the_contributors_link(client, focal_point):
    client.force_login(focal_point)

    assert (
        reverse("jvap:upload_contributors") in client.get(reverse("jvap:upload")).content.decode()
    )
