"""What the aid services announce (kabar.services.kabari), each called by the service that made
the change, inside its transaction.

The field hears about its proposals per kecamatan, one notification per event naming the
families (not one per family: an approved list of 300 is one message); the Dinas Sosial hears
what waits for its next step (a submitted list for a verifier, a verified one for an approver);
the kelurahan office hears of approvals and hand-overs in its kelurahan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan.models import AmandemenDaftar, DaftarPenerima, Penyaluran, Usulan
from kabar.choices import Peristiwa
from kabar.services import DINAS, KELURAHAN, TKSK, kabari, kode_pencakup
from pmks.selectors import sebutan_keluarga

NAMA_DALAM_ISI = 30  # families named in one notification; the rest are counted


def _kecamatan(kelurahan: str) -> str:
    return kode_pencakup(kelurahan)[2]


def _kota(kelurahan: str) -> str:
    return kode_pencakup(kelurahan)[1]


def _families(usulan: list[Usulan]) -> str:
    names = sebutan_keluarga(u.keluarga_id for u in usulan)
    lines = [f"• {names[u.keluarga_id]}" for u in usulan[:NAMA_DALAM_ISI]]
    if len(usulan) > NAMA_DALAM_ISI:
        lines.append(_("… dan %(n)s keluarga lain") % {"n": len(usulan) - NAMA_DALAM_ISI})
    return "\n".join(lines)


def _per_area(usulan: Iterable[Usulan], level) -> dict[str, list[Usulan]]:
    groups: dict[str, list[Usulan]] = defaultdict(list)
    for u in usulan:
        groups[level(u.keluarga.kelurahan_id)].append(u)
    return groups


def usulan_ke_lapangan(
    *,
    daftar: DaftarPenerima,
    usulan: Iterable[Usulan],
    jenis: Peristiwa,
    judul: str,
    actor: User,
    isi: str = "",
    objek: models.Model | None = None,
) -> None:
    """Tell each kecamatan's TKSK (and whoever proposed) what happened to their proposals;
    ``judul`` takes %(n)s (how many) and %(t)s (the stage). The notification is about the list
    (or ``objek``, the amendment that changed it)."""
    tautan = reverse("bantuan:daftar_detail", args=[daftar.pk])
    for kecamatan, group in _per_area(usulan, _kecamatan).items():
        kabari(
            jenis=jenis,
            objek=objek or daftar,
            wilayah=kecamatan,
            judul=judul % {"n": len(group), "t": daftar.tahap},
            isi="\n\n".join(filter(None, [isi, _families(group)])),
            tautan=tautan,
            kepada=[u.diusulkan_oleh for u in group],
            perm="bantuan.add_usulan",
            penugasan=TKSK,
            pelaku=actor,
        )


def usulan_ditolak(*, usulan: Usulan, actor: User, alasan: str) -> None:
    keluarga = usulan.keluarga
    kabari(
        jenis=Peristiwa.USULAN_DITOLAK,
        objek=usulan,
        wilayah=keluarga.kelurahan_id,
        judul=_("Usulan %(f)s untuk %(t)s ditolak") % {"f": keluarga.sebutan(), "t": usulan.tahap},
        isi=_("Alasan: %(a)s") % {"a": alasan},
        tautan=reverse("pmks:keluarga_detail", args=[keluarga.pk]),
        kepada=[usulan.diusulkan_oleh],
        perm="bantuan.add_usulan",
        penugasan=TKSK,
        pelaku=actor,
    )


def _kota_daftar(daftar: DaftarPenerima) -> str | None:
    kelurahan = daftar.entri.values_list("keluarga__kelurahan_id", flat=True).first()
    return _kota(kelurahan) if kelurahan else None


def daftar_ke_dinas(
    *,
    daftar: DaftarPenerima,
    jenis: Peristiwa,
    judul: str,
    actor: User,
    perm: str = "",
    kepada=(),
    isi: str = "",
    objek: models.Model | None = None,
) -> None:
    """A list's step, told to the city staff whose turn comes next (``perm``) and to ``kepada``."""
    kota = _kota_daftar(daftar)
    if kota is None:
        return
    kabari(
        jenis=jenis,
        objek=objek or daftar,
        wilayah=kota,
        judul=judul % {"t": daftar.tahap},
        isi=isi,
        tautan=reverse("bantuan:daftar_detail", args=[daftar.pk]),
        kepada=kepada,
        perm=perm,
        penugasan=DINAS,
        pelaku=actor,
    )


