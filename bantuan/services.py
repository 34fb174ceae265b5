"""Writes for aid: proposals, beneficiary lists and their approval, distributions, follow-ups.

Every status change locks the list row (``select_for_update``) and checks the status it expects,
so two staff acting on one list at the same moment get one result and one clear refusal. Lists
carry a version number that editors send back; a stale version is refused the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan import pemberitahuan
from bantuan.choices import SasaranProgram, StatusDaftar, StatusPemantauan, StatusUsulan
from bantuan.kutipan import ensure_dapat_dikutip, ensure_musyawarah_lengkap
from bantuan.models import (
    AmandemenDaftar,
    DaftarPenerima,
    EntriDaftar,
    Pemantauan,
    Penyaluran,
    RiwayatDaftar,
    TahapProgram,
    Usulan,
)
from bantuan.rules import dasar_persetujuan, kunci_tambahan, kuota_daftar, pengecualian_daftar
from inti.models import AturanPemisahan
from inti.pemisahan import ensure_pemisahan
from inti.scoping import scope_of
from inti.services import ensure_in_scope, ensure_perm, save_validated
from kabar.choices import Peristiwa
from musyawarah.models import Musyawarah
from pmks.choices import Hubungan
from pmks.models import AnggotaKeluarga, Keluarga

# -- Usulan ----------------------------------------------------------------------------------------


def usulan_create(
    *,
    actor: User,
    tahap: TahapProgram,
    keluarga: Keluarga,
    alasan: str,
    anggota: AnggotaKeluarga | None = None,
    musyawarah: Musyawarah | None = None,
) -> Usulan:
    """Propose a household (or one member) of the actor's area for a programme stage, citing
    the musyawarah kelurahan that agreed it (``kutipan.ensure_dapat_dikutip``)."""
    ensure_perm(actor, "bantuan.add_usulan")
    if not alasan.strip():
        raise ValidationError(_("Alasan usulan wajib diisi."))
    with transaction.atomic():
        keluarga = Keluarga.objects.select_for_update().get(pk=keluarga.pk)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        tahap = TahapProgram.objects.select_related("program").get(pk=tahap.pk)
        if not tahap.usulan_dibuka or not tahap.program.aktif:
            raise ValidationError(_("Usulan untuk %(t)s sudah ditutup.") % {"t": tahap})
        if anggota is not None and anggota.keluarga_id != keluarga.pk:
            raise ValidationError(_("Anggota tidak termasuk keluarga ini."))
        ensure_dapat_dikutip(musyawarah, keluarga)
        perorangan = tahap.program.sasaran == SasaranProgram.PERSEORANGAN
        if perorangan and anggota is None:
            raise ValidationError(
                _("%(p)s untuk perseorangan: pilih anggota yang diusulkan.") % {"p": tahap.program}
            )
        if not perorangan and anggota is not None:
            raise ValidationError(
                _("%(p)s untuk keluarga: kosongkan pilihan anggota.") % {"p": tahap.program}
            )
        # A proposal that was withdrawn or rejected without reaching a list does not count; one
        # taken off a list by an amendment does (its entry stays on that list as history).
        existing = (
            Usulan.objects.filter(tahap=tahap, keluarga=keluarga)
            .exclude(status__in=[StatusUsulan.DIBATALKAN, StatusUsulan.DITOLAK], entri__isnull=True)
            .first()
        )
        if existing:
            raise ValidationError(
                _("KK %(kk)s sudah diusulkan untuk %(t)s (status: %(s)s).")
                % {"kk": keluarga.no_kk, "t": tahap, "s": existing.get_status_display()}
            )
        usulan = Usulan(
            tahap=tahap,
            keluarga=keluarga,
            anggota=anggota,
            alasan=alasan.strip(),
            diusulkan_oleh=actor,
            musyawarah=musyawarah,
        )
        try:
            with transaction.atomic():
                save_validated(usulan, actor)
        except IntegrityError as exc:
            raise ValidationError(_("Keluarga ini sudah diusulkan untuk tahap program tersebut.")) from exc
    return usulan


def usulan_bulk_create(
    *,
    actor: User,
    tahap: TahapProgram,
    keluarga: Iterable[Keluarga],
    alasan: str,
    musyawarah: Mapping[int, Musyawarah] | None = None,
) -> tuple[list[Usulan], list[str]]:
    """Propose several households at once; returns (created, messages about those skipped).
    ``musyawarah``: household pk -> the musyawarah each proposal cites."""
    created, skipped = [], []
    perorangan = tahap.program.sasaran == SasaranProgram.PERSEORANGAN
    for k in keluarga:
        # A person-target programme proposes the head of each household chosen in bulk.
        anggota = k.anggota.filter(hubungan=Hubungan.KEPALA).first() if perorangan else None
        try:
            created.append(
                usulan_create(
                    actor=actor,
                    tahap=tahap,
                    keluarga=k,
                    alasan=alasan,
                    anggota=anggota,
                    musyawarah=(musyawarah or {}).get(k.pk),
                )
            )
        except ValidationError as exc:
            skipped.append(f"KK {k.no_kk}: {' '.join(exc.messages)}")
    return created, skipped


def _decide_pending(*, actor: User, usulan: Usulan, alasan: str, to: str) -> Usulan:
    """Close a proposal that is not on a list (yet): rejected by the Dinas, or withdrawn."""
    if not alasan.strip():
        raise ValidationError(_("Alasan wajib diisi."))
    with transaction.atomic():
        usulan = Usulan.objects.select_for_update().select_related("keluarga").get(pk=usulan.pk)
        ensure_in_scope(actor, usulan.keluarga.kelurahan_id)
        if usulan.status != StatusUsulan.DIAJUKAN:
            raise ValidationError(
                _("Usulan ini berstatus %(s)s; hanya usulan yang belum masuk daftar yang dapat diubah.")
                % {"s": usulan.get_status_display()}
            )
        usulan.status = to
        usulan.keterangan_status = alasan.strip()
        save_validated(usulan, actor, ["status", "keterangan_status", "diubah_pada"])
    return usulan


def usulan_reject(*, actor: User, usulan: Usulan, alasan: str) -> Usulan:
    """The Dinas turns down a proposal that is not on a list; the TKSK sees the reason."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        usulan = _decide_pending(actor=actor, usulan=usulan, alasan=alasan, to=StatusUsulan.DITOLAK)
        pemberitahuan.usulan_ditolak(usulan=usulan, actor=actor, alasan=usulan.keterangan_status)
    return usulan


