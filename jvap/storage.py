"""Where uploaded spreadsheets are kept: a private storage, never served by the web server."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property


class PrivateUploadStorage(FileSystemStorage):
    """Files under settings.JVAP_UPLOADS_ROOT, with no public address."""

    def __init__(self):
        super().__init__(base_url=None)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.JVAP_UPLOADS_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "JVAP_UPLOADS_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("JVAP uploads have no public address; use the upload's download page.")


private_upload_storage = PrivateUploadStorage()


def upload_storage():
    """STORAGES["jvap_uploads"] when configured (shared storage), else the private folder."""
    if "jvap_uploads" in settings.STORAGES:
        return storages["jvap_uploads"]
    return private_upload_storage
