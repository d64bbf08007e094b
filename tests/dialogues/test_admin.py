"""Every admin page renders for the secretariat: the walk covers models added later too."""

import pytest
from django.contrib import admin
from django.urls import reverse

from dialogues.roles import SECRETARIAT_APPS


def registered_portal_models():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in SECRETARIAT_APPS
    ]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_portal_model_is_in_the_admin():
    registered = {model for model, _ in registered_portal_models()}
    from django.apps import apps

    for app_label in SECRETARIAT_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.auto_created or hasattr(model, "instance_type"):
                continue  # through tables, and audit history read through its record's admin
            assert model in registered, f"{model.__name__} has no admin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model,model_admin",
    registered_portal_models(),
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_changelist_add_change_and_search_pages_render_for_the_secretariat(
    reference_data, secretariat_user, client, rf, model, model_admin
):
    client.force_login(secretariat_user)
    request = rf.get("/")
    request.user = secretariat_user

    assert client.get(admin_url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert client.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    if model_admin.has_add_permission(request):
        assert client.get(admin_url(model, "add")).status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
