"""The base of the portal: the dialogues, who takes part in them, who steers them, and what
they meet about and publish. The JVAP and grants apps build on these records."""

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Max, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.choices import ChoiceLabelsMixin
from core.country_names import country_name
from core.dates import DatePrecision, PreciseDatesMixin, precision_field
from core.fields import SafeURLField
from core.images import image_thumbnail, safe_image_file
from core.slugs import GeneratedSlugMixin
from core.uploads import RandomFilename, SafeDocumentField, SafeImageField

SLUG_HELP = _("Part of the page address. Leave it empty to have one made from the name or title.")

SOURCE_NOTE_HELP = _(
    "Where this fact comes from (a seed document, a public page, a decision). "
    "Reference data always keeps one; say here when a date is the nearest one a source supports."
)


class LocalizedFieldsMixin:
    """Gives content fields with a French twin (`summary` / `summary_fr`) the visitor's version.

    French visitors see the `_fr` field when it is filled, everyone else the English field.
    """

    def localized(self, field_name: str) -> str:
        """Return the field in the active language, falling back to English."""
        if (get_language() or "en").startswith("fr"):
            french = getattr(self, f"{field_name}_fr", "")
            if french:
                return french
        return getattr(self, field_name)


class Domain(GeneratedSlugMixin, LocalizedFieldsMixin, models.Model):
    """One of the five domains of the Joint Valletta Action Plan.

    They double as the thematic areas of meetings, frameworks and grants, so that a meeting on
    trafficking and a JVAP project on trafficking meet in one place.
    """

    number = models.PositiveSmallIntegerField(
        unique=True, help_text=_("The domain's number in the Valletta Action Plan, 1 to 5.")
    )
    slug = models.SlugField(unique=True, blank=True, help_text=SLUG_HELP)
    name = models.CharField(max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    slug_sources = ("name",)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="domain_number_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.localized('name')}"


class OrganisationQuerySet(models.QuerySet):
    def search(self, text: str):
        """Organisations whose name or acronym contains the text."""
        return self.filter(
            Q(name__icontains=text) | Q(acronym__icontains=text) | Q(name_fr__icontains=text)
        )


class Organisation(GeneratedSlugMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model):
    """An institution that takes part in a dialogue, steers it, hosts a meeting or joins a grant.

    There is one record per organisation, whatever it takes part in.
    """

    class Type(models.TextChoices):
        EU_INSTITUTION = "eu-institution", _("EU institution")
        AU_INSTITUTION = "au-institution", _("AU institution")
        REGIONAL_ECONOMIC_COMMUNITY = "rec", _("Regional economic community")
        UN_AGENCY = "un-agency", _("UN agency")
        INTERNATIONAL_ORGANISATION = "international-organisation", _("International organisation")
        CIVIL_SOCIETY = "civil-society", _("Civil-society organisation")
        DIASPORA = "diaspora", _("Diaspora organisation")
        RESEARCH = "research", _("Research institute or university")
        LOCAL_AUTHORITY = "local-authority", _("Local authority")
        GOVERNMENT_BODY = "government-body", _("Government body")
        SOCIAL_ENTERPRISE = "social-enterprise", _("Social enterprise")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=300, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    acronym = models.CharField(
        max_length=40, blank=True, help_text=_("The short form people use, e.g. ECOWAS, IOM.")
    )
    acronym_fr = models.CharField(
        _("acronym (French)"),
        max_length=40,
        blank=True,
        help_text=_("The French short form where it differs, e.g. CEDEAO for ECOWAS."),
    )
    slug = models.SlugField(max_length=300, unique=True, blank=True, help_text=SLUG_HELP)
    type = models.CharField(max_length=40, choices=Type.choices, default=Type.OTHER)
    country = CountryField(
        blank=True,
        help_text=_("Where it is based, for national bodies and local organisations only."),
    )
    website = SafeURLField(blank=True)
    logo = SafeImageField(upload_to=RandomFilename("organisations/logos"), blank=True)
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = OrganisationQuerySet.as_manager()

    history = HistoricalRecords()

    slug_sources = ("acronym", "name")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type"]), models.Index(fields=["acronym"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("dialogues:organisation_detail", kwargs={"slug": self.slug})

    @property
    def short_name(self) -> str:
        """The acronym in the visitor's language, or the name when there is none."""
        return self.localized("acronym") or self.localized("name")

    @property
    def name_with_acronym(self) -> str:
        """ "European Commission (EC)", "Commission européenne (CE)": how pages name it."""
        name, acronym = self.localized("name"), self.localized("acronym")
        return f"{name} ({acronym})" if acronym and acronym != name else name


class Dialogue(
    GeneratedSlugMixin, PreciseDatesMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model
):
    """A migration dialogue or programme component: the Rabat Process, the Khartoum Process,
    the C2CMMD, the JVAP follow-up, the Grant Facility, and related ICMPD dialogues."""

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental dialogue")
        CONTINENTAL = "continental", _("Continental dialogue")
        FOLLOW_UP = "follow-up", _("Follow-up mechanism")
        GRANT_FACILITY = "grant-facility", _("Grant facility")
        RELATED = "related", _("Related dialogue")

    name = models.CharField(max_length=200, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    short_name = models.CharField(
        max_length=40, help_text=_("Used in lists, filters and the map legend, e.g. 'Rabat'.")
    )
    short_name_fr = models.CharField(
        _("short name (French)"),
        max_length=40,
        blank=True,
        help_text=_("As French writes it, e.g. 'PAVC' for 'JVAP'."),
    )
    slug = models.SlugField(
        unique=True,
        blank=True,
        help_text=_(
            "Part of the page address: /dialogues/<slug>/. Leave empty to make it from the "
            "short name."
        ),
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    is_mmd_component = models.BooleanField(
        _("part of MMD"),
        default=False,
        help_text=_("Ticked for the components the MMD programme supports."),
    )
    year_established = models.PositiveSmallIntegerField(null=True, blank=True)
    founding_event = models.CharField(
        max_length=300, blank=True, help_text=_("The conference or decision that started it.")
    )
    founding_event_fr = models.CharField(_("founding event (French)"), max_length=300, blank=True)
    summary = models.TextField(
        help_text=_("Two or three sentences for lists and the top of the page.")
    )
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    objectives = models.TextField(blank=True, help_text=_("One objective per line."))
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    principles = models.TextField(blank=True, help_text=_("One principle per line."))
    principles_fr = models.TextField(_("principles (French)"), blank=True)
    contact_email = models.EmailField(
        blank=True, help_text=_("The secretariat's shared address; never a person's own address.")
    )
    website = SafeURLField(blank=True)
    logo = SafeImageField(upload_to=RandomFilename("dialogues/logos"), blank=True)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the dialogue has concluded.")
    )
    concluded_year = models.PositiveSmallIntegerField(null=True, blank=True)
    predecessor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successors",
        help_text=_("The dialogue this one continues (the C2CMMD continues the MME Partnership)."),
    )
    participants_description = models.TextField(
        _("who takes part, in words"),
        blank=True,
        help_text=_(
            "For a dialogue whose participants are not listed one by one, e.g. 'the AU and EU "
            "member states and the two commissions'. Shown instead of empty lists."
        ),
    )
    participants_description_fr = models.TextField(
        _("who takes part, in words (French)"), blank=True
    )
    records_as_of = models.DateField(
        _("records as of"),
        null=True,
        blank=True,
        help_text=_(
            "When the sources of its members, steering committee and chairs stop (e.g. a page "
            "written in 2018). Pages then say 'as of' this date instead of presenting them as "
            "current. Empty while the records are kept up to date."
        ),
    )
    records_as_of_precision = precision_field()
    display_order = models.PositiveSmallIntegerField(default=100)
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    history = HistoricalRecords()

    slug_sources = ("short_name", "name")
    precise_dates = ("records_as_of",)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("dialogues:dialogue_detail", kwargs={"slug": self.slug})

    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.localized("objectives").splitlines() if line.strip()]

    def principle_lines(self) -> list[str]:
        return [line.strip() for line in self.localized("principles").splitlines() if line.strip()]

    def chair_on(self, date: datetime.date | None = None) -> "ChairTerm | None":
        """The chair term in force on the date (today by default)."""
        return self.chair_terms.on(date).order_by("-start", "pk").first()

    def chairs_on(self, date: datetime.date | None = None):
        """The chair in force on the date, or the co-chairs who took office together."""
        terms = self.chair_terms.on(date)
        latest = terms.aggregate(latest=Max("start"))["latest"]
        return terms.filter(start=latest).select_related("organisation")

    def chair_history(self, date: datetime.date | None = None) -> "ChairHistory":
        """The current chair or co-chairs and the past chairs, from the prefetched terms."""
        return ChairHistory.of(self.chair_terms.all(), date)

    def steering_committee_on(self, date: datetime.date | None = None):
        """The steering committee seats held on the date (today by default)."""
        return self.steering_committee_seats.on(date)


