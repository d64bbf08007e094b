"""The secretariat's data-entry paths never break a page (issue 10).

One record of every model registered in the admin is added through its admin add page, with a
row in every inline of that page, posted as a browser posts them (the management forms, the
inline's empty row copied as "Add another" does, slugs left empty). Required fields are filled
from their form field's type, so a model, field or inline added later is walked without a
change here; only values no type can guess (a state or an organisation, a file or a link) are
given by hand below. Then every public page that can show the records (listings with and
without a search, detail pages in English and French, the sitemap, the calendar feed, every
export format) and the admin's own pages of the records answer without a server error.
"""

import itertools
import traceback

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils import translation

from tests.adminforms import add_inline_row, browser_form_data, fill_required
from tests.security.urlwalk import argument_free_paths, sitemap_paths

PASSWORD = "walk-Pass-9431!"
SEARCHED = "Dakar"  # in every text the walk writes ("Réunion à Dakar 12")

_states = itertools.cycle(["SN", "ML", "MA", "NE", "CI", "GH", "ET", "ER"])
STATE = {"country": lambda: next(_states)}  # a participant is a state or an organisation
LINK = {"url": "https://example.org/walk.pdf"}  # a file or a link

# Values no field type tells, by model label: rules across fields, names with a syntax, and
# the publication switches without which the public pages would not show the records.
HAND_GIVEN = {
    "auth.User": {"username": "walk-editor", "password1": PASSWORD, "password2": PASSWORD},
    "dialogues.Membership": STATE,
    "dialogues.SteeringCommitteeSeat": STATE,
    "dialogues.ChairTerm": STATE,
    "jvap.ReportingPartner": STATE,
    "dialogues.Document": LINK,
    "grants.CallDocument": LINK,
    "grants.Output": LINK,
    "grants.Call": {"is_published": "on"},
    "grants.Grant": {"is_published": "on"},
    "grants.ConsortiumMember": {"role": "lead"},
}

# Admin actions that publish what the add page cannot (the review state is the reviewers').
PUBLISH_ACTIONS = {"jvap.JvapEntry": "publish_entries"}


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


class AdminAddWalk:
    """Adds records through the admin add pages of a superuser's client, and keeps them."""

    def __init__(self, client, request):
        self.client = client
        self.request = request
        self.added: list = []

    def addable_models(self) -> list:
        """Every registered model whose admin lets a superuser add one, by label."""
        return sorted(
            (
                model
                for model, model_admin in admin.site._registry.items()
                if model_admin.has_add_permission(self.request)
            ),
            key=lambda model: model._meta.label,
        )

    def add(self, model, *, inline_rows: bool = True):
        """Add one record of the model, with one row in each of its inlines; return it."""
        url = admin_url(model, "add")
        page = self.client.get(url)
        assert page.status_code == 200, f"GET {url}: {page.status_code}"
        data, files = browser_form_data(page), {}
        self._fill(data, files, page.context["adminform"].form, "", model)
        inlines = [
            inline.formset
            for inline in page.context["inline_admin_formsets"]
            if inline.has_add_permission and inline_rows
        ]
        for formset in inlines:
            row = add_inline_row(data, formset)
            self._fill(data, files, formset.empty_form, row, formset.model)
        before = set(model._base_manager.values_list("pk", flat=True))
        response = self.client.post(url, {**data, **files})
        assert response.status_code == 302, f"POST {url} refused: {_form_errors(response)}"
        record = model._base_manager.exclude(pk__in=before).get()
        self.added.append(record)
        for formset in inlines:
            rows = formset.model._base_manager.filter(**{formset.fk.name: record})
            assert rows.count() == 1, f"{formset.model.__name__} row of {url} not saved"
            self.added += list(rows)
        return record

    def _fill(self, data, files, form, prefix, model) -> None:
        fill_required(
            data,
            form,
            prefix,
            choose=lambda name, field: self.choose(model, name, field),
            given=HAND_GIVEN.get(model._meta.label, {}),
            files=files,
        )

    def choose(self, model, name, field):
        """A record for a required relation of a new `model` row.

        A foreign key prefers a record that has no `model` row yet, added (without inline
        rows) when none is free, so that the new row never repeats a pair that must be unique
        (a consortium member of a grant, a state's membership of a dialogue). A record that
        cannot be added twice (a JVAP domain) is shared.
        """
        reverse_name = _reverse_query_name(model, name)
        if reverse_name:
            free = field.queryset.filter(**{f"{reverse_name}__isnull": True}).first()
            if free:
                return free
            try:
                return self.add(field.queryset.model, inline_rows=False)
            except AssertionError:
                pass
        return field.queryset.first() or self.add(field.queryset.model)

    def publish(self) -> None:
        """Publish the added records that only an admin action publishes."""
        for record in self.added:
            action = PUBLISH_ACTIONS.get(record._meta.label)
            if action:
                response = self.client.post(
                    admin_url(type(record), "changelist"),
                    {"action": action, "_selected_action": [record.pk]},
                )
                assert response.status_code == 302, f"{action} of {record!r}"