def usulan_cancel(*, actor: User, usulan: Usulan, alasan: str) -> Usulan:
    """The field withdraws a proposal before it is put on a list (proposed by mistake, the
    family moved away); the reason stays with it."""
    ensure_perm(actor, "bantuan.add_usulan")
    return _decide_pending(actor=actor, usulan=usulan, alasan=alasan, to=StatusUsulan.DIBATALKAN)


# -- Daftar penerima -------------------------------------------------------------------------------


def _log(
    daftar: DaftarPenerima, actor: User, tindakan: str, dari: str, catatan: str = "", entri=None
) -> None:
    RiwayatDaftar.objects.create(
        daftar=daftar,
        dari_status=dari,
        ke_status=daftar.status,
        tindakan=tindakan,
        oleh=actor,
        catatan=catatan,
        entri=entri,
    )


def _locked(daftar: DaftarPenerima, versi: int | None) -> DaftarPenerima:
    locked = DaftarPenerima.objects.select_for_update().select_related("tahap__program").get(pk=daftar.pk)
    if versi is not None and locked.versi != versi:
        raise ValidationError(
            _(
                "Daftar ini baru saja diubah pengguna lain (versi %(v)s, Anda melihat versi %(w)s). "
                "Muat ulang halaman dan periksa kembali."
            )
            % {"v": locked.versi, "w": versi}
        )
    return locked