class DialogueLink(models.Model):
    """A social-media or other public link of a dialogue (LinkedIn, X, YouTube...)."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(max_length=80, help_text=_("What the link is, e.g. 'LinkedIn'."))
    url = SafeURLField()

    class Meta:
        ordering = ["dialogue", "label"]

    def __str__(self) -> str:
        return f"{self.dialogue.short_name}: {self.label}"


def in_force(date: datetime.date | None = None, prefix: str = "") -> Q:
    """The condition of dated records (memberships, seats, chair terms) in force on the date,
    today by default: started (or without a start) and not yet ended. `prefix` reaches them
    through a relation (`"memberships__"`)."""
    date = date or timezone.localdate()
    started = Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": date})
    not_ended = Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": date})
    return started & not_ended


class DatedQuerySet(models.QuerySet):
    """Records with a `start` and an optional `end` date (memberships, seats, chair terms)."""

    def on(self, date: datetime.date | None = None):
        """Records in force on the date (today by default): started, and not yet ended."""
        return self.filter(in_force(date))

    def current(self):
        return self.on(None)

    def states(self):
        return self.exclude(country="")

    def organisations(self):
        return self.filter(organisation__isnull=False)


class Participant(models.Model):
    """A state or an organisation: exactly one of the two is given."""

    country = CountryField(blank=True, help_text=_("Fill in either the state or the organisation."))
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Fill in either the state or the organisation."),
    )
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    class Meta:
        abstract = True

    @classmethod
    def exactly_one_participant(cls, name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=(Q(country="") & Q(organisation__isnull=False))
            | (~Q(country="") & Q(organisation__isnull=True)),
            name=name,
        )

    @classmethod
    def unique_per_start(cls, prefix: str, *fields: str) -> list[models.UniqueConstraint]:
        """One record per participant and start date (a state's, and an organisation's)."""
        return [
            models.UniqueConstraint(
                *[models.F(field) for field in (*fields, "country")],
                Coalesce("start", Value(datetime.date(1, 1, 1))),
                condition=Q(organisation__isnull=True),
                name=f"{prefix}_unique_state_per_start",
            ),
            models.UniqueConstraint(
                *[models.F(field) for field in (*fields, "organisation")],
                Coalesce("start", Value(datetime.date(1, 1, 1))),
                condition=Q(organisation__isnull=False),
                name=f"{prefix}_unique_organisation_per_start",
            ),
        ]

    def clean(self):
        super().clean()
        if bool(self.country) == bool(self.organisation_id):
            raise ValidationError(_("Give either a state or an organisation, not both or neither."))
        start, end = getattr(self, "start", None), getattr(self, "end", None)
        if start and end and end < start:
            raise ValidationError({"end": _("The end date cannot be before the start date.")})

    def in_force_on(self, date: datetime.date | None = None) -> bool:
        """Whether this record is in force on the date (today by default), as `in_force()`."""
        date = date or timezone.localdate()
        start, end = getattr(self, "start", None), getattr(self, "end", None)
        return (start is None or start <= date) and (end is None or end >= date)

    @property
    def participant_name(self) -> str:
        """The state's name, or the organisation's name with its acronym, in the visitor's
        language ("European Commission (EC)", "Commission européenne (CE)")."""
        if self.organisation_id:
            return self.organisation.name_with_acronym
        return country_name(self.country.code)


class Membership(PreciseDatesMixin, Participant):
    """A state's or organisation's participation in a dialogue, with its dates.

    Memberships change (Egypt and Libya left the Rabat Process as partners in 2014), so the
    list on any date is the memberships whose dates cover it.
    """

    class Role(models.TextChoices):
        MEMBER = "member", _("Member / partner")
        OBSERVER = "observer", _("Observer")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(
        _("since"), null=True, blank=True, help_text=_("Leave empty when not known.")
    )
    start_precision = precision_field()
    end = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Leave empty while it lasts.")
    )
    end_precision = precision_field()
    note = models.CharField(
        max_length=300, blank=True, help_text=_("E.g. 'Signatory of the Rome Declaration'.")
    )
    note_fr = models.CharField(_("note (French)"), max_length=300, blank=True)

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    precise_dates = ("start", "end")

    class Meta:
        ordering = ["dialogue", "role", "country", "organisation__name"]
        constraints = [
            Participant.exactly_one_participant("membership_state_or_organisation"),
            *Participant.unique_per_start("membership", "dialogue", "role"),
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return f"{self.participant_name} – {self.dialogue.short_name} ({self.get_role_display()})"

    def localized_note(self) -> str:
        if (get_language() or "en").startswith("fr") and self.note_fr:
            return self.note_fr
        return self.note


class SteeringCommitteeSeat(PreciseDatesMixin, LocalizedFieldsMixin, Participant):
    """A seat on a dialogue's steering committee for a term. The committee on a date is the
    seats whose terms cover it."""

    dialogue = models.ForeignKey(
        Dialogue, on_delete=models.CASCADE, related_name="steering_committee_seats"
    )
    start = models.DateField(null=True, blank=True, help_text=_("First day of the term."))
    start_precision = precision_field()
    end = models.DateField(null=True, blank=True, help_text=_("Last day; empty while it lasts."))
    end_precision = precision_field()
    note = models.CharField(
        max_length=300, blank=True, help_text=_("E.g. 'temporarily holds Sudan's seat'.")
    )
    note_fr = models.CharField(_("note (French)"), max_length=300, blank=True)

    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    precise_dates = ("start", "end")

    class Meta:
        ordering = ["dialogue", "country", "organisation__name"]
        constraints = [
            Participant.exactly_one_participant("seat_state_or_organisation"),
            *Participant.unique_per_start("seat", "dialogue"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_name} – {self.dialogue.short_name} steering committee"

    def localized_note(self) -> str:
        return self.localized("note")


class ChairTerm(PreciseDatesMixin, Participant):
    """Who chaired a dialogue from when to when. The current chair is derived from these."""

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="chair_terms")
    start = models.DateField(help_text=_("The day the chair was handed over."))
    start_precision = precision_field()
    end = models.DateField(
        null=True, blank=True, help_text=_("Leave empty: the next term's start ends this one.")
    )
    end_precision = precision_field()
    handover_meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chair_handovers",
        help_text=_("The meeting at which the chair was handed over, where there was one."),
    )

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = DatedQuerySet.as_manager()

    history = HistoricalRecords()

    precise_dates = ("start", "end")

    class Meta:
        ordering = ["dialogue", "-start"]
        constraints = [
            Participant.exactly_one_participant("chair_state_or_organisation"),
            # Co-chairs (the C2CMMD's European Commission and AU Commission) share a start date.
            *Participant.unique_per_start("chair", "dialogue"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_name} – chair of {self.dialogue.short_name} from {self.start}"

    @property
    def last_day(self) -> datetime.date | None:
        """The recorded end, or the start of the term that followed (see ChairHistory)."""
        return self.end or getattr(self, "followed_on", None)

    @property
    def last_day_precision(self) -> str:
        if self.end:
            return self.end_precision
        return getattr(self, "followed_on_precision", DatePrecision.DAY)


@dataclass
class ChairHistory:
    """A dialogue's chairs on a date: the chair in force, or the co-chairs who took office
    together, and the chairs before them, newest first, each ending where the next began."""

    current: list[ChairTerm]
    past: list[ChairTerm]

    @classmethod
    def of(cls, terms, date: datetime.date | None = None) -> "ChairHistory":
        date = date or timezone.localdate()
        started = sorted((t for t in terms if t.start <= date), key=lambda t: t.start)
        in_force = [t for t in started if t.end is None or t.end >= date]
        latest = max((t.start for t in in_force), default=None)
        current = [t for t in in_force if t.start == latest]
        past = [t for t in started if t not in current]
        for term in started:
            following = next((t for t in started if t.start > term.start), None)
            if following is not None:
                term.followed_on = following.start
                term.followed_on_precision = following.start_precision
        return cls(
            current=sorted(current, key=lambda t: t.participant_name),
            past=sorted(past, key=lambda t: t.start, reverse=True),
        )

    @property
    def is_shared(self) -> bool:
        return len(self.current) > 1

    @classmethod
    def place_terms(cls, terms, date: datetime.date | None = None) -> list[ChairTerm]:
        """The given terms (of one state or organisation) set in their dialogues' histories:
        each gets `is_current` and the day the next chair took over. One query (none without
        terms)."""
        terms = list(terms)
        if not terms:  # most states and organisations never chaired: nothing to place
            return terms
        others = ChairTerm.objects.filter(dialogue_id__in={t.dialogue_id for t in terms})
        by_dialogue: dict[int, list[ChairTerm]] = {}
        for term in others.select_related("organisation"):
            by_dialogue.setdefault(term.dialogue_id, []).append(term)
        placed = {}
        for dialogue_terms in by_dialogue.values():
            history = cls.of(dialogue_terms, date)
            placed.update({t.pk: (t, t in history.current) for t in dialogue_terms})
        for term in terms:
            other, term.is_current = placed[term.pk]
            if hasattr(other, "followed_on"):
                term.followed_on = other.followed_on
                term.followed_on_precision = other.followed_on_precision
        return terms


class FocalPoint(models.Model):
    """A person the secretariat works with. Personal data: staff only, never public."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National focal point")
        CONTACT = "contact", _("Contact point")
        MISSING_MIGRANTS = "missing-migrants", _("Focal point for missing migrants")
        JVAP = "jvap", _("JVAP focal point")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=200)
    function = models.CharField(max_length=200, blank=True, help_text=_("Job title."))
    institution = models.CharField(max_length=300, blank=True, help_text=_("Ministry or body."))
    country = CountryField(blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("For focal points of an organisation rather than a state."),
    )
    dialogues = models.ManyToManyField(Dialogue, blank=True, related_name="focal_points")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.NATIONAL)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focal_point",
        help_text=_("The portal account this person logs in with, if any."),
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords(m2m_fields=["dialogues"])

    class Meta:
        ordering = ["country", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


MEETING_CARD_FIELDS = (
    "title",
    "title_fr",
    "slug",
    "type",
    "status",
    "start_date",
    "start_date_precision",
    "end_date",
    "city",
    "city_fr",
    "country",
    "is_online",
)


class MeetingQuerySet(models.QuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def upcoming(self):
        return (
            self.filter(start_date__gte=timezone.localdate())
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start_date", "title")
        )

    def recent(self):
        return self.filter(
            start_date__lt=timezone.localdate(), status=Meeting.Status.HELD
        ).order_by("-start_date")

    def past(self):
        """Meetings that started before today and were not cancelled, most recent first."""
        return (
            self.filter(start_date__lt=timezone.localdate())
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("-start_date", "title")
        )

    def in_reading_order(self):
        """Upcoming meetings first, soonest first, then past meetings, most recent first: the
        order a reader of a list of meetings expects when they have not asked for another."""
        today = timezone.localdate()
        is_past = Case(When(start_date__lt=today, then=Value(1)), default=Value(0))
        upcoming_day = Case(When(start_date__gte=today, then=F("start_date")), default=None)
        return self.alias(is_past=is_past, upcoming_day=upcoming_day).order_by(
            "is_past", F("upcoming_day").asc(nulls_last=True), "-start_date", "title", "pk"
        )

    def for_listing(self):
        """What a public list of meetings shows, without a query per row."""
        return self.prefetch_related("dialogues")

    def for_cards(self):
        """Only the fields the meetings' cards (`{% meeting_cards %}`) read; their dialogues
        come for every list of the page at once (`prefetch_card_dialogues`)."""
        return self.only(*MEETING_CARD_FIELDS)

    def with_card_dialogues(self):
        """The dialogues named on the meetings' cards, kept as a list (`listed_dialogues`,
        read by `{% meeting_cards %}`): prefetched into the related manager, the same rows
        cost twice as much (a manager and a filtered queryset built per meeting)."""
        dialogues = Dialogue.objects.only("slug", "short_name", "short_name_fr")
        return self.prefetch_related(
            models.Prefetch("dialogues", queryset=dialogues, to_attr="listed_dialogues")
        )

    def search(self, text: str):
        return self.filter(
            Q(title__icontains=text)
            | Q(title_fr__icontains=text)
            | Q(city__icontains=text)
            | Q(summary__icontains=text)
        )


class Meeting(
    GeneratedSlugMixin, PreciseDatesMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model
):
    """A conference, meeting, workshop or training of one or more dialogues."""

    class Type(models.TextChoices):
        MINISTERIAL_CONFERENCE = "ministerial-conference", _("Ministerial conference")
        SUMMIT = "summit", _("Summit")
        SENIOR_OFFICIALS_MEETING = "senior-officials-meeting", _("Senior officials' meeting")
        STEERING_COMMITTEE_MEETING = "steering-committee-meeting", _("Steering committee meeting")
        THEMATIC_MEETING = "thematic-meeting", _("Thematic meeting")
        THEMATIC_WORKSHOP = "thematic-workshop", _("Thematic workshop")
        WORKING_GROUP = "working-group", _("Working group")
        ROUNDTABLE = "roundtable", _("Roundtable")
        TRAINING = "training", _("Training")
        WEBINAR = "webinar", _("Virtual meeting or webinar")
        OTHER = "other", _("Other")

    # A context of their own: French agrees them with "réunion" (prévue, tenue), where the
    # same English words describe projects and grants elsewhere.
    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        POSTPONED = "postponed", pgettext_lazy("meeting status", "Postponed")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    title = models.CharField(max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    slug = models.SlugField(max_length=300, unique=True, blank=True, help_text=SLUG_HELP)
    type = models.CharField(max_length=40, choices=Type.choices)
    dialogues = models.ManyToManyField(
        Dialogue,
        related_name="meetings",
        help_text=_("A joint meeting of several dialogues belongs to each of them."),
    )
    start_date = models.DateField()
    start_date_precision = precision_field()
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text=_("Empty for one-day meetings and for meetings known only to the month or year."),
    )
    city = models.CharField(max_length=120, blank=True)
    city_fr = models.CharField(
        _("city (French)"),
        max_length=120,
        blank=True,
        help_text=_("As French writes it: 'Bruxelles', 'Le Caire'."),
    )
    country = CountryField(blank=True, help_text=_("The host state; empty for online meetings."))
    is_online = models.BooleanField(_("online"), default=False)
    host = models.CharField(
        max_length=300, blank=True, help_text=_("Who hosted it, if not simply the state.")
    )
    co_chairs = models.CharField(max_length=300, blank=True)
    summary = models.TextField(blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    participants_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    thematic_areas = models.ManyToManyField(Domain, blank=True, related_name="meetings")
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["dialogues", "thematic_areas"])

    precise_dates = ("start_date",)

    class Meta:
        ordering = ["-start_date", "title"]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["type", "start_date"]),
            models.Index(fields=["country"]),
            models.Index(fields=["status"]),
            models.Index(fields=["title"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date_precision=DatePrecision.DAY),
                name="meeting_last_day_only_when_days_are_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y})"

    def get_absolute_url(self) -> str:
        return reverse("dialogues:meeting_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The meeting cannot end before it starts.")})
        if self.end_date and self.start_date_precision != DatePrecision.DAY:
            raise ValidationError(
                {"end_date": _("Leave the last day empty when the first day is not known.")}
            )

    @property
    def days_are_known(self) -> bool:
        """Whether the meeting's days are known, not only its month or year."""
        return self.start_date_precision == DatePrecision.DAY

    @property
    def place(self) -> str:
        if self.is_online:
            return str(_("Online"))
        country = self.country  # a new Country object at each reading of the field
        return ", ".join(
            part
            for part in [self.localized("city"), country_name(country.code) if country else ""]
            if part
        )


