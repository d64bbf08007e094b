"""The two staff roles, as Django groups, and the permissions each one carries."""

from django.apps import apps as global_apps
from django.conf import settings

SECRETARIAT = "Secretariat"
FOCAL_POINT = "Focal point"


def grant_role_permissions(sender=None, apps=global_apps, **kwargs) -> None:
    """Give the Secretariat group every permission of the portal's apps (settings.PORTAL_APPS).

    Runs after each migrate so that models added later are covered without a new migration.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    Group.objects.get_or_create(name=FOCAL_POINT)
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=settings.PORTAL_APPS)
    )