def _expect(daftar: DaftarPenerima, *allowed: str) -> None:
    if daftar.status not in allowed:
        who = daftar.diputuskan_oleh or daftar.diverifikasi_oleh or daftar.diajukan_oleh
        raise ValidationError(
            _("Daftar ini berstatus %(s)s%(oleh)s; tindakan ini tidak dapat dilakukan.")
            % {"s": daftar.get_status_display(), "oleh": _(" (oleh %(u)s)") % {"u": who} if who else ""}
        )


def _add_entries(daftar: DaftarPenerima, usulan: Iterable[Usulan], actor: User, amandemen: bool) -> int:
    added = 0
    for u in usulan:
        entri = EntriDaftar(
            daftar=daftar,
            usulan=u,
            keluarga_id=u.keluarga_id,
            anggota_id=u.anggota_id,
            ditambahkan_lewat_amandemen=amandemen,
        )
        save_validated(entri, actor)
        u.status = StatusUsulan.DALAM_DAFTAR
        save_validated(u, actor, ["status", "diubah_pada"])
        added += 1
    return added


def daftar_build(*, actor: User, tahap: TahapProgram) -> DaftarPenerima:
    """Create the stage's draft list (if needed) and add every pending proposal to it."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        tahap = TahapProgram.objects.select_for_update().get(pk=tahap.pk)
        daftar = DaftarPenerima.objects.filter(tahap=tahap).first()
        if daftar is None:
            daftar = DaftarPenerima(tahap=tahap, dibuat_oleh=actor)
            save_validated(daftar, actor)
            _log(daftar, actor, "dibuat", "")
        daftar = _locked(daftar, None)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        # Locked: a proposal rejected at this moment must not land on the list anyway.
        pending = list(
            Usulan.objects.select_for_update()
            .filter(tahap=tahap, status=StatusUsulan.DIAJUKAN)
            .order_by("pk")
        )
        added = _add_entries(daftar, pending, actor, amandemen=False)
        if added:
            _bump(daftar, actor, StatusDaftar.DRAF, "usulan ditambahkan", _("%(n)s usulan") % {"n": added})
            pemberitahuan.usulan_ke_lapangan(
                daftar=daftar,
                usulan=Usulan.objects.filter(pk__in=[u.pk for u in pending])
                .select_related("keluarga", "diusulkan_oleh")
                .order_by("keluarga__kelurahan_id", "pk"),
                jenis=Peristiwa.USULAN_MASUK_DAFTAR,
                judul=_("%(n)s usulan masuk daftar penerima %(t)s"),
                actor=actor,
            )
    return daftar


def _bump(
    daftar: DaftarPenerima,
    actor: User,
    status: str,
    tindakan: str,
    catatan: str = "",
    fields: tuple[str, ...] = (),
    entri=None,
) -> None:
    dari = daftar.status
    daftar.status = status
    daftar.versi += 1
    save_validated(daftar, actor, ["status", "versi", "diubah_pada", *fields])
    _log(daftar, actor, tindakan, dari, catatan, entri)


def daftar_remove_entries(
    *, actor: User, daftar: DaftarPenerima, entri_ids: Iterable[int], versi: int | None, alasan: str = ""
) -> int:
    """Take proposals off a draft (or returned) list; they become pending again."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        entries = list(
            EntriDaftar.objects.for_user(actor)
            .filter(daftar=daftar, pk__in=list(entri_ids))
            .select_related("usulan")
        )
        for e in entries:
            u = e.usulan
            e._history_user = actor
            e.delete()
            u.status = StatusUsulan.DIAJUKAN
            save_validated(u, actor, ["status", "diubah_pada"])
        if entries:
            _bump(
                daftar,
                actor,
                StatusDaftar.DRAF,
                "entri dikeluarkan",
                _("%(n)s entri. %(a)s") % {"n": len(entries), "a": alasan},
            )
    return len(entries)


