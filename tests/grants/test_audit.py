"""Every change to a call, grant, consortium member or output is kept, with who made it."""

import pytest
from django.urls import reverse

from grants.models import Grant
from tests.grants.factories import GrantFactory

pytestmark = pytest.mark.django_db


def test_a_grant_change_is_recorded_and_readable_in_the_admin(secretariat_client):
    grant = GrantFactory(title="Before the change")
    grant.title = "After the change"
    grant.save()

    versions = grant.history.order_by("history_date")
    assert [v.title for v in versions] == ["Before the change", "After the change"]
    page = secretariat_client.get(reverse("admin:grants_grant_history", args=[grant.pk]))
    assert page.status_code == 200
    assert "After the change" in page.content.decode()


def test_a_deleted_grant_can_be_brought_back_from_its_history():
    grant = GrantFactory(title="Deleted by mistake")
    pk = grant.pk
    grant.delete()
    assert not Grant.objects.filter(pk=pk).exists()

    last = Grant.history.filter(id=pk).order_by("-history_date").first()
    last.prev_record.instance.save()
    assert Grant.objects.get(pk=pk).title == "Deleted by mistake"
