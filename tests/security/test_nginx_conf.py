"""deploy/nginx.conf is the portal's one nginx file (issue 15): the README points at it, its
body size limit fits the largest accepted upload, and its media carry the portal's headers."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
NGINX = (ROOT / "deploy" / "nginx.conf").read_text()


def megabytes(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def media_block() -> str:
    return re.search(r"location /media/ \{(.*?)\n    \}", NGINX, re.S).group(1)


def test_the_readme_points_at_the_file_and_copies_no_nginx_block():
    for readme in (ROOT / "README.md", ROOT / "deploy" / "README.md"):
        text = readme.read_text()
        assert "```nginx" not in text and "add_header" not in text
    assert "deploy/nginx.conf" in (ROOT / "README.md").read_text()


def test_the_body_size_limit_fits_the_largest_accepted_upload():
    limit = megabytes(re.search(r"client_max_body_size (\w+);", NGINX).group(1))
    largest = max(
        settings.JVAP_UPLOAD_MAX_BYTES,
        settings.UPLOAD_DOCUMENT_MAX_BYTES,
        settings.UPLOAD_IMAGE_MAX_BYTES,
        settings.GRANT_COVER_MAX_BYTES,
        settings.GRANTS_UPLOAD_MAX_BYTES,
    )

    assert largest < limit <= largest + 10 * 1024**2  # room for the form, not a blanket


def test_media_served_by_nginx_carry_the_portals_sandbox_policy_and_nosniff(tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from core.uploads import file_download_response

    stored = FileSystemStorage(location=tmp_path).save("report.pdf", ContentFile(b"%PDF-1.4"))
    portal = file_download_response(FileSystemStorage(location=tmp_path).open(stored))
    block = media_block()

    assert f'Content-Security-Policy "{portal["Content-Security-Policy"]}" always' in block
    assert "X-Content-Type-Options nosniff always" in block
    assert "Content-Disposition $mmd_media_disposition always" in block