def daftar_submit(*, actor: User, daftar: DaftarPenerima, versi: int | None = None) -> DaftarPenerima:
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DRAF, StatusDaftar.DITOLAK)
        if not daftar.entri.filter(aktif=True).exists():
            raise ValidationError(_("Daftar masih kosong; tambahkan usulan terlebih dahulu."))
        ensure_musyawarah_lengkap(daftar)
        daftar.diajukan_oleh, daftar.diajukan_pada = actor, timezone.now()
        _bump(daftar, actor, StatusDaftar.DIAJUKAN, "diajukan", fields=("diajukan_oleh", "diajukan_pada"))
        pemberitahuan.daftar_ke_dinas(
            daftar=daftar,
            jenis=Peristiwa.DAFTAR_DIAJUKAN,
            judul=_("Daftar %(t)s diajukan, menunggu verifikasi"),
            perm="bantuan.manage_daftarpenerima",
            actor=actor,
        )
    return daftar


def daftar_verify(
    *, actor: User, daftar: DaftarPenerima, versi: int | None = None, catatan: str = ""
) -> DaftarPenerima:
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIAJUKAN)
        ensure_pemisahan(
            AturanPemisahan.DAFTAR_VERIFIKASI, actor=actor, pelaku=daftar.diajukan_oleh, objek=daftar
        )
        # What the verifier vouched for, exceptions included: the approver answers each of them.
        pengecualian = pengecualian_daftar(daftar)
        entries = list(daftar.entri.filter(aktif=True))
        for e in entries:
            e.tanda_verifikasi = [t.as_json() for t in pengecualian.get(e.pk, [])]
        EntriDaftar.objects.bulk_update(entries, ["tanda_verifikasi"], batch_size=1000)
        daftar.diverifikasi_oleh, daftar.diverifikasi_pada = actor, timezone.now()
        _bump(
            daftar,
            actor,
            StatusDaftar.DIVERIFIKASI,
            "diverifikasi",
            catatan,
            fields=("diverifikasi_oleh", "diverifikasi_pada"),
        )
        pemberitahuan.daftar_ke_dinas(
            daftar=daftar,
            jenis=Peristiwa.DAFTAR_DIVERIFIKASI,
            judul=_("Daftar %(t)s diverifikasi, menunggu persetujuan"),
            isi=catatan,
            perm="bantuan.approve_daftarpenerima",
            kepada=[daftar.diajukan_oleh],
            actor=actor,
        )
    return daftar


def _ensure_whole_list_in_scope(actor: User, daftar: DaftarPenerima) -> None:
    scope = scope_of(actor)
    if scope.unrestricted:
        return
    kelurahan = set(daftar.entri.values_list("keluarga__kelurahan_id", flat=True))
    if not all(scope.allows(k) for k in kelurahan):
        raise PermissionDenied(
            _(
                "Daftar ini memuat penerima di luar wilayah Anda; keputusan harus "
                "diambil oleh staf tingkat kota."
            )
        )


