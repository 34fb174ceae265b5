"""django-import-export's admin pages speak Indonesian (locale/id: the package ships no
Indonesian catalogue), without changing Django's own Indonesian."""

import re
from io import BytesIO
from pathlib import Path

import import_export
import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import translation

from inti.models import LogBerkas
from pmks.models import Keluarga

pytestmark = pytest.mark.django_db

TEMPLATES_DIR = Path(import_export.__file__).parent / "templates"


def _import(client, content: str, name="keluarga.csv"):
    upload = BytesIO(content.encode())
    upload.name = name
    return client.post(
        reverse("admin:pmks_keluarga_import"), {"format": 0, "resource": 0, "import_file": upload}
    )  # format 0 is csv


def test_every_label_of_the_package_templates_is_translated():
    """Guards an upgrade of django-import-export: a new template label needs a translation."""
    singular, plural = [], []
    for template in TEMPLATES_DIR.rglob("*.html"):
        text = template.read_text()
        singular += re.findall(r'{% translate "([^"]+)" %}', text)
        singular += re.findall(r"{% translate '([^']+)' %}", text)
        for block in re.findall(r"{% blocktranslate count (.*?){% endblocktranslate %}", text, re.S):
            one, many = (" ".join(part.split()) for part in block.split("%}", 1)[1].split("{% plural %}"))
            plural.append((re.sub(r"{{ (\w+) }}", r"%(\1)s", one), re.sub(r"{{ (\w+) }}", r"%(\1)s", many)))
    assert len(singular) > 20 and plural
    with translation.override("id"):
        untranslated = [m for m in set(singular) if translation.gettext(m) == m and m != "Format"]
        untranslated += [one for one, many in plural if translation.ngettext(one, many, 2) in (one, many)]
        # Django's own Indonesian stays (the catalogue leaves these out on purpose).
        assert (translation.gettext("Home"), translation.gettext("Delete")) == ("Beranda", "Hapus")
    assert not untranslated, untranslated


def test_changelist_import_and_export_pages_are_indonesian(city, client):
    client.force_login(city.dinsos)
    changelist = client.get(reverse("admin:pmks_keluarga_changelist")).content.decode()
    assert 'class="import_link">Impor<' in changelist and 'class="export_link">Ekspor<' in changelist
    assert ">Import<" not in changelist and ">Export<" not in changelist

    page = client.get(reverse("admin:pmks_keluarga_import")).content.decode()
    for text in (
        "<h1>Impor</h1>",
        "Impor ini akan membaca kolom berikut:",
        "Berkas yang diimpor",
        'value="Kirim"',
    ):
        assert text in page, text
    for text in ("This importer will import", "File to import", 'value="Submit"', ">Import<"):
        assert text not in page, text

    page = client.get(reverse("admin:pmks_keluarga_export")).content.decode()
    for text in (
        "<h1>Ekspor</h1>",
        "Ekspor ini akan menyertakan kolom berikut:",
        "Pilih semua",
        'value="Kirim"',
    ):
        assert text in page, text
    for text in ("This exporter will export", "Select all", 'value="Submit"', ">Export<"):
        assert text not in page, text


def test_bad_row_is_reported_in_indonesian(city, client):
    client.force_login(city.dinsos)
    before = Keluarga.objects.count()
    response = _import(client, "no_kk,kode_kelurahan,alamat,rt,rw\n123,35.74.04.1003,Jl. Uji,1,2\n")
    body = response.content.decode()
    for text in ("Beberapa baris gagal divalidasi", "Perbaiki galat ini", "<th>Baris</th>", "<th>Galat</th>"):
        assert text in body, text
    for text in ("Some rows failed to validate", "Please correct", "<th>Row</th>", "<th>Errors</th>"):
        assert text not in body, text
    assert "Konfirmasi impor" not in body and Keluarga.objects.count() == before


def test_missing_identifier_column_is_reported_in_indonesian(city, client):
    client.force_login(city.dinsos)
    body = _import(client, "kode_kelurahan,alamat\n35.74.04.1003,Jl. Uji\n").content.decode()
    assert "<h2>Galat</h2>" in body
    assert "Kolom pengenal no_kk wajib ada tetapi tidak ditemukan di judul kolom berkas." in body
    assert "are not present in the file headers" not in body
    assert "Traceback" not in body and "site-packages" not in body  # no code shown to users


def test_preview_confirmation_and_result_are_indonesian(city, client):
    client.force_login(city.admin)
    kk = city.k_in.no_kk
    response = _import(client, f"no_kk,kode_kelurahan,alamat\n{kk},35.74.04.1003,Jl. Baru No. 2\n")
    body = response.content.decode()
    for text in ("<h2>Pratinjau</h2>", "Diperbarui", 'value="Konfirmasi impor"', "Berikut pratinjau data"):
        assert text in body, text
    assert "Preview" not in body and "Confirm import" not in body
    form = response.context["confirm_form"]
    response = client.post(
        reverse("admin:pmks_keluarga_process_import"), {k: form[k].value() for k in form.fields}, follow=True
    )
    body = response.content.decode()
    assert "Impor keluarga selesai: 0 baru, 1 diperbarui, 0 dihapus, dan 0 dilewati." in body
    assert LogEntry.objects.get(object_id=str(city.k_in.pk)).change_message == "Diubah lewat impor"
    log = LogBerkas.objects.get(jenis="impor")  # the processing record names the file
    assert (log.nama, log.format, log.jumlah_baris) == ("Admin: keluarga: keluarga.csv", "csv", 1)
