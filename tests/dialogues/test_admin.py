"""Every admin page renders for the secretariat: the walk covers models added later too."""

import importlib
import inspect

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from factory.django import DjangoModelFactory

from core.derived import is_derived
from dialogues.models import Dialogue


def registered_portal_models():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in settings.PORTAL_APPS
    ]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def factory_for(model) -> type[DjangoModelFactory]:
    """The factory that makes the model, from its app's tests/<app>/factories.py."""
    module = importlib.import_module(f"tests.{model._meta.app_label}.factories")
    for _, candidate in inspect.getmembers(module, inspect.isclass):
        if issubclass(candidate, DjangoModelFactory) and candidate._meta.model is model:
            return candidate
    pytest.fail(
        f"{model.__name__} has no reference data and no factory: add one to "
        f"tests/{model._meta.app_label}/factories.py so that its change page is walked too.",
        pytrace=False,
    )


@pytest.fixture
def reference_data(reference_data_of_the_module):
    """Every test here only reads the reference data: it is loaded once for the module."""


def test_every_portal_model_is_in_the_admin():
    """Each model has an admin of its own, or is edited inline on its parent's page."""
    registered = {model for model, _ in registered_portal_models()}
    inline = {
        inline_class.model
        for _, model_admin in registered_portal_models()
        for inline_class in model_admin.inlines
    }
    for app_label in settings.PORTAL_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.auto_created or hasattr(model, "instance_type"):
                continue  # through tables, and audit history read through its record's admin
            if is_derived(model):
                continue  # rebuilt from other tables, never edited (core.derived)
            assert model in registered | inline, f"{model.__name__} has no admin"


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
    obj = model._default_manager.first() or factory_for(model)()

    assert client.get(admin_url(model, "changelist")).status_code == 200
    if model_admin.search_fields:
        assert client.get(admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    if model_admin.has_add_permission(request):
        assert client.get(admin_url(model, "add")).status_code == 200
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["rabat-process", "khartoum-process", "c2cmmd"])
def test_a_dialogue_page_in_the_admin_shows_its_members_seats_and_chairs(
    reference_data, secretariat_client, slug
):
    dialogue = Dialogue.objects.get(slug=slug)

    response = secretariat_client.get(admin_url(Dialogue, "change", dialogue.pk))

    rows = {
        inline.formset.prefix: len(inline.formset.initial_forms)
        for inline in response.context["inline_admin_formsets"]
    }
    assert rows["memberships"] == dialogue.memberships.count() > 0
    assert rows["steering_committee_seats"] == dialogue.steering_committee_seats.count()
    assert rows["chair_terms"] == dialogue.chair_terms.count() > 0
    if slug != "c2cmmd":
        assert rows["steering_committee_seats"] > 0