def daftar_approve(
    *,
    actor: User,
    daftar: DaftarPenerima,
    nomor_sk: str,
    tanggal_sk: datetime.date,
    versi: int | None = None,
    alasan: Mapping[int, str] | None = None,
) -> DaftarPenerima:
    """Approve and freeze a verified list. Neither its submitter nor its verifier approves it;
    every entry with an exception (``rules.pengecualian_daftar``) needs the approver's written
    reason (``alasan``: entry pk -> text). Each entry keeps the facts that justified it."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not nomor_sk.strip() or tanggal_sk is None:
        raise ValidationError(_("Nomor dan tanggal SK wajib diisi untuk menyetujui daftar."))
    alasan = {pk: text.strip() for pk, text in (alasan or {}).items() if text and text.strip()}
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIVERIFIKASI)
        ensure_pemisahan(
            AturanPemisahan.DAFTAR_SETUJU_PENGAJU, actor=actor, pelaku=daftar.diajukan_oleh, objek=daftar
        )
        ensure_pemisahan(
            AturanPemisahan.DAFTAR_SETUJU_VERIFIKATOR,
            actor=actor,
            pelaku=daftar.diverifikasi_oleh,
            objek=daftar,
        )
        _ensure_whole_list_in_scope(actor, daftar)
        problems = kuota_daftar(daftar.tahap).lebih_total
        if problems:
            raise ValidationError(problems)
        entries = list(daftar.entri.filter(aktif=True).select_related("keluarga"))
        pengecualian = pengecualian_daftar(daftar)
        unexplained = [e for e in entries if e.pk in pengecualian and e.pk not in alasan]
        if unexplained:
            raise ValidationError(
                [
                    _("KK %(kk)s: %(tanda)s Tuliskan alasan persetujuannya.")
                    % {"kk": e.keluarga.no_kk, "tanda": " ".join(t.pesan for t in pengecualian[e.pk])}
                    for e in unexplained
                ]
            )
        dasar = dasar_persetujuan(entries, pengecualian)
        for e in entries:
            e.dasar_persetujuan = dasar[e.pk]
            e.alasan_pengecualian = alasan.get(e.pk, "") if e.pk in pengecualian else ""
            save_validated(e, actor, ["dasar_persetujuan", "alasan_pengecualian", "diubah_pada"])
        daftar.diputuskan_oleh, daftar.diputuskan_pada = actor, timezone.now()
        daftar.nomor_sk, daftar.tanggal_sk = nomor_sk.strip(), tanggal_sk
        _bump(
            daftar,
            actor,
            StatusDaftar.DISETUJUI,
            "disetujui",
            _("SK %(n)s") % {"n": daftar.nomor_sk},
            fields=("diputuskan_oleh", "diputuskan_pada", "nomor_sk", "tanggal_sk"),
        )
        pemberitahuan.daftar_disetujui(daftar=daftar, actor=actor)
    return daftar


def daftar_reject(
    *, actor: User, daftar: DaftarPenerima, alasan: str, versi: int | None = None
) -> DaftarPenerima:
    """Return a submitted or verified list with a reason; staff correct it and submit again."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not alasan.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        daftar = _locked(daftar, versi)
        _expect(daftar, StatusDaftar.DIAJUKAN, StatusDaftar.DIVERIFIKASI)
        _ensure_whole_list_in_scope(actor, daftar)
        daftar.entri.update(tanda_verifikasi=[])  # corrected and verified again
        daftar.alasan_penolakan = alasan.strip()
        daftar.diputuskan_oleh, daftar.diputuskan_pada = actor, timezone.now()
        _bump(
            daftar,
            actor,
            StatusDaftar.DITOLAK,
            "ditolak",
            daftar.alasan_penolakan,
            fields=("alasan_penolakan", "diputuskan_oleh", "diputuskan_pada"),
        )
        pemberitahuan.daftar_ke_dinas(
            daftar=daftar,
            jenis=Peristiwa.DAFTAR_DITOLAK,
            judul=_("Daftar %(t)s dikembalikan"),
            isi=_("Alasan: %(a)s") % {"a": daftar.alasan_penolakan},
            kepada=[daftar.diajukan_oleh, daftar.diverifikasi_oleh],
            actor=actor,
        )
    return daftar


# -- Amendments of a frozen list -------------------------------------------------------------------


def _amendment_target(daftar: DaftarPenerima, jenis: str, usulan: Usulan | None, entri: EntriDaftar | None):
    """Lock and check what an amendment adds (a pending proposal of the stage, within the
    stage's quota) or takes off (an active entry not yet distributed); the household's kelurahan
    is returned for the area check."""
    if jenis == AmandemenDaftar.Jenis.TAMBAH:
        if usulan is None:
            raise ValidationError(_("Pilih usulan yang ditambahkan."))
        usulan = Usulan.objects.select_for_update().select_related("keluarga__kelurahan").get(pk=usulan.pk)
        if usulan.tahap_id != daftar.tahap_id or usulan.status != StatusUsulan.DIAJUKAN:
            raise ValidationError(_("Hanya usulan tahap ini yang belum masuk daftar yang dapat ditambahkan."))
        problems = kuota_daftar(daftar.tahap, extra_keluarga=[usulan.keluarga]).lebih_total
        if problems:
            raise ValidationError(problems)
        return usulan.keluarga
    if entri is None:
        raise ValidationError(_("Pilih penerima yang dikeluarkan."))
    entri = EntriDaftar.objects.select_for_update().select_related("keluarga").get(pk=entri.pk, daftar=daftar)
    if not entri.aktif:
        raise ValidationError(_("Penerima ini sudah dikeluarkan dari daftar."))
    if entri.penyaluran.exists():
        raise ValidationError(_("Bantuan untuk penerima ini sudah disalurkan; tidak dapat dikeluarkan."))
    return entri.keluarga


