"""The MMD Grant Facility: its calls for proposals, the grants it awards, the consortia of
organisations that carry them out, and what they produce.

Organisations, dialogues and JVAP domains are the dialogues app's records, so that a
diaspora organisation that sits in a Rabat Process meeting and leads a grant is one record.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.fields import SafeURLField
from core.images import refuse_large_image, safe_image_file
from core.slugs import GeneratedSlugMixin
from core.uploads import RandomFilename, SafeDocumentField, SafeImageField
from dialogues.models import (
    SOURCE_NOTE_HELP,
    Dialogue,
    Domain,
    LocalizedFieldsMixin,
    Organisation,
)

from .regions import AFRICAN_COUNTRIES, EUROPEAN_COUNTRIES

# Organisation types a call may open to: the non-state actors and local authorities the
# Facility works with.
APPLICANT_TYPES = [
    (value, label)
    for value, label in Organisation.Type.choices
    if value
    in {
        Organisation.Type.CIVIL_SOCIETY,
        Organisation.Type.RESEARCH,
        Organisation.Type.DIASPORA,
        Organisation.Type.LOCAL_AUTHORITY,
        Organisation.Type.SOCIAL_ENTERPRISE,
        Organisation.Type.OTHER,
    }
]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# --- Calls for proposals ------------------------------------------------------------------


class CallStatus(models.TextChoices):
    FORTHCOMING = "forthcoming", _("Forthcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    AWARDED = "awarded", _("Awarded")


# Open calls first on the calls page, then those about to open, then the past ones.
CALL_STATUS_ORDER = {
    CallStatus.OPEN: 0,
    CallStatus.FORTHCOMING: 1,
    CallStatus.CLOSED: 2,
    CallStatus.AWARDED: 3,
}


class CallQuerySet(models.QuerySet):
    def published(self):
        """The calls visitors may see."""
        return self.filter(is_published=True)

    def with_status(self, today: datetime.date | None = None):
        """Annotate `derived_status` (the status the dates give, or the recorded one) and
        `status_rank` (open first), computed in the database like `Call.status_on()`."""
        today = today or timezone.localdate()
        final_deadline = Coalesce("full_application_deadline", "concept_note_deadline")
        derived = Case(
            When(~Q(status_override=""), then=F("status_override")),
            When(awarded_on__lte=today, then=Value(CallStatus.AWARDED.value)),
            When(opens_on__gt=today, then=Value(CallStatus.FORTHCOMING.value)),
            When(
                Q(full_application_deadline__lt=today)
                | Q(full_application_deadline__isnull=True, concept_note_deadline__lt=today),
                then=Value(CallStatus.CLOSED.value),
            ),
            When(
                Q(opens_on__lte=today)
                | Q(concept_note_deadline__gte=today)
                | Q(full_application_deadline__gte=today),
                then=Value(CallStatus.OPEN.value),
            ),
            default=Value(""),
            output_field=models.CharField(),
        )
        rank = Case(
            *[
                When(derived_status=status, then=Value(rank))
                for status, rank in CALL_STATUS_ORDER.items()
            ],
            # A call without published dates is still to come: it ranks with the forthcoming
            # ones, after the open calls and before the closed ones.
            default=Value(CALL_STATUS_ORDER[CallStatus.FORTHCOMING]),
            output_field=models.IntegerField(),
        )
        return self.annotate(derived_status=derived, final_deadline=final_deadline).annotate(
            status_rank=rank
        )

    def open_first(self, today: datetime.date | None = None):
        """Open calls first, then forthcoming, closed and awarded. Open and forthcoming calls
        by the nearest deadline, past calls by the most recent one."""
        upcoming = CALL_STATUS_ORDER[CallStatus.FORTHCOMING]
        return (
            self.with_status(today)
            .annotate(
                upcoming_deadline=Case(
                    When(status_rank__lte=upcoming, then=F("final_deadline")), default=None
                ),
                past_deadline=Case(
                    When(status_rank__gt=upcoming, then=F("final_deadline")), default=None
                ),
            )
            .order_by(
                "status_rank",
                F("upcoming_deadline").asc(nulls_last=True),
                F("past_deadline").desc(nulls_last=True),
                "title",
            )
        )


class Call(GeneratedSlugMixin, LocalizedFieldsMixin, models.Model):
    """A call for proposals of the Grant Facility, with its budget, eligibility and deadlines.

    Its status comes from the dates (forthcoming before the opening date, open until the last
    deadline, closed after it, awarded from the award date). `status_override` is only for a
    call whose dates do not tell, and stays empty otherwise.
    """

    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=80,
        unique=True,
        help_text=_("The call's reference as the Facility publishes it."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the page address: /grants/calls/<slug>/. Leave empty to make it from the "
            "reference."
        ),
    )
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What the call funds, in a few sentences.")
    )
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    priorities = models.TextField(
        _("lots or priorities"), blank=True, help_text=_("One lot or priority per line.")
    )
    priorities_fr = models.TextField(_("lots or priorities (French)"), blank=True)
    budget_eur = models.DecimalField(
        _("budget available (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    grant_min_eur = models.DecimalField(
        _("smallest grant (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    grant_max_eur = models.DecimalField(
        _("largest grant (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_grants_min = models.PositiveSmallIntegerField(
        _("expected number of grants, from"), null=True, blank=True
    )
    expected_grants_max = models.PositiveSmallIntegerField(
        _("expected number of grants, to"), null=True, blank=True
    )
    # Structured eligibility: what an applicant checks first.
    max_countries = models.PositiveSmallIntegerField(
        _("maximum countries of implementation"), null=True, blank=True
    )
    min_au_member_states = models.PositiveSmallIntegerField(
        _("minimum AU member states among them"), null=True, blank=True
    )
    max_co_applicants = models.PositiveSmallIntegerField(
        _("maximum co-applicants"),
        null=True,
        blank=True,
        help_text=_("Besides the lead applicant. Leave empty when the call sets no limit."),
    )
    applicant_types = models.JSONField(
        _("eligible applicant types"),
        default=list,
        blank=True,
        help_text=_("The kinds of organisation that may apply."),
    )
    duration_months_min = models.PositiveSmallIntegerField(
        _("shortest duration (months)"), null=True, blank=True
    )
    duration_months_max = models.PositiveSmallIntegerField(
        _("longest duration (months)"), null=True, blank=True
    )
    eligibility_notes = models.TextField(
        _("eligibility notes"), blank=True, help_text=_("Any other condition, in a few sentences.")
    )
    eligibility_notes_fr = models.TextField(_("eligibility notes (French)"), blank=True)
    opens_on = models.DateField(_("opening date"), null=True, blank=True)
    concept_note_deadline = models.DateField(_("concept note deadline"), null=True, blank=True)
    full_application_deadline = models.DateField(
        _("full application deadline"), null=True, blank=True
    )
    awarded_on = models.DateField(
        _("grants announced on"),
        null=True,
        blank=True,
        help_text=_("The day the grants of this call were announced."),
    )
    status_override = models.CharField(
        _("recorded status"),
        max_length=20,
        choices=CallStatus.choices,
        blank=True,
        help_text=_(
            "Leave empty: the status follows from the dates. Set it only when they do not tell."
        ),
    )
    is_published = models.BooleanField(_("published"), default=True)
    source_note = models.CharField(
        _("source note"), max_length=500, blank=True, help_text=SOURCE_NOTE_HELP
    )

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = CallQuerySet.as_manager()
    history = HistoricalRecords()

    slug_sources = ("reference", "title")

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(grant_min_eur__isnull=True)
                | Q(grant_max_eur__isnull=True)
                | Q(grant_max_eur__gte=F("grant_min_eur")),
                name="call_grant_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(budget_eur__isnull=True) | Q(budget_eur__gte=0),
                name="call_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(grant_min_eur__isnull=True) | Q(grant_min_eur__gte=0),
                name="call_grant_min_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(duration_months_min__isnull=True)
                | Q(duration_months_max__isnull=True)
                | Q(duration_months_max__gte=F("duration_months_min")),
                name="call_duration_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(concept_note_deadline__isnull=True)
                | Q(full_application_deadline__isnull=True)
                | Q(full_application_deadline__gte=F("concept_note_deadline")),
                name="call_full_application_after_concept_note",
            ),
        ]

    def __str__(self) -> str:
        return self.localized("title")

    def get_absolute_url(self) -> str:
        return reverse("grants:call_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        if self.grant_min_eur is not None and self.grant_max_eur is not None:
            if self.grant_max_eur < self.grant_min_eur:
                errors["grant_max_eur"] = _(
                    "The largest grant cannot be smaller than the smallest."
                )
        if self.duration_months_min and self.duration_months_max:
            if self.duration_months_max < self.duration_months_min:
                errors["duration_months_max"] = _(
                    "The longest duration cannot be shorter than the shortest."
                )
        if self.concept_note_deadline and self.full_application_deadline:
            if self.full_application_deadline < self.concept_note_deadline:
                errors["full_application_deadline"] = _(
                    "The full application deadline cannot be before the concept note deadline."
                )
        unknown = set(self.applicant_types or []) - {value for value, _label in APPLICANT_TYPES}
        if unknown:
            errors["applicant_types"] = _("Unknown applicant types: %(types)s.") % {
                "types": ", ".join(sorted(unknown))
            }
        if errors:
            raise ValidationError(errors)

    @property
    def final_deadline_date(self) -> datetime.date | None:
        return self.full_application_deadline or self.concept_note_deadline

    def status_on(self, today: datetime.date | None = None) -> str:
        """The status on a date (today by default); empty when neither dates nor a recorded
        status tell. Mirrors `CallQuerySet.with_status()`."""
        today = today or timezone.localdate()
        if self.status_override:
            return self.status_override
        if self.awarded_on and self.awarded_on <= today:
            return CallStatus.AWARDED
        if self.opens_on and self.opens_on > today:
            return CallStatus.FORTHCOMING
        deadline = self.final_deadline_date
        if deadline and deadline < today:
            return CallStatus.CLOSED
        if (self.opens_on and self.opens_on <= today) or (deadline and deadline >= today):
            return CallStatus.OPEN
        return ""

    @property
    def status(self) -> str:
        annotated = getattr(self, "derived_status", None)
        return annotated if annotated is not None else self.status_on()

    @property
    def status_label(self) -> str:
        if not self.status:
            return _("Dates not yet published")
        return CallStatus(self.status).label

    def priority_lines(self) -> list[str]:
        return _lines(self.localized("priorities"))

    def applicant_type_labels(self) -> list[str]:
        labels = dict(APPLICANT_TYPES)
        return [labels[value] for value in self.applicant_types or [] if value in labels]


class CallDocument(LocalizedFieldsMixin, models.Model):
    """The guidelines, application forms and other documents of a call, as a file or a link."""

    class Kind(models.TextChoices):
        GUIDELINES = "guidelines", _("Guidelines for applicants")
        FORM = "form", _("Application form")
        FAQ = "faq", _("Questions and answers")
        OTHER = "other", _("Other document")

    call = models.ForeignKey(
        Call,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("call for proposals"),
    )
    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDELINES)
    file = SafeDocumentField(_("file"), upload_to=RandomFilename("grants/calls"), blank=True)
    url = SafeURLField(_("link"), blank=True)
    display_order = models.PositiveSmallIntegerField(_("display order"), default=100)

    class Meta:
        ordering = ["call", "display_order", "title"]
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="call_document_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if not self.file and not self.url:
            raise ValidationError(_("Attach a file or give a link."))

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url


# --- Grants ---------------------------------------------------------------------------------


def validate_cover_image(image) -> None:
    """Refuse cover images that are too heavy or too small to show well."""
    refuse_large_image(image, settings.GRANT_COVER_MAX_BYTES)
    width = getattr(image, "width", None)
    height = getattr(image, "height", None)
    minimum = settings.GRANT_COVER_MIN_SIDE
    if width is not None and height is not None and min(width, height) < minimum:
        raise ValidationError(
            _(
                "The image is %(width)s×%(height)s pixels; "
                "give one at least %(minimum)s pixels on each side."
            )
            % {"width": width, "height": height, "minimum": minimum}
        )


class GrantQuerySet(models.QuerySet):
    def published(self):
        """The grants visitors may see: every public page, export and figure uses this."""
        return self.filter(is_published=True)

    def for_listing(self):
        """What a download and a grant's page show (its consortium, countries, call,
        dialogues and domains), fetched in a fixed number of queries."""
        return (
            self.select_related("call")
            .prefetch_related(
                models.Prefetch(
                    "consortium",
                    queryset=ConsortiumMember.objects.select_related("organisation").order_by(
                        "role_order", "organisation__name"
                    ),
                ),
                models.Prefetch("countries", queryset=GrantCountry.objects.order_by("country")),
            )
            .prefetch_related("dialogues", "domains")
        )

    def for_rows(self):
        """What a row of the grants listing's page shows: its lead applicant and countries,
        kept as lists (`lead_members`, `country_rows`, read by `lead_member()` and
        `country_codes()`). Prefetched into the related managers, with every member of the
        consortium, the same rows cost three times as much (a manager and a filtered queryset
        built per grant and relation)."""
        return self.prefetch_related(
            models.Prefetch(
                "consortium",
                queryset=ConsortiumMember.objects.filter(
                    role=ConsortiumMember.Role.LEAD
                ).select_related("organisation"),
                to_attr="lead_members",
            ),
            models.Prefetch(
                "countries",
                queryset=GrantCountry.objects.order_by("country"),
                to_attr="country_rows",
            ),
        )

    def search(self, text: str):
        """Grants whose reference, title or summary, or one of whose organisations, matches."""
        members = ConsortiumMember.objects.filter(grant=OuterRef("pk")).filter(
            Q(organisation__name__icontains=text)
            | Q(organisation__acronym__icontains=text)
            | Q(organisation__name_fr__icontains=text)
        )
        return self.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(title_fr__icontains=text)
            | Q(summary__icontains=text)
            | Q(summary_fr__icontains=text)
            | Exists(members)
        )


# Addresses under /grants/ that a grant's slug must not take.
RESERVED_GRANT_SLUGS = frozenset({"calls", "export"})


class Partnership(models.TextChoices):
    """How a consortium joins the continents, from its members' countries."""

    SOUTH_NORTH = "south-north", _("South-North")
    SOUTH_SOUTH = "south-south", _("South-South")

    @classmethod
    def of(cls, countries: Iterable[str | None]) -> str:
        """The partnership of a consortium whose members are based in these countries:
        "south-north" when it joins African and European members, "south-south" when every
        member with a known country is based in Africa, empty otherwise. Members whose country
        is not recorded (empty, or None for a grant without members) do not count."""
        known = {country for country in countries if country}
        if not known & AFRICAN_COUNTRIES:
            return ""
        if known & EUROPEAN_COUNTRIES:
            return cls.SOUTH_NORTH.value
        return cls.SOUTH_SOUTH.value if known <= AFRICAN_COUNTRIES else ""


