"""Forms of the focal points' upload pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DataCollectionCampaign, NotificationSettings, ReportingPartner


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


class ContributorInviteForm(forms.Form):
    """A focal point invites a colleague, by e-mail address, to contribute for their partner.

    The form never looks the address up: whether an account exists is not the focal point's
    to learn (jvap.invitations decides what happens).
    """

    partner = forms.ModelChoiceField(
        label=_("Reporting partner"), queryset=ReportingPartner.objects.none()
    )
    email = forms.EmailField(
        label=_("Your colleague's e-mail address"),
        max_length=254,
        help_text=_("The portal mails a link to choose a password; the account opens then."),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        if partners.count() == 1:
            self.fields["partner"].initial = partners.first()


class NotificationSettingsForm(forms.ModelForm):
    """Which e-mails of the JVAP database a person receives."""

    class Meta:
        model = NotificationSettings
        fields = ["review_mails", "upload_digests"]