def amandemen_propose(
    *,
    actor: User,
    daftar: DaftarPenerima,
    jenis: str,
    alasan: str,
    usulan: Usulan | None = None,
    entri: EntriDaftar | None = None,
) -> AmandemenDaftar:
    """Propose a change to an approved list, with a reason; another staff member decides it."""
    ensure_perm(actor, "bantuan.manage_daftarpenerima")
    if not alasan.strip():
        raise ValidationError(_("Amandemen wajib disertai alasan."))
    with transaction.atomic():
        daftar = _locked(daftar, None)
        _expect(daftar, StatusDaftar.DISETUJUI)
        keluarga = _amendment_target(daftar, jenis, usulan, entri)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        amandemen = AmandemenDaftar(
            daftar=daftar,
            jenis=jenis,
            keluarga=keluarga,
            usulan=usulan if jenis == AmandemenDaftar.Jenis.TAMBAH else None,
            entri=entri if jenis == AmandemenDaftar.Jenis.KELUARKAN else None,
            alasan=alasan.strip(),
            diusulkan_oleh=actor,
        )
        save_validated(amandemen, actor)
        _log(
            daftar,
            actor,
            f"amandemen diusulkan: {amandemen.jenis}",
            daftar.status,
            _("Alasan: %(a)s") % {"a": amandemen.alasan},
            entri=amandemen.entri,
        )
        pemberitahuan.amandemen_diajukan(amandemen=amandemen, actor=actor)
    return amandemen


def _decided(amandemen: AmandemenDaftar, actor: User, status: str, catatan: str) -> None:
    amandemen.status, amandemen.catatan_keputusan = status, catatan.strip()
    amandemen.diputuskan_oleh, amandemen.diputuskan_pada = actor, timezone.now()
    fields = ["status", "catatan_keputusan", "diputuskan_oleh", "diputuskan_pada", "diubah_pada"]
    save_validated(amandemen, actor, fields)


