"""A zip bomb and a file of too many rows are refused fast and in little memory, through the
path a focal point takes (upload page -> reading task -> preview page), in a process of its
own so that its peak memory is measured alone (issue 12)."""

import io
import json
import subprocess
import sys
import zipfile

import pytest

from tests.processes import ROOT, process_env

from .factories import (
    CampaignFactory,
    ReportingPartnerFactory,
    make_domains,
    make_focal_point,
)
from .sheets import GOOD, xlsx_bytes, xlsx_of_many_rows

pytestmark = pytest.mark.django_db(transaction=True)  # the probe process sees the rows

# The bounds for a refusal: under 10 s and under 300 MB. Measured on a 2-core machine
# under a load of 6: the bomb 2.6 s and 105 MB, the 60,000 rows 3.9 s and 121 MB (Django with
# the portal's apps loaded: 86 MB). The seconds are the CPU time of the process that does all
# the work (page, reading task, preview): they say the refusal stops early whatever else runs
# on the machine, where the clock's 10 s were passed at a load of 16 (the 60,000 rows).
SECONDS = 10
MIB = 300


def sheet_bomb(unpacked_mib: int = 190) -> bytes:
    """A valid .xlsx whose one sheet unpacks to `unpacked_mib` MB (a good row, then blanks)."""
    original = zipfile.ZipFile(io.BytesIO(xlsx_bytes([GOOD])))
    sheet = original.read("xl/worksheets/sheet1.xml")
    head, tail = sheet.split(b"</sheetData>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in original.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info.filename, original.read(info))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(head)
            blanks = b" " * (1024 * 1024)
            for _ in range(unpacked_mib):
                part.write(blanks)
            part.write(b"</sheetData>" + tail)
    return buffer.getvalue()


@pytest.fixture
def focal_point(django_user_model):
    make_domains()
    CampaignFactory(year=2025)
    partner = ReportingPartnerFactory(country="SN")
    return make_focal_point(partner), partner


def upload_in_a_process(tmp_path, name: str, data: bytes, focal_point) -> dict:
    user, partner = focal_point
    path = tmp_path / name
    path.write_bytes(data)
    probe = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.jvap.upload_probe",
            str(path),
            user.username,
            str(partner.pk),
        ],
        cwd=ROOT,
        env=process_env(
            DJANGO_ALLOWED_HOSTS="testserver", JVAP_UPLOADS_ROOT=str(tmp_path / "uploads")
        ),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_a_zip_bomb_is_refused_in_seconds_and_little_memory(tmp_path, focal_point):
    bomb = sheet_bomb(190)
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > 190 * 2**20
    result = upload_in_a_process(tmp_path, "entries.xlsx", bomb, focal_point)
    assert result["status"] == 200
    assert "The spreadsheet unpacks to more than 100.0 MB" in result["content"]
    assert "1 error: the file is refused" in result["content"]
    assert result["cpu_seconds"] < SECONDS
    assert result["peak_mib"] < MIB


def test_a_file_of_60000_rows_is_refused_in_seconds_and_little_memory(tmp_path, focal_point):
    result = upload_in_a_process(tmp_path, "entries.xlsx", xlsx_of_many_rows(60_000), focal_point)
    assert result["status"] == 200
    assert "The file has more than 50,000 data rows" in result["content"]
    assert "1 error: the file is refused" in result["content"]
    assert result["cpu_seconds"] < SECONDS
    assert result["peak_mib"] < MIB