def prefetch_card_dialogues(*lists: list[Meeting]) -> None:
    """The dialogues named on the cards of several lists of meetings, in one query for all of
    them (`for_listing()` costs a query per list)."""
    models.prefetch_related_objects(
        [meeting for meetings in lists for meeting in meetings],
        models.Prefetch("dialogues", queryset=Dialogue.objects.only("short_name", "short_name_fr")),
    )


def photo_upload_to(instance: "MeetingPhoto", filename: str) -> str:
    return f"meetings/photos/{timezone.now():%Y/%m}/{Path(filename).name}"


class MeetingPhoto(models.Model):
    """A photo of a meeting. Large images are scaled down and a thumbnail is made on save."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    image = SafeImageField(upload_to=RandomFilename("meetings/photos"))
    thumbnail = models.ImageField(
        upload_to=RandomFilename("meetings/thumbnails"), blank=True, editable=False
    )
    alt_text = models.CharField(
        max_length=300, help_text=_("What the photo shows, for people who cannot see it.")
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "display_order", "pk"]

    def __str__(self) -> str:
        return self.caption or self.alt_text

    def save(self, *args, **kwargs):
        if self.image and not self.thumbnail:
            # One pipeline (core.images): re-encoded without metadata, scaled, thumbnailed.
            self.image = safe_image_file(self.image, max_side=settings.PHOTO_MAX_SIDE)
            self.thumbnail.save(
                "thumbnail.jpg",
                image_thumbnail(self.image, side=settings.PHOTO_THUMBNAIL_SIDE),
                save=False,
            )
        super().save(*args, **kwargs)


class DocumentQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("meeting").prefetch_related("dialogues")

    def search(self, text: str):
        return self.filter(
            Q(title__icontains=text) | Q(title_fr__icontains=text) | Q(description__icontains=text)
        )


class Document(GeneratedSlugMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model):
    """A declaration, action plan, report or other publication, as a file or a link."""

    class Kind(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        ACTION_PLAN = "action-plan", _("Action plan")
        CONCLUSIONS = "conclusions", _("Conclusions")
        REPORT = "report", _("Report")
        STUDY = "study", _("Study")
        TRAINING_MANUAL = "training-manual", _("Training manual")
        PRESENTATION = "presentation", _("Presentation")
        BROCHURE = "brochure", _("Brochure")
        OTHER = "other", _("Other")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        FRENCH = "fr", _("French")
        PORTUGUESE = "pt", _("Portuguese")
        ARABIC = "ar", _("Arabic")
        MULTILINGUAL = "multi", _("Several languages")

    title = models.CharField(max_length=300)
    title_fr = models.CharField(_("title (French)"), max_length=300, blank=True)
    slug = models.SlugField(max_length=300, unique=True, blank=True, help_text=SLUG_HELP)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.ENGLISH)
    date = models.DateField(null=True, blank=True, help_text=_("Date of adoption or publication."))
    file = SafeDocumentField(
        upload_to=RandomFilename("documents"),
        blank=True,
        help_text=_("PDF, Word, Excel, PowerPoint, OpenDocument, text or CSV."),
    )
    url = SafeURLField(
        _("link"), blank=True, help_text=_("Where the document is published online.")
    )
    description = models.TextField(blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    dialogues = models.ManyToManyField(
        Dialogue,
        blank=True,
        related_name="documents",
        help_text=_("Leave empty for a meeting's document: it belongs to the meeting's dialogues."),
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    modified = models.DateTimeField(
        _("last modified"),
        auto_now=True,
        db_index=True,
        help_text=_("When the record last changed; feeds and the API's modified_since read it."),
    )
    objects = DocumentQuerySet.as_manager()

    history = HistoricalRecords(m2m_fields=["dialogues"])

    class Meta:
        ordering = ["-date", "title"]
        indexes = [
            models.Index(fields=["date"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["language"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.take_meeting_dialogues()

    def get_absolute_url(self) -> str:
        return reverse("dialogues:document_detail", kwargs={"slug": self.slug})

    def take_meeting_dialogues(self) -> bool:
        """Link a meeting's document that belongs to no dialogue to the meeting's dialogues.

        A document added under a meeting (the Documents inline of the meeting's page, an import,
        the shell) belongs to the dialogues of that meeting unless the editor chose others: a
        document of a meeting never stays without a dialogue, or the dialogue pages would not
        list it. `save()` calls this, which covers every path that leaves the dialogues alone;
        a form that writes the dialogues after saving (the document's own admin page) calls it
        again once it has (`DocumentAdmin.save_related`). Returns whether it linked any.
        """
        if not self.meeting_id or self.dialogues.exists():
            return False
        dialogues = list(self.meeting.dialogues.all())
        self.dialogues.set(dialogues)
        return bool(dialogues)

    def clean(self):
        super().clean()
        if not self.file and not self.url:
            raise ValidationError(_("Attach a file or give a link."))


class StrategicFramework(
    GeneratedSlugMixin, PreciseDatesMixin, LocalizedFieldsMixin, ChoiceLabelsMixin, models.Model
):
    """An action plan, declaration or set of action points that guides a dialogue."""

    class Kind(models.TextChoices):
        ACTION_PLAN = "action-plan", _("Action plan")
        DECLARATION = "declaration", _("Declaration")
        ACTION_POINTS = "action-points", _("Action points")
        PROGRAMME = "programme", _("Cooperation programme")
        STRATEGY = "strategy", _("Strategy")

    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="frameworks")
    name = models.CharField(max_length=300)
    name_fr = models.CharField(_("name (French)"), max_length=300, blank=True)
    slug = models.SlugField(max_length=300, unique=True, blank=True, help_text=SLUG_HELP)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    adopted_on = models.DateField(null=True, blank=True)
    adopted_on_precision = precision_field()
    adopted_at = models.CharField(
        max_length=300, blank=True, help_text=_("The meeting or place where it was adopted.")
    )
    adopted_at_fr = models.CharField(_("adopted at (French)"), max_length=300, blank=True)
    period_start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    period_end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_current = models.BooleanField(
        default=False, help_text=_("The framework the dialogue works under today.")
    )
    summary = models.TextField(blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    slug_sources = ("name",)
    precise_dates = ("adopted_on",)

    class Meta:
        ordering = ["dialogue", "-adopted_on"]

    def __str__(self) -> str:
        return self.name


class FrameworkElement(LocalizedFieldsMixin, models.Model):
    """An area, objective or action of a strategic framework, nested under its parent."""

    class Level(models.TextChoices):
        AREA = "area", _("Area")
        OBJECTIVE = "objective", _("Objective")
        ACTION = "action", _("Action")

    framework = models.ForeignKey(
        StrategicFramework, on_delete=models.CASCADE, related_name="elements"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    number = models.CharField(
        max_length=20, help_text=_("As the framework numbers it, e.g. '2.1'.")
    )
    title = models.CharField(max_length=500)
    title_fr = models.CharField(_("title (French)"), max_length=500, blank=True)
    domain = models.ForeignKey(
        Domain,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("The JVAP domain this part corresponds to."),
    )

    class Meta:
        ordering = ["framework", "level", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "level", "number"], name="framework_element_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.number}: {self.title}"


class ProgrammePhase(PreciseDatesMixin, LocalizedFieldsMixin, models.Model):
    """A phase of the MMD support programme itself, with its budget and donor."""

    name = models.CharField(max_length=200, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    start_precision = precision_field()
    end = models.DateField(null=True, blank=True)
    end_precision = precision_field()
    budget_eur = models.DecimalField(
        _("budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    eu_contribution_eur = models.DecimalField(
        _("EU contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    donor = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implementing_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    objectives = models.TextField(blank=True, help_text=_("One objective per line."))
    objectives_fr = models.TextField(_("objectives (French)"), blank=True)
    achievements = models.TextField(blank=True, help_text=_("One achievement per line."))
    achievements_fr = models.TextField(_("achievements (French)"), blank=True)
    is_current = models.BooleanField(default=False)
    source_note = models.CharField(max_length=500, blank=True, help_text=SOURCE_NOTE_HELP)

    precise_dates = ("start", "end")

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name

    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.localized("objectives").splitlines() if line.strip()]

    def achievement_lines(self) -> list[str]:
        return [
            line.strip() for line in self.localized("achievements").splitlines() if line.strip()
        ]


class MeetingTypeCounts(models.Model):
    """How many of a dialogue's meetings are of each type (the table of its page), counted by a
    background task after each change of the data (`dialogues.figures.refresh`), so that the
    page reads them with the dialogue instead of joining its meetings (the Rabat Process's
    1,366 of 5,000) to count them.

    Valid for the data version it was counted at only: on any other (a change not yet
    counted, a connection with changes of its own) the page counts them itself. One row per
    dialogue.
    """

    derived_data = True  # core.derived: never backed up or edited

    dialogue = models.OneToOneField(
        Dialogue, on_delete=models.CASCADE, primary_key=True, related_name="meeting_type_counts"
    )
    data_version = models.CharField(max_length=64)
    counts = models.JSONField(default=dict)  # {meeting type: count}, the types it has

    class Meta:
        verbose_name = _("precomputed meeting counts of a dialogue")
        verbose_name_plural = _("precomputed meeting counts of the dialogues")

    def __str__(self) -> str:
        return f"{self.dialogue_id}: {self.counts}"
