"""The Joint Valletta Action Plan (JVAP) database.

The JVAP follow-up keeps a database of the projects and policies that African and European
partners run in the five JVAP domains. Each year, in a *data-collection campaign*, every
*reporting partner* (a state or an organisation) sends its entries as a spreadsheet through
its national *focal point* (or a contributor the focal point designated). An upload never
publishes anything by itself: confirmed entries are *submitted*, the secretariat validates
them (they become *published*, the only state the public sees) or returns them with a
comment that the focal point reads.

An entry is identified by the partner's own reference, so a later spreadsheet updates the
same entry instead of duplicating it. Every change to an entry is kept as an `EntryChange`
(who, when, which fields from which values to which, and the upload that made it), written
in the same transaction as the change itself, including bulk writes.

Multi-valued facts live in child tables so that filters and aggregates are database
queries: `EntryCountry` (countries of implementation) and `EntryOrganisation` (implementing
organisations and donors, in the order the partner gave them).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core.choices import ChoiceLabelsMixin
from core.fields import SafeURLField
from dialogues.models import Domain, Organisation, Participant

from .storage import upload_storage


class DataCollectionCampaign(models.Model):
    """The yearly round in which partners report their entries; it frames the uploads."""

    year = models.PositiveSmallIntegerField(
        unique=True, help_text=_("The year the campaign collects entries for.")
    )
    opens_on = models.DateField(_("opens on"), help_text=_("First day uploads are expected."))
    closes_on = models.DateField(_("closes on"), help_text=_("Last day uploads are expected."))
    notes = models.TextField(blank=True, help_text=_("Instructions for the focal points."))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("data-collection campaign")
        verbose_name_plural = _("data-collection campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="jvap_campaign_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return str(_("Campaign %(year)s") % {"year": self.year})

    def clean(self):
        super().clean()
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The campaign cannot close before it opens.")})

    @classmethod
    def current(cls, today: datetime.date | None = None) -> DataCollectionCampaign | None:
        """The campaign open today, or else the most recent one that has opened."""
        today = today or timezone.localdate()
        open_now = cls.objects.filter(opens_on__lte=today, closes_on__gte=today).first()
        return open_now or cls.objects.filter(opens_on__lte=today).first() or cls.objects.first()


class ReportingPartner(Participant):
    """A state or an organisation that reports JVAP entries (exactly one of the two).

    `code` is how people and the `import_jvap` command name it: the ISO alpha-2 code of a
    state, or the acronym of an organisation.
    """

    code = models.CharField(
        max_length=40,
        unique=True,
        blank=True,
        help_text=_(
            "ISO alpha-2 code of the state (e.g. SN) or the organisation's acronym; "
            "left empty, it is made from them."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("reporting partner")
        verbose_name_plural = _("reporting partners")
        constraints = [Participant.exactly_one_participant("jvap_partner_state_or_organisation")]

    def __str__(self) -> str:
        return self.participant_name

    def save(self, *args, **kwargs):
        if not self.code:
            self.code = (
                str(self.country).upper()
                if self.country
                else (self.organisation.acronym or self.organisation.name)
            )
        super().save(*args, **kwargs)

    @classmethod
    def for_code(cls, code: str) -> ReportingPartner | None:
        """The partner with this code: an existing one, or a state or organisation made one."""
        code = code.strip()
        existing = cls.objects.filter(code__iexact=code).first()
        if existing:
            return existing
        from django_countries import countries

        if len(code) == 2 and countries.alpha2(code.upper()):
            return cls.objects.create(country=code.upper(), code=code.upper())
        organisation = Organisation.objects.filter(acronym__iexact=code).first()
        if organisation:
            return cls.objects.create(organisation=organisation, code=organisation.acronym)
        return None


class JvapEntryQuerySet(models.QuerySet):
    def published(self):
        """Validated entries: the one rule every public page, export and count uses."""
        return self.filter(review_state=JvapEntry.ReviewState.PUBLISHED)

    def in_countries(self, codes):
        """Entries implemented in any of the countries (ISO alpha-2), each entry once."""
        return self.filter(
            Exists(EntryCountry.objects.filter(entry=OuterRef("pk"), country__in=list(codes)))
        )

    def in_domains(self, numbers):
        """Entries whose main or a secondary domain is one of the numbers, each entry once."""
        secondary = JvapEntry.secondary_domains.through.objects.filter(
            jvapentry=OuterRef("pk"), domain__number__in=list(numbers)
        )
        return self.filter(Q(domain__number__in=list(numbers)) | Q(Exists(secondary)))

    def search(self, text: str):
        """Entries whose title, description or an organisation's name contains the text."""
        organisations = EntryOrganisation.objects.filter(entry=OuterRef("pk"), name__icontains=text)
        return self.filter(
            Q(title__icontains=text) | Q(description__icontains=text) | Q(Exists(organisations))
        )

    def visible_to(self, user):
        """What a person may see in the upload pages and the admin: staff who may validate see
        everything; focal points and contributors only their partners' entries."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("jvap.upload_for_any_partner"):
            return self
        return self.filter(partner__accesses__user=user).distinct()

    def for_listing(self):
        """Everything a list or an export shows, fetched without a query per row."""
        # The related rows in their models' order within each entry, without that order's
        # "entry" (which sorts by the entries' own order: two more joins per prefetch).
        return self.select_related("domain", "partner", "partner__organisation").prefetch_related(
            "secondary_domains",
            Prefetch("countries", EntryCountry.objects.order_by("entry_id", "country")),
            Prefetch(
                "organisations", EntryOrganisation.objects.order_by("entry_id", "role", "position")
            ),
        )

    def active_in(self, year: int):
        """Entries that ran at some point in the year (open-ended dates count as running)."""
        return self.filter(
            Q(start_date__isnull=True) | Q(start_date__lte=datetime.date(year, 12, 31)),
            Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)),
        )


class JvapEntry(ChoiceLabelsMixin, models.Model):
    """A project or a policy a partner runs under the Joint Valletta Action Plan."""

    class Type(models.TextChoices):
        PROJECT = "project", _("Project")
        POLICY = "policy", _("Policy")

    # A context of their own: French agrees them with "projet" (prévu, terminé), where the
    # same English words describe meetings and grants elsewhere.
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("JVAP entry status", "Planned")
        ONGOING = "ongoing", pgettext_lazy("JVAP entry status", "Ongoing")
        COMPLETED = "completed", pgettext_lazy("JVAP entry status", "Completed")

    class DialogueChoice(models.TextChoices):
        RABAT = "rabat", _("Rabat Process")
        KHARTOUM = "khartoum", _("Khartoum Process")
        BOTH = "both", _("Both")

    class ReviewState(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting validation")
        PUBLISHED = "published", _("Validated and published")
        RETURNED = "returned", _("Returned with a comment")

    partner = models.ForeignKey(
        ReportingPartner,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text=_("The state or organisation that reports the entry."),
    )
    reference = models.CharField(
        max_length=100,
        help_text=_("The partner's own identifier; a later upload with it updates this entry."),
    )
    title = models.CharField(max_length=500)
    type = models.CharField(max_length=20, choices=Type.choices)
    domain = models.ForeignKey(
        Domain,
        on_delete=models.PROTECT,
        related_name="jvap_entries",
        verbose_name=_("main JVAP domain"),
    )
    secondary_domains = models.ManyToManyField(
        Domain, blank=True, related_name="jvap_secondary_entries"
    )
    budget_eur = models.DecimalField(
        _("budget (EUR)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("In euros; empty for most policies."),
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    dialogue = models.CharField(
        max_length=20,
        choices=DialogueChoice.choices,
        blank=True,
        help_text=_("The dialogue the entry relates to; empty when neither."),
    )
    description = models.TextField(blank=True)
    website = SafeURLField(max_length=500, blank=True)
    campaign_year = models.PositiveSmallIntegerField(
        help_text=_("The campaign the entry was last reported in.")
    )
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.SUBMITTED
    )
    review_comment = models.TextField(
        blank=True, help_text=_("Why the entry was returned; the focal point reads it.")
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JvapEntryQuerySet.as_manager()

    class Meta:
        ordering = ["partner__code", "reference"]
        verbose_name = _("JVAP entry")
        verbose_name_plural = _("JVAP entries")
        permissions = [
            ("publish_jvapentry", _("Can validate, publish and return JVAP entries")),
            ("upload_for_any_partner", _("Can upload JVAP entries on behalf of any partner")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "reference"], name="jvap_entry_reference_unique_per_partner"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="jvap_entry_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="jvap_entry_budget_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["review_state", "domain"]),
            models.Index(fields=["review_state", "type"]),
            models.Index(fields=["review_state", "status"]),
            models.Index(fields=["review_state", "dialogue"]),
            models.Index(fields=["review_state", "partner"]),
            models.Index(fields=["start_date", "end_date"]),
            models.Index(fields=["budget_eur"]),
            models.Index(fields=["campaign_year"]),
            models.Index(fields=["title"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("jvap:entry_detail", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def is_published(self) -> bool:
        return self.review_state == self.ReviewState.PUBLISHED


class EntryCountry(models.Model):
    """A country where an entry is implemented (one row per country)."""

    entry = models.ForeignKey(JvapEntry, on_delete=models.CASCADE, related_name="countries")
    country = CountryField()

    class Meta:
        ordering = ["entry", "country"]
        verbose_name = _("country of implementation")
        verbose_name_plural = _("countries of implementation")
        constraints = [
            models.UniqueConstraint(fields=["entry", "country"], name="jvap_entry_country_once")
        ]
        indexes = [models.Index(fields=["country", "entry"])]

    def __str__(self) -> str:
        return str(self.country.name)


class EntryOrganisation(models.Model):
    """An implementing organisation or a donor of an entry, as the partner named it.

    Names are kept as written (partners name hundreds of bodies the portal has no record of);
    `organisation` links the name to a portal organisation when one matches.
    """

    class Role(models.TextChoices):
        IMPLEMENTER = "implementer", _("Implementing organisation")
        DONOR = "donor", _("Donor")

    entry = models.ForeignKey(JvapEntry, on_delete=models.CASCADE, related_name="organisations")
    role = models.CharField(max_length=20, choices=Role.choices)
    name = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["entry", "role", "position"]
        verbose_name = _("implementing organisation or donor")
        verbose_name_plural = _("implementing organisations and donors")
        indexes = [models.Index(fields=["role", "name"])]

    def __str__(self) -> str:
        return self.name


def upload_file_path(instance: EntryUpload, filename: str) -> str:
    return f"jvap/uploads/{timezone.now():%Y/%m}/{filename}"


class EntryUpload(models.Model):
    """One spreadsheet a partner sent, kept with its outcome so nothing is ever lost."""

    class State(models.TextChoices):
        READING = "reading", _("Being read")
        PREVIEWED = "previewed", _("Previewed, awaiting confirmation")
        REFUSED = "refused", _("Refused (errors)")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", pgettext_lazy("upload state", "Cancelled")
        INTERRUPTED = "interrupted", _("Interrupted (the file can be read again)")

    partner = models.ForeignKey(ReportingPartner, on_delete=models.PROTECT, related_name="uploads")
    campaign = models.ForeignKey(
        DataCollectionCampaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    file = models.FileField(upload_to=upload_file_path, max_length=300, storage=upload_storage)
    original_name = models.CharField(max_length=255)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PREVIEWED)
    publish = models.BooleanField(
        default=False, help_text=_("Entries were validated and published on confirmation.")
    )
    new_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Issue 12: the file is read once, by a task (jvap.tasks), and what it would change is kept
    # here for the preview page; confirmation runs as a task too.
    preview = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("What the file would change, as read once when it was uploaded."),
    )
    confirm_queued = models.BooleanField(
        default=False, editable=False, help_text=_("The confirmation is being saved.")
    )
    confirm_error = models.TextField(blank=True, editable=False)
    # A worker process can die in the middle of a task (killed, out of memory, redeployed):
    # the task beats while it works, and an upload silent for longer than the parse time
    # limit is started again once, then shown as interrupted (jvap.tasks.upload_recover).
    worked_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the task reading or saving the upload last showed it was working."),
    )
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    restarts = models.PositiveSmallIntegerField(
        default=0,
        editable=False,
        help_text=_("How often the reading or saving was started again after an interruption."),
    )
    announced_at = models.DateTimeField(
        _("announced to the secretariat"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the secretariat's digest e-mail told of this confirmed upload."),
    )

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        indexes = [models.Index(fields=["campaign", "partner", "state"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.partner}, {self.uploaded_at:%Y-%m-%d %H:%M})"


class PartnerAccess(models.Model):
    """Who may upload for a partner: its focal points and the contributors they designated.

    A focal point may designate contributors for their own partner; contributors upload but
    cannot designate anyone.
    """

    class Role(models.TextChoices):
        FOCAL_POINT = "focal-point", _("Focal point")
        CONTRIBUTOR = "contributor", _("Contributor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jvap_accesses"
    )
    partner = models.ForeignKey(ReportingPartner, on_delete=models.CASCADE, related_name="accesses")
    role = models.CharField(max_length=20, choices=Role.choices)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner", "role", "user__username"]
        verbose_name = _("partner access")
        verbose_name_plural = _("partner accesses")
        constraints = [
            models.UniqueConstraint(fields=["user", "partner"], name="jvap_access_once_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.partner} ({self.get_role_display()})"


class EntryChange(models.Model):
    """One change to an entry in its history: who, when, what changed and from which upload.

    `changes` maps each changed field to `[old, new]`, both as the spreadsheet would show them.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        PUBLISHED = "published", _("Validated and published")
        RETURNED = "returned", _("Returned with a comment")
        EDITED = "edited", _("Edited in the admin")

    entry = models.ForeignKey(JvapEntry, on_delete=models.CASCADE, related_name="changes")
    upload = models.ForeignKey(
        EntryUpload, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20, choices=Action.choices)
    changes = models.JSONField(default=dict, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("entry change")
        verbose_name_plural = _("entry history")
        indexes = [models.Index(fields=["entry", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.get_action_display()} {self.changed_at:%Y-%m-%d %H:%M}"


class PublicFigures(models.Model):
    """The figures of the *unfiltered* public JVAP pages, in one language: the dashboard's
    totals and charts and the listing's facet counts, computed by a background task after each
    change of the data (`jvap.public_figures`), so that no visitor waits for them.

    They are derived data, never edited: a page uses them only while `data_version` is the
    current data version (core.caching), and computes the figures itself otherwise.
    """

    derived_data = True  # core.derived: never backed up or edited

    language = models.CharField(max_length=10, unique=True)
    data_version = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    dashboard = models.JSONField()
    facet_counts = models.JSONField()

    class Meta:
        verbose_name = _("precomputed public figures")
        verbose_name_plural = _("precomputed public figures")

    def __str__(self) -> str:
        return f"{self.language} {self.computed_at:%Y-%m-%d %H:%M}"


class PublicWordCounts(models.Model):
    """The listing's facet counts for a search of one frequent word and no other filter,
    kept by the task that keeps `PublicFigures` (`jvap.public_figures.refresh`).

    Counting a search's facets reads every entry the words match; a frequent word matches a
    large share of the entries (at 1,000,000 entries, "border" matches 79,000: 180 ms of
    counting), where its kept row is one read. Derived data, never edited: a page uses a row
    as it uses `PublicFigures` (`jvap.public_figures.word_counts`)."""

    derived_data = True  # core.derived: never backed up or edited

    word = models.CharField(max_length=100, unique=True)
    data_version = models.CharField(max_length=64)
    entries = models.PositiveIntegerField()
    facet_counts = models.JSONField()

    class Meta:
        verbose_name = _("precomputed counts of a frequent word")
        verbose_name_plural = _("precomputed counts of frequent words")

    def __str__(self) -> str:
        return f"{self.word}: {self.entries}"


# --- The read model of the public figures (jvap.read_model) ----------------------------------


class PublishedCategories(models.Model):
    """The columns of a published entry that the public filters with a handful of options
    read (the main domain, type, status and dialogue): about 80 combinations, whatever the
    number of entries.

    Derived data, never edited: `jvap.read_model.refresh_tables` rebuilds every table from the
    published entries after each change of the data.
    """

    derived_data = True  # core.derived: never backed up or edited
    # The public filters a table's columns answer (`jvap.read_model`).
    answers = frozenset({"domain", "type", "status", "dialogue"})

    domain_number = models.PositiveSmallIntegerField()
    type = models.CharField(max_length=20)
    status = models.CharField(max_length=20)
    dialogue = models.CharField(max_length=20)

    class Meta:
        abstract = True


class PublishedChoices(PublishedCategories):
    """The columns of a published entry that the public filters with a few options read (the
    main domain, type, status, dialogue and reporting partner)."""

    answers = frozenset({"domain", "type", "status", "dialogue", "partner"})

    partner = models.ForeignKey(
        ReportingPartner, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        abstract = True


class PublishedFacts(PublishedChoices):
    """What the public filters of a published entry read, copied beside each row of the read
    model (the entry's own row, each of its countries, each of its organisations), so that a
    facet count or a chart is one grouped query over one narrow table, filtered without a join.
    """

    budget_eur = models.DecimalField(max_digits=16, decimal_places=2, null=True)
    # The calendar years of the start and end dates (the `year` filter and the year chart).
    start_year = models.PositiveSmallIntegerField(null=True)
    end_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        abstract = True


class PublicEntry(PublishedFacts):
    """A published entry in the read model, with how many countries, donors and implementers
    it names (the parts its budget is split into).

    On PostgreSQL the row also carries two columns this model does not declare (migration
    0019, `jvap.read_model.SEARCHED_COLUMNS`): the entry's search vector, under a full-text
    index, and its countries' codes as an array, which a search's facet counts read."""

    entry = models.OneToOneField(
        JvapEntry,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    countries = models.PositiveSmallIntegerField()
    donors = models.PositiveSmallIntegerField()
    implementers = models.PositiveSmallIntegerField()
    # The id of the entry's row in `PublicEntryTally` (its combination of the choice columns,
    # numbered at each rebuild): a search's facets group the matching entries by this one
    # integer, then read the choices from the few tally rows it names.
    combination = models.PositiveIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["domain_number", "dialogue"]),
            models.Index(fields=["partner"]),
        ]

    def __str__(self) -> str:
        return str(self.entry_id)


class PublicEntryTally(PublishedChoices):
    """How many published entries have each combination of the main domain, type, status,
    dialogue and reporting partner (about 1,400 rows at 100,000 entries): a count whose
    filters all read these columns (the dashboard's domain facet under a dialogue) is a sum
    over these rows instead of a count over the entries."""

    entries = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.domain_number} {self.type} {self.status} {self.dialogue}: {self.entries}"


class PublicCountryTally(PublishedChoices):
    """How many published entries run in each country with each combination of the choice
    columns, and their shares of the budgets there (a few ten thousand rows at 100,000
    entries or at a million): counts by country, and counts in one country, whose other
    filters read only the choice columns, are sums over these rows."""

    answers = PublishedChoices.answers | {"country"}

    country = models.CharField(max_length=2)
    entries = models.PositiveIntegerField()
    funding = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["country", "domain_number"]),
            models.Index(fields=["domain_number", "dialogue"]),
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.domain_number} {self.type} {self.status}: {self.entries}"