def amandemen_approve(
    *, actor: User, amandemen: AmandemenDaftar, catatan: str = "", versi: int | None = None
) -> AmandemenDaftar:
    """Approve and apply a proposed amendment: never by its proposer. A household it adds is
    judged as if on the list (``pengecualian_daftar``): each exception needs the approver's
    written reason (``catatan``), and the entry keeps the facts of its approval."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    with transaction.atomic():
        amandemen = (
            AmandemenDaftar.objects.select_for_update().select_related("diusulkan_oleh").get(pk=amandemen.pk)
        )
        daftar = _locked(amandemen.daftar, versi)
        _expect(daftar, StatusDaftar.DISETUJUI)
        if amandemen.status != AmandemenDaftar.Status.DIAJUKAN:
            raise ValidationError(_("Amandemen ini sudah diputuskan."))
        ensure_pemisahan(
            AturanPemisahan.AMANDEMEN, actor=actor, pelaku=amandemen.diusulkan_oleh, objek=amandemen
        )
        keluarga = _amendment_target(daftar, amandemen.jenis, amandemen.usulan, amandemen.entri)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        if amandemen.jenis == AmandemenDaftar.Jenis.TAMBAH:
            assert amandemen.usulan is not None  # checked by _amendment_target
            tanda = pengecualian_daftar(daftar, [amandemen.usulan]).get(kunci_tambahan(amandemen.usulan), [])
            if tanda and not catatan.strip():
                raise ValidationError(
                    _("KK %(kk)s: %(tanda)s Tuliskan alasan persetujuan amandemen ini.")
                    % {"kk": keluarga.no_kk, "tanda": " ".join(t.pesan for t in tanda)}
                )
            _add_entries(daftar, [amandemen.usulan], actor, amandemen=True)
            entri = EntriDaftar.objects.get(usulan=amandemen.usulan)
            entri.dasar_persetujuan = dasar_persetujuan([entri], pengecualian_daftar(daftar))[entri.pk]
            entri.alasan_pengecualian = catatan.strip() if tanda else ""
            save_validated(entri, actor, ["dasar_persetujuan", "alasan_pengecualian", "diubah_pada"])
            amandemen.entri = entri
            amandemen.save(update_fields=["entri"])
        else:
            entri = EntriDaftar.objects.select_related("usulan").get(pk=amandemen.entri_id)
            entri.aktif = False
            save_validated(entri, actor, ["aktif", "diubah_pada"])
            entri.usulan.status = StatusUsulan.DITOLAK
            entri.usulan.keterangan_status = _("Dikeluarkan lewat amandemen: %(a)s") % {"a": amandemen.alasan}
            save_validated(entri.usulan, actor, ["status", "keterangan_status", "diubah_pada"])
        _decided(amandemen, actor, AmandemenDaftar.Status.DISETUJUI, catatan)
        note = _("Diusulkan %(p)s: %(a)s") % {"p": amandemen.diusulkan_oleh, "a": amandemen.alasan}
        _bump(
            daftar,
            actor,
            StatusDaftar.DISETUJUI,
            f"amandemen disetujui: {amandemen.jenis}",
            note,
            entri=entri,
        )
        pemberitahuan.amandemen_diputuskan(amandemen=amandemen, actor=actor)
    return amandemen


def amandemen_reject(*, actor: User, amandemen: AmandemenDaftar, catatan: str) -> AmandemenDaftar:
    """Turn a proposed amendment down, with a reason; the list stays as it is."""
    ensure_perm(actor, "bantuan.approve_daftarpenerima")
    if not catatan.strip():
        raise ValidationError(_("Alasan penolakan wajib diisi."))
    with transaction.atomic():
        amandemen = AmandemenDaftar.objects.select_for_update().get(pk=amandemen.pk)
        if amandemen.status != AmandemenDaftar.Status.DIAJUKAN:
            raise ValidationError(_("Amandemen ini sudah diputuskan."))
        ensure_in_scope(actor, amandemen.keluarga.kelurahan_id)
        _decided(amandemen, actor, AmandemenDaftar.Status.DITOLAK, catatan)
        _log(
            amandemen.daftar,
            actor,
            "amandemen ditolak",
            amandemen.daftar.status,
            catatan.strip(),
            entri=amandemen.entri,
        )
        pemberitahuan.amandemen_diputuskan(amandemen=amandemen, actor=actor)
    return amandemen


# -- Penyaluran and pemantauan ---------------------------------------------------------------------


def penyaluran_create(
    *,
    actor: User,
    entri: EntriDaftar,
    tanggal: datetime.date,
    uraian: str,
    penerima: str,
    nama_wakil: str = "",
    hubungan_wakil: str = "",
    foto: Any = None,
) -> Penyaluran:
    """Record the hand-over to an approved recipient and schedule the programme's follow-ups."""
    ensure_perm(actor, "bantuan.add_penyaluran")
    with transaction.atomic():
        entri = (
            EntriDaftar.objects.select_for_update()
            .select_related("daftar__tahap__program", "keluarga")
            .get(pk=entri.pk)
        )
        ensure_in_scope(actor, entri.keluarga.kelurahan_id)
        if not entri.aktif or entri.daftar.status != StatusDaftar.DISETUJUI:
            raise ValidationError(
                _("KK %(kk)s tidak ada di daftar penerima yang disetujui.") % {"kk": entri.keluarga.no_kk}
            )
        if entri.penyaluran.exists():
            raise ValidationError(_("Penyaluran untuk penerima ini sudah dicatat."))
        if tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal penyaluran tidak boleh di masa depan.")})
        approvers = {entri.daftar.diputuskan_oleh_id}
        if entri.ditambahkan_lewat_amandemen:  # whoever approved adding it approved this recipient
            approvers |= set(
                AmandemenDaftar.objects.filter(
                    entri=entri, status=AmandemenDaftar.Status.DISETUJUI
                ).values_list("diputuskan_oleh_id", flat=True)
            )
        ensure_pemisahan(AturanPemisahan.PENYALURAN, actor=actor, pelaku=approvers, objek=entri)
        if entri.daftar.tanggal_sk and tanggal < entri.daftar.tanggal_sk:
            raise ValidationError(
                {
                    "tanggal": _("Tanggal penyaluran tidak boleh sebelum tanggal SK (%(d)s).")
                    % {"d": entri.daftar.tanggal_sk.strftime("%d/%m/%Y")}
                }
            )
        penyaluran = Penyaluran(
            entri=entri,
            tanggal=tanggal,
            uraian=uraian,
            penerima=penerima,
            nama_wakil=nama_wakil,
            hubungan_wakil=hubungan_wakil,
            petugas=actor,
        )
        if foto:
            penyaluran.foto = foto
        save_validated(penyaluran, actor)
        for hari in entri.daftar.tahap.program.jadwal_pemantauan:
            p = Pemantauan(penyaluran=penyaluran, jadwal=tanggal + datetime.timedelta(days=hari))
            save_validated(p, actor)
        pemberitahuan.penyaluran_dicatat(penyaluran=penyaluran, actor=actor)
    return penyaluran


