"""What the warga services announce (kabar.services.kabari), inside their transaction.

A filed item goes to the TKSK it is assigned to and the kecamatan's TKSK (the Dinas Sosial
when the kecamatan has none); an answer goes to the city's Dinas Sosial staff. The text names
the ticket, the kelurahan and the deadline, never the filer or the family: the details are
behind the login, on the item's page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from kabar.choices import Peristiwa
from kabar.services import DINAS, TKSK, kabari
from warga.choices import JenisAduan
from warga.models import Aduan


def aduan_masuk(*, aduan: Aduan) -> None:
    usul = aduan.jenis == JenisAduan.USUL
    common: dict[str, Any] = {
        "jenis": Peristiwa.USUL_WARGA if usul else Peristiwa.SANGGAH_WARGA,
        "objek": aduan,
        "wilayah": aduan.kelurahan_id,
        "judul": (
            _("Usul warga %(k)s dari Kelurahan %(w)s, tenggat %(t)s")
            if usul
            else _("Sanggah warga %(k)s dari Kelurahan %(w)s, tenggat %(t)s")
        )
        % {"k": aduan.kode, "w": aduan.kelurahan.nama.title(), "t": aduan.tenggat.strftime("%d/%m/%Y")},
        "tautan": reverse("warga:aduan_detail", args=[aduan.pk]),
        "perm": "warga.change_aduan",
    }
    if aduan.ditugaskan_ke is not None:
        kabari(**common, kepada=[aduan.ditugaskan_ke], penugasan=TKSK)
    else:
        kabari(
            **common,
            isi=_("Kecamatan ini belum mempunyai TKSK aktif; Dinas Sosial menanganinya."),
            penugasan=DINAS,
        )


def aduan_dijawab(*, aduan: Aduan, actor: User) -> None:
    kabari(
        jenis=Peristiwa.ADUAN_DIJAWAB,
        objek=aduan,
        wilayah=aduan.kelurahan_id,
        judul=_("%(j)s %(k)s dijawab: %(h)s")
        % {"j": aduan.get_jenis_display(), "k": aduan.kode, "h": aduan.get_hasil_display().lower()},
        tautan=reverse("warga:aduan_detail", args=[aduan.pk]),
        perm="warga.view_ringkasan_aduan",
        penugasan=DINAS,
        pelaku=actor,
    )
