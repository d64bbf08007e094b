"""Model fields shared by the portal's apps."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save

from .validators import validate_safe_url


class SafeURLField(models.URLField):
    """A URLField whose value is checked on every save, not only by forms.

    Forms run field validators; imports, the shell and services that call ``save()`` directly
    do not. The check runs before ``save()`` opens its transaction (so a caller that catches
    the error can go on), and again in ``pre_save`` for ``bulk_create()``: whatever path wrote
    it, a ``javascript:`` link cannot reach a page that renders it as ``href``.
    """

    default_validators = [validate_safe_url]

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            pre_save.connect(self._check_before_save, sender=cls, weak=False)

    def _check_before_save(self, sender, instance, **kwargs):
        self.check_value(getattr(instance, self.attname))

    def check_value(self, value) -> None:
        """Refuse a value that is not an http or https address (empty is fine)."""
        if value:
            try:
                validate_safe_url(value)
            except ValidationError as error:
                raise ValidationError({self.attname: error.messages}) from error

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        self.check_value(value)
        return value
