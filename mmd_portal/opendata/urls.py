"""Open-data addresses (a public contract: keep them stable): the Atom feeds, and the
open-data page with its bulk files, data package, DCAT-AP catalogue and IATI export."""

from django.urls import path, re_path

from . import feeds, views
from .bulk import FORMATS
from .dictionary import DATASETS

app_name = "opendata"

FEEDS = {
    "meetings": feeds.MeetingFeed,
    "documents": feeds.DocumentFeed,
    "jvap": feeds.JvapEntryFeed,
}

urlpatterns = [
    *(path(f"feeds/{name}.atom", feed(), name=f"{name}_feed") for name, feed in FEEDS.items()),
    *(
        path(
            f"feeds/dialogues/<slug:slug>/{name}.atom",
            feed(),
            name=f"dialogue_{name}_feed",
        )
        for name, feed in FEEDS.items()
    ),
    path("open-data/", views.index, name="index"),
    path("open-data/jvap-iati.xml", views.jvap_iati, name="jvap_iati"),
    path("open-data/datapackage.json", views.datapackage_json, name="datapackage"),
    path("open-data/catalog.jsonld", views.catalog_jsonld, name="catalog"),
    re_path(
        rf"^open-data/(?P<dataset>{'|'.join(DATASETS)})\.(?P<export_format>{'|'.join(FORMATS)})$",
        views.dataset_file,
        name="dataset_file",
    ),
]