class Grant(GeneratedSlugMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model):
    """A grant the Facility awarded to a consortium for an initiative in one or more countries.

    It links the initiative to the dialogues and the JVAP domains it contributes to. Drafts
    (`is_published` unticked) stay in the admin until the secretariat publishes them.
    """

    # A context of their own: French agrees them with "subvention" (terminée, suspendue),
    # where the same English words describe projects and meetings elsewhere.
    class Status(models.TextChoices):
        ONGOING = "ongoing", pgettext_lazy("grant status", "Ongoing")
        COMPLETED = "completed", pgettext_lazy("grant status", "Completed")
        SUSPENDED = "suspended", pgettext_lazy("grant status", "Suspended")

    reference = models.CharField(
        _("reference"), max_length=80, unique=True, help_text=_("The grant contract's reference.")
    )
    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "Part of the page address: /grants/<slug>/. Leave empty to make it from the title."
        ),
    )
    summary = models.TextField(
        _("summary"), help_text=_("What the initiative does, in a few sentences.")
    )
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    call = models.ForeignKey(
        Call,
        verbose_name=_("call for proposals"),
        on_delete=models.PROTECT,
        related_name="grants",
        help_text=_("The call for proposals the grant was awarded under."),
    )
    amount_eur = models.DecimalField(
        _("amount awarded (EUR)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    co_financing_eur = models.DecimalField(
        _("co-financing (EUR)"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("What the consortium contributes itself."),
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ONGOING
    )
    dialogues = models.ManyToManyField(
        Dialogue,
        verbose_name=_("dialogues"),
        blank=True,
        related_name="grants",
        help_text=_("The dialogues it contributes to."),
    )
    domains = models.ManyToManyField(
        Domain,
        blank=True,
        related_name="grants",
        verbose_name=_("JVAP domains"),
        help_text=_("The JVAP domains it contributes to."),
    )
    website = SafeURLField(_("website"), blank=True)
    cover_image = SafeImageField(
        _("cover image"),
        upload_to=RandomFilename("grants/covers"),
        blank=True,
        validators=[validate_cover_image],
        help_text=_("A landscape photo of the initiative; large photos are scaled down on upload."),
    )
    cover_image_alt = models.CharField(
        _("cover image description"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for visitors who cannot see it."),
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Tick when the grant may appear on the public pages."),
    )
    source_note = models.CharField(
        _("source note"), max_length=500, blank=True, help_text=SOURCE_NOTE_HELP
    )

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = GrantQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=["dialogues", "domains"])

    slug_sources = ("title", "reference")
    reserved_slugs = RESERVED_GRANT_SLUGS

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="grant_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(amount_eur__gte=0), name="grant_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(co_financing_eur__gte=0), name="grant_co_financing_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.reference} – {self.localized('title')}"

    def save(self, *args, **kwargs):
        if self.cover_image:
            self.cover_image = safe_image_file(
                self.cover_image,
                max_side=settings.GRANT_COVER_MAX_SIDE,
                max_bytes=settings.GRANT_COVER_MAX_BYTES,
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("grants:grant_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end date cannot be before the start date.")})
        if self.slug in RESERVED_GRANT_SLUGS:
            raise ValidationError(
                {"slug": _("This address is taken by another page; choose another.")}
            )

    def lead_member(self) -> ConsortiumMember | None:
        """The lead applicant, from the prefetched consortium when there is one."""
        leads = getattr(self, "lead_members", None)  # GrantQuerySet.for_rows()
        if leads is not None:
            return leads[0] if leads else None
        return next(
            (m for m in self.consortium.all() if m.role == ConsortiumMember.Role.LEAD), None
        )

    def country_codes(self) -> list[str]:
        """The countries of implementation's codes, by code."""
        rows = getattr(self, "country_rows", None)  # GrantQuerySet.for_rows()
        return [c.country.code for c in (self.countries.all() if rows is None else rows)]


class GrantCountry(models.Model):
    """A country where a grant's initiative is carried out (one row per country, so that
    listings filter on it and the figures count countries in the database)."""

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="countries", verbose_name=_("grant")
    )
    country = CountryField(_("country"))

    class Meta:
        ordering = ["grant", "country"]
        verbose_name = _("country of implementation")
        verbose_name_plural = _("countries of implementation")
        constraints = [
            models.UniqueConstraint(fields=["grant", "country"], name="grant_country_once")
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return str(self.country.name)


class ConsortiumMember(models.Model):
    """An organisation in a grant's consortium, as lead applicant, co-applicant or
    affiliated entity. Its type and country are the organisation's own."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead applicant")
        CO_APPLICANT = "co-applicant", _("Co-applicant")
        AFFILIATED = "affiliated", _("Affiliated entity")

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="consortium", verbose_name=_("grant")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="grant_memberships",
        verbose_name=_("organisation"),
        help_text=_("Its type and country are the organisation's own; edit them there."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.CO_APPLICANT
    )
    # Lead first, then co-applicants, then affiliated entities: kept in step with `role`.
    role_order = models.PositiveSmallIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "role_order", "organisation__name"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        constraints = [
            models.UniqueConstraint(
                fields=["grant"], condition=Q(role="lead"), name="one_lead_applicant_per_grant"
            ),
            models.UniqueConstraint(
                fields=["grant", "organisation"], name="organisation_once_per_consortium"
            ),
        ]

    ROLE_ORDER = {Role.LEAD: 0, Role.CO_APPLICANT: 1, Role.AFFILIATED: 2}

    def __str__(self) -> str:
        return f"{self.organisation} – {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.role_order = self.ROLE_ORDER.get(self.role, 1)
        super().save(*args, **kwargs)


class Output(LocalizedFieldsMixin, models.Model):
    """Something a grant produced: a publication, a policy brief, an event, as a file or link."""

    class Kind(models.TextChoices):
        PUBLICATION = "publication", _("Publication")
        POLICY_BRIEF = "policy-brief", _("Policy brief")
        EVENT = "event", _("Event")
        OTHER = "other", _("Other")

    grant = models.ForeignKey(
        Grant, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("grant")
    )
    title = models.CharField(_("title"), max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.PUBLICATION
    )
    date = models.DateField(_("date"), null=True, blank=True)
    file = SafeDocumentField(_("file"), upload_to=RandomFilename("grants/outputs"), blank=True)
    url = SafeURLField(_("link"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "-date", "title"]
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="output_file_or_link")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if not self.file and not self.url:
            raise ValidationError(_("Attach a file or give a link."))

    @property
    def href(self) -> str:
        return self.file.url if self.file else self.url