class PublicYearTally(PublishedCategories):
    """The published entries grouped by the categories, their start and end years and whether
    they name a donor and an implementer: how many, their funding (the exact sum of their
    budgets) and how many have a budget (about 10,000 rows, at 100,000 entries as at a
    million). The dashboard's totals and its domain and year charts are sums of them
    (`Selection.groups`)."""

    start_year = models.PositiveSmallIntegerField(null=True)
    end_year = models.PositiveSmallIntegerField(null=True)
    names_donor = models.BooleanField()
    names_implementer = models.BooleanField()
    entries = models.PositiveIntegerField()
    funding = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    budgets = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["domain_number", "dialogue"])]

    def __str__(self) -> str:
        return f"{self.domain_number} {self.start_year}-{self.end_year}: {self.entries}"


class PublicOrganisationTally(PublishedCategories):
    """How many published entries of each combination of the categories name each donor or
    implementer, and its shares of their budgets (the donor and implementer charts)."""

    role = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    entries = models.PositiveIntegerField()
    funding = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["role", "domain_number", "dialogue"])]

    def __str__(self) -> str:
        return f"{self.name} {self.domain_number} {self.dialogue}: {self.entries}"


class PublicFlowTally(models.Model):
    """How many published entries of each main domain and dialogue fund each (donor,
    implementer) pair, and the budget that flows between them (the funding-flows chart when
    the filters read only these two columns): the pairs are many, so the other categories
    would multiply the rows instead of grouping them."""

    derived_data = True  # core.derived: never backed up or edited
    answers = frozenset({"domain", "dialogue"})

    domain_number = models.PositiveSmallIntegerField()
    dialogue = models.CharField(max_length=20)
    donor = models.CharField(max_length=300)
    implementer = models.CharField(max_length=300)
    entries = models.PositiveIntegerField()
    funding = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["domain_number", "dialogue"])]

    def __str__(self) -> str:
        return f"{self.donor} → {self.implementer} {self.domain_number}: {self.entries}"