def _reverse_query_name(model, name: str) -> str | None:
    """How the target of the model's foreign key `name` finds the model's rows, if it can."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if not model_field.many_to_one or model_field.remote_field.hidden:
        return None
    return model_field.related_query_name()


def _form_errors(response) -> object:
    if response.context is None or "adminform" not in response.context:
        return response.status_code
    return [
        response.context["adminform"].form.errors,
        *[inline.formset.errors for inline in response.context["inline_admin_formsets"]],
        *[inline.formset.non_form_errors() for inline in response.context["inline_admin_formsets"]],
    ]


def _public_paths(client, records) -> list[str]:
    """Every public address: argument-free pages, feeds and exports, each with a search too,
    the sitemap's pages, and the records' own pages in English and in French."""
    admin_root = reverse("admin:index")
    paths = [
        path
        for path in argument_free_paths(with_choices=True)
        if not path.startswith(admin_root) and "logout" not in path
    ]
    paths += [f"{path}?q={SEARCHED}" for path in paths]
    details = set(sitemap_paths(client))
    for record in records:
        if hasattr(record, "get_absolute_url"):
            details.add(record.get_absolute_url())
            with translation.override("fr"):
                details.add(record.get_absolute_url())
    return paths + sorted(details)


def _server_errors(client, paths) -> list[str]:
    """The paths that answer with a server error, each with its reason."""
    failures = []
    for path in paths:
        try:
            response = client.get(path)
        except Exception:  # the test client re-raises a view's exception: a 500
            failures.append(f"{path}: {traceback.format_exc(limit=-3)}")
            continue
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
    return failures


@pytest.mark.django_db
def test_every_admin_model_added_through_its_forms_leaves_every_page_working(
    admin_client, admin_user, client, rf
):
    request = rf.get("/")
    request.user = admin_user
    walk = AdminAddWalk(admin_client, request)
    problems = []
    models = walk.addable_models()
    assert len(models) > 20  # the portal's models, not an empty registry

    for model in models:
        try:
            walk.add(model)
        except Exception:
            problems.append(f"adding {model._meta.label}: {traceback.format_exc(limit=-3)}")
    walk.publish()

    # The admin's list (searched: it shows the rows) and one change page of each model.
    first_of_each = {type(record): record for record in reversed(walk.added)}
    admin_pages = [f"{admin_url(model, 'changelist')}?q={SEARCHED}" for model in models]
    admin_pages += [
        admin_url(model, "change", record.pk)
        for model, record in first_of_each.items()
        if model in admin.site._registry
    ]
    problems += _server_errors(admin_client, admin_pages)
    problems += _server_errors(client, _public_paths(client, walk.added))
    assert problems == [], "\n".join(problems)
    for model in models:
        assert any(type(record) is model for record in walk.added), model
    for record in walk.added:
        assert getattr(record, "slug", "x"), f"{record!r} was saved without a slug"
