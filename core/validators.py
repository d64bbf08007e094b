"""Validators that every app applies to what people type, upload or import."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

SAFE_URL_SCHEMES = ("http", "https")


@deconstructible
class SafeURLValidator(URLValidator):
    """A web address a visitor may safely follow: http or https only, never ``javascript:``,
    ``data:`` or ``ftp:`` (URLValidator alone allows ftp, and is skipped by imports that do
    not clean their records)."""

    message = _("Enter a web address starting with http:// or https://.")

    def __init__(self, **kwargs):
        kwargs.setdefault("schemes", list(SAFE_URL_SCHEMES))
        super().__init__(**kwargs)

    def __call__(self, value):
        # URLValidator reads the scheme before anything else; strip() and lower() close the
        # " javascript:" and "JavaScript:" spellings that browsers still follow.
        scheme = urlsplit(str(value).strip()).scheme.lower()
        if scheme not in self.schemes:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        super().__call__(value)


validate_safe_url = SafeURLValidator()
