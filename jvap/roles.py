"""What the Focal point group may do in the JVAP admin: look at its partner's entries and
uploads (the admin narrows every list to the user's partners). Publishing stays with the
secretariat, which dialogues.roles gives every JVAP permission."""

from django.apps import apps as global_apps

from dialogues.roles import FOCAL_POINT

FOCAL_POINT_PERMISSIONS = ("view_jvapentry", "view_entryupload")


def grant_focal_point_permissions(sender=None, apps=global_apps, **kwargs) -> None:
    """Give the Focal point group its JVAP permissions; runs after each migrate."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=FOCAL_POINT)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="jvap", codename__in=FOCAL_POINT_PERMISSIONS
        )
    )
