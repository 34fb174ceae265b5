"""What the registry's services announce (kabar.services.kabari): a PMKS record decided reaches
the worker who recorded it and the kecamatan's current TKSK."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from kabar.choices import Peristiwa
from kabar.services import TKSK, kabari
from pmks.choices import StatusPmks
from pmks.models import CatatanPmks


def catatan_diputuskan(catatan: CatatanPmks, actor: User) -> None:
    verified = catatan.status == StatusPmks.TERVERIFIKASI
    keluarga = catatan.keluarga
    judul = (
        _("Catatan PMKS %(k)s %(f)s diverifikasi") if verified else _("Catatan PMKS %(k)s %(f)s ditolak")
    ) % {"k": catatan.kategori.singkatan or catatan.kategori.nama, "f": keluarga.sebutan()}
    kabari(
        jenis=Peristiwa.PMKS_DIVERIFIKASI if verified else Peristiwa.PMKS_DITOLAK,
        objek=catatan,
        wilayah=keluarga.kelurahan_id,
        judul=judul,
        isi=(_("Alasan: %(a)s") if not verified else _("Catatan: %(a)s")) % {"a": catatan.catatan_verifikasi}
        if catatan.catatan_verifikasi
        else "",
        tautan=reverse("pmks:keluarga_detail", args=[keluarga.pk]),
        kepada=[catatan.diidentifikasi_oleh],
        perm="pmks.add_catatanpmks",
        penugasan=TKSK,
        pelaku=actor,
    )
