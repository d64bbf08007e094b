"""Forms of the focal points' upload pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import DataCollectionCampaign, PartnerAccess, ReportingPartner


class UploadForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("Reporting partner"),
        queryset=ReportingPartner.objects.none(),
        help_text=_("The state or organisation the entries are reported for."),
    )
    campaign = forms.ModelChoiceField(
        label=_("Data-collection campaign"),
        queryset=DataCollectionCampaign.objects.all(),
        required=False,
        help_text=_("Leave empty for the current campaign."),
    )
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx or .csv)"),
        help_text=_("Use the template; a file with any error is refused whole."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if partners.count() == 1:
            self.fields["partner"].initial = partners.first()
        self.fields["campaign"].initial = DataCollectionCampaign.current()


class ContributorForm(forms.Form):
    """A focal point designates an existing account as a contributor of their partner."""

    partner = forms.ModelChoiceField(
        label=_("Reporting partner"), queryset=ReportingPartner.objects.none()
    )
    account = forms.CharField(
        label=_("Username or e-mail address of the contributor's account"),
        max_length=254,
        help_text=_("The secretariat creates accounts; ask it if your colleague has none yet."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if partners.count() == 1:
            self.fields["partner"].initial = partners.first()

    def clean_account(self):
        text = self.cleaned_data["account"].strip()
        users = get_user_model().objects.filter(
            Q(username__iexact=text) | Q(email__iexact=text), is_active=True
        )
        if users.count() != 1:
            raise forms.ValidationError(
                _("No single active account has this username or e-mail address.")
            )
        return users.get()

    def clean(self):
        cleaned = super().clean()
        user, partner = cleaned.get("account"), cleaned.get("partner")
        if user and partner and PartnerAccess.objects.filter(user=user, partner=partner).exists():
            raise forms.ValidationError(_("This person can already upload for this partner."))
        return cleaned