def daftar_disetujui(*, daftar: DaftarPenerima, actor: User) -> None:
    tanggal = daftar.tanggal_sk.strftime("%d/%m/%Y") if daftar.tanggal_sk else ""
    sk = _("SK %(n)s tanggal %(d)s") % {"n": daftar.nomor_sk, "d": tanggal}
    daftar_ke_dinas(
        daftar=daftar,
        jenis=Peristiwa.DAFTAR_DISETUJUI,
        judul=_("Daftar %(t)s disetujui"),
        isi=sk,
        actor=actor,
        kepada=[daftar.diajukan_oleh, daftar.diverifikasi_oleh],
    )
    usulan = list(
        Usulan.objects.filter(entri__daftar=daftar, entri__aktif=True)
        .select_related("keluarga", "diusulkan_oleh")
        .order_by("keluarga__kelurahan_id", "pk")
    )
    usulan_ke_lapangan(
        daftar=daftar,
        usulan=usulan,
        jenis=Peristiwa.USULAN_DISETUJUI,
        judul=_("%(n)s usulan disetujui: %(t)s"),
        isi=sk,
        actor=actor,
    )
    tautan = reverse("bantuan:daftar_detail", args=[daftar.pk])
    for kelurahan, group in _per_area(usulan, lambda k: k).items():
        kabari(
            jenis=Peristiwa.DAFTAR_DISETUJUI,
            objek=daftar,
            wilayah=kelurahan,
            judul=_("%(n)s keluarga di kelurahan Anda disetujui: %(t)s")
            % {"n": len(group), "t": daftar.tahap},
            isi=sk,
            tautan=tautan,
            perm="bantuan.view_daftarpenerima",
            penugasan=KELURAHAN,
            pelaku=actor,
        )


def amandemen_diajukan(*, amandemen: AmandemenDaftar, actor: User) -> None:
    daftar_ke_dinas(
        daftar=amandemen.daftar,
        jenis=Peristiwa.AMANDEMEN_DIAJUKAN,
        judul=_("Amandemen daftar %(t)s menunggu keputusan"),
        isi=_("%(j)s %(f)s. Alasan: %(a)s")
        % {"j": amandemen.get_jenis_display(), "f": amandemen.keluarga.sebutan(), "a": amandemen.alasan},
        perm="bantuan.approve_daftarpenerima",
        actor=actor,
        objek=amandemen,
    )


def amandemen_diputuskan(*, amandemen: AmandemenDaftar, actor: User) -> None:
    daftar_ke_dinas(
        daftar=amandemen.daftar,
        jenis=Peristiwa.AMANDEMEN_DIPUTUSKAN,
        judul=_("Amandemen daftar %(t)s: ") + amandemen.get_status_display().lower(),
        isi=_("%(j)s %(f)s. %(c)s")
        % {
            "j": amandemen.get_jenis_display(),
            "f": amandemen.keluarga.sebutan(),
            "c": amandemen.catatan_keputusan,
        },
        kepada=[amandemen.diusulkan_oleh],
        actor=actor,
        objek=amandemen,
    )
    if amandemen.status != AmandemenDaftar.Status.DISETUJUI:
        return
    usulan = amandemen.usulan or (amandemen.entri.usulan if amandemen.entri else None)
    if usulan is None:
        return
    added = amandemen.jenis == AmandemenDaftar.Jenis.TAMBAH
    usulan_ke_lapangan(
        daftar=amandemen.daftar,
        usulan=[usulan],
        jenis=Peristiwa.USULAN_DISETUJUI if added else Peristiwa.USULAN_DITOLAK,
        judul=_("%(n)s usulan ditambahkan ke daftar yang disetujui: %(t)s")
        if added
        else _("%(n)s penerima dikeluarkan dari daftar: %(t)s"),
        isi=_("Alasan: %(a)s") % {"a": amandemen.alasan},
        actor=actor,
        objek=amandemen,
    )


def penyaluran_dicatat(*, penyaluran: Penyaluran, actor: User) -> None:
    entri = penyaluran.entri
    keluarga = entri.keluarga
    judul = _("Bantuan %(t)s diserahkan kepada %(f)s") % {"t": entri.daftar.tahap, "f": keluarga.sebutan()}
    common: dict[str, Any] = {
        "jenis": Peristiwa.PENYALURAN,
        "objek": penyaluran,
        "wilayah": keluarga.kelurahan_id,
        "judul": judul,
        "isi": _("Tanggal %(d)s: %(u)s")
        % {"d": penyaluran.tanggal.strftime("%d/%m/%Y"), "u": penyaluran.uraian},
        "tautan": reverse("bantuan:penyaluran_detail", args=[penyaluran.pk]),
        "pelaku": actor,
    }
    kabari(**common, kepada=[entri.usulan.diusulkan_oleh], perm="bantuan.add_usulan", penugasan=TKSK)
    kabari(**common, perm="bantuan.view_penyaluran", penugasan=KELURAHAN)