class PublicEntryCountry(PublishedFacts):
    """A country of a published entry, with its even share of the entry's budget."""

    entry = models.ForeignKey(
        JvapEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    country = models.CharField(max_length=2)
    share = models.FloatField(null=True)
    # The entry's dates, by which a page of the entries in one country is sorted here, without
    # reading each of them in the entries' table (`jvap.views.public.country_ordering`).
    start_date = models.DateField(null=True)
    end_date = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["country", "entry"]),
            models.Index(fields=["domain_number", "dialogue"]),
            # The entries of a country under the choice filters, for the listing's page
            # (`EntryListView.paginate_queryset`): the rows it selects, not a country's.
            models.Index(fields=["country", "domain_number", "dialogue", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.country}"


class PublicEntryOrganisation(PublishedFacts):
    """A donor or implementer of a published entry, with the number of organisations of its
    role in the entry (`parts`) and its even share of the entry's budget."""

    entry = models.ForeignKey(
        JvapEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    role = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    parts = models.PositiveSmallIntegerField()
    share = models.FloatField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["role", "name"]),
            models.Index(fields=["role", "domain_number", "dialogue"]),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.name}"


class PublicEntryFlow(PublishedFacts):
    """A pair of one donor and one implementer named by a published entry, with the entry's
    budget share that flows between them (split evenly over its donor × implementer pairs):
    the funding-flows chart is one grouped query over these rows, not a join of the
    organisations to themselves per request. One row per entry and distinct pair of names."""

    entry = models.ForeignKey(
        JvapEntry, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    donor = models.CharField(max_length=300)
    implementer = models.CharField(max_length=300)
    share = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["domain_number", "dialogue"])]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.donor} → {self.implementer}"


class NotificationSettings(models.Model):
    """Which e-mails of the JVAP database a person receives; all of them until turned off
    (jvap.notifications). A person without a row receives everything."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jvap_notification_settings",
    )
    review_mails = models.BooleanField(
        _("e-mail me when our entries are validated or returned"),
        default=True,
        help_text=_("For focal points and contributors: one e-mail per review, with the comment."),
    )
    upload_digests = models.BooleanField(
        _("e-mail me when uploads are confirmed"),
        default=True,
        help_text=_("For the secretariat: what a confirmed upload submitted for validation."),
    )

    class Meta:
        verbose_name = _("e-mail notification settings")
        verbose_name_plural = _("e-mail notification settings")

    def __str__(self) -> str:
        return str(self.user)