def pemantauan_schedule(*, actor: User, penyaluran: Penyaluran, jadwal: datetime.date) -> Pemantauan:
    """Add an extra follow-up, from today on (Pemantauan.clean keeps it after the distribution)."""
    ensure_perm(actor, "bantuan.change_pemantauan")
    ensure_in_scope(actor, penyaluran.entri.keluarga.kelurahan_id)
    if penyaluran.tanggal <= jadwal < timezone.localdate():  # earlier still: Pemantauan.clean says why
        raise ValidationError({"jadwal": _("Jadwal pemantauan tambahan tidak boleh sebelum hari ini.")})
    if penyaluran.pemantauan.filter(jadwal=jadwal, status=StatusPemantauan.TERJADWAL).exists():
        raise ValidationError({"jadwal": _("Pada tanggal itu sudah ada pemantauan terjadwal.")})
    with transaction.atomic():
        p = Pemantauan(penyaluran=penyaluran, jadwal=jadwal)
        save_validated(p, actor)
    return p


PEMANTAUAN_FIELDS = (
    "diterima_tepat_waktu",
    "progres_persen",
    "foto_sebelum",
    "foto_sesudah",
    "kambing_jumlah",
    "kambing_lahir",
    "kambing_mati",
    "kambing_dijual",
    "usaha_berjalan",
    "omzet_bulanan",
    "catatan",
)


def pemantauan_record(
    *, actor: User, pemantauan: Pemantauan, tanggal: datetime.date, data: dict[str, Any]
) -> Pemantauan:
    """Record what the follow-up visit found."""
    ensure_perm(actor, "bantuan.change_pemantauan")
    with transaction.atomic():
        p = (
            Pemantauan.objects.select_for_update()
            .select_related("penyaluran__entri__keluarga")
            .get(pk=pemantauan.pk)
        )
        ensure_in_scope(actor, p.penyaluran.entri.keluarga.kelurahan_id)
        if p.status == StatusPemantauan.SELESAI:
            raise ValidationError(
                _("Pemantauan ini sudah dicatat pada %(d)s.") % {"d": p.tanggal.strftime("%d/%m/%Y")}
            )
        if tanggal > timezone.localdate():
            raise ValidationError({"tanggal": _("Tanggal pemantauan tidak boleh di masa depan.")})
        for field in PEMANTAUAN_FIELDS:
            if field in data and data[field] not in (None, ""):
                setattr(p, field, data[field])
        p.tanggal, p.petugas, p.status = tanggal, actor, StatusPemantauan.SELESAI
        save_validated(p, actor)
    return p
