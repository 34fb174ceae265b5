"""Writes of the musyawarah kelurahan: the record, its attendees, the households it proposed or
dropped, its decisions and the signed scan. Each checks the permission and the actor's area;
the rules themselves sit in the models' ``clean`` so the admin and every path meet them too."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from inti.services import ensure_in_scope, ensure_perm, save_validated
from inti.uploads import scan_type, validate_scan
from musyawarah.choices import KeputusanKeluarga, StatusMusyawarah
from musyawarah.models import KeluargaDibahas, Musyawarah, PesertaMusyawarah
from pmks.models import Keluarga
from wilayah.models import Wilayah

MUSYAWARAH_FIELDS = ("kelurahan", "tanggal", "tempat", "pimpinan", "agenda", "keputusan")
PESERTA_FIELDS = ("nama", "peran", "keterangan")
KELUARGA_FIELDS = ("keluarga", "keputusan", "program", "alasan")


def _status(m: Musyawarah) -> str:
    """Held once its decisions are written (Musyawarah.clean refuses them before its date)."""
    return StatusMusyawarah.SELESAI if m.keputusan.strip() else StatusMusyawarah.DIJADWALKAN


def _locked(actor: User, musyawarah: Musyawarah) -> Musyawarah:
    m = Musyawarah.objects.select_for_update().select_related("kelurahan").get(pk=musyawarah.pk)
    ensure_in_scope(actor, m.kelurahan_id)
    return m


def musyawarah_create(
    *,
    actor: User,
    kelurahan: Wilayah,
    tanggal: datetime.date,
    tempat: str,
    pimpinan: str,
    agenda: str,
    keputusan: str = "",
) -> Musyawarah:
    """Schedule a musyawarah of a kelurahan of the actor's area, or record one already held
    (with its decisions)."""
    ensure_perm(actor, "musyawarah.add_musyawarah")
    ensure_in_scope(actor, kelurahan.pk)
    m = Musyawarah(
        kelurahan=kelurahan,
        tanggal=tanggal,
        tempat=tempat.strip(),
        pimpinan=pimpinan.strip(),
        agenda=agenda.strip(),
        keputusan=keputusan.strip(),
        dicatat_oleh=actor,
    )
    m.status = _status(m)
    with transaction.atomic():
        save_validated(m, actor)
    return m


def musyawarah_update(*, actor: User, musyawarah: Musyawarah, data: dict[str, Any]) -> Musyawarah:
    """Correct the record (date, place, chair, agenda, decisions); it stays in the actor's area."""
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        m = _locked(actor, musyawarah)
        for field in MUSYAWARAH_FIELDS:
            if field in data:
                value = data[field]
                setattr(m, field, value.strip() if isinstance(value, str) else value)
        ensure_in_scope(actor, m.kelurahan_id)
        m.status = _status(m)
        if m.status != StatusMusyawarah.SELESAI and m.usulan.exists():
            raise ValidationError(
                {
                    "keputusan": _(
                        "Usulan bantuan mengutip musyawarah ini sebagai musyawarah yang sudah diadakan; "
                        "keputusannya tidak dapat dikosongkan."
                    )
                }
            )
        save_validated(m, actor)
    return m


def musyawarah_record_decisions(*, actor: User, musyawarah: Musyawarah, keputusan: str) -> Musyawarah:
    """Write what the musyawarah decided; it is then held (never before its date)."""
    if not keputusan.strip():
        raise ValidationError({"keputusan": _("Tuliskan keputusan musyawarah.")})
    return musyawarah_update(actor=actor, musyawarah=musyawarah, data={"keputusan": keputusan})


# -- Attendees -------------------------------------------------------------------------------------


def peserta_add(
    *, actor: User, musyawarah: Musyawarah, nama: str, peran: str, keterangan: str = ""
) -> PesertaMusyawarah:
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        m = _locked(actor, musyawarah)
        p = PesertaMusyawarah(musyawarah=m, nama=nama.strip(), peran=peran, keterangan=keterangan.strip())
        save_validated(p, actor)
    return p


def peserta_update(*, actor: User, peserta: PesertaMusyawarah, data: dict[str, Any]) -> PesertaMusyawarah:
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        _locked(actor, peserta.musyawarah)
        p = PesertaMusyawarah.objects.select_for_update().get(pk=peserta.pk)
        for field in PESERTA_FIELDS:
            if field in data:
                setattr(p, field, data[field].strip())
        save_validated(p, actor)
    return p


def peserta_remove(*, actor: User, peserta: PesertaMusyawarah) -> None:
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        _locked(actor, peserta.musyawarah)
        peserta._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
        peserta.delete()


# -- Households proposed or dropped ----------------------------------------------------------------


def _ensure_not_twice(m: Musyawarah, keluarga: Keluarga, exclude_pk: int | None = None) -> None:
    twice = KeluargaDibahas.objects.filter(musyawarah=m, keluarga=keluarga).exclude(pk=exclude_pk)
    if twice.exists():
        raise ValidationError(
            {"keluarga": _("KK %(kk)s sudah dibahas pada musyawarah ini.") % {"kk": keluarga.no_kk}}
        )


def _ensure_not_cited(row: KeluargaDibahas) -> None:
    """A household whose proposal cites this musyawarah stays "proposed" in it: otherwise the
    proposal would cite minutes that no longer agree. Proposals live in bantuan, above this app;
    they are reached through the reverse accessor their FK declares (related_name "usulan")."""
    cited = row.musyawarah.usulan.filter(keluarga_id=row.keluarga_id).exists()
    if cited:
        raise ValidationError(
            _(
                "Usulan bantuan KK %(kk)s mengutip musyawarah ini; keputusan untuk keluarga ini tidak "
                "dapat diubah atau dihapus. Batalkan atau ganti kutipan usulan itu terlebih dahulu."
            )
            % {"kk": row.keluarga.no_kk}
        )


def keluarga_dibahas_add(
    *,
    actor: User,
    musyawarah: Musyawarah,
    keluarga: Keluarga,
    keputusan: str,
    alasan: str,
    program: str = "",
) -> KeluargaDibahas:
    """Record a household the musyawarah proposed or dropped, with the reason: a household of
    its own kelurahan, once, and only once the musyawarah has taken place."""
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        m = _locked(actor, musyawarah)
        keluarga = Keluarga.objects.select_related("kelurahan").get(pk=keluarga.pk)
        ensure_in_scope(actor, keluarga.kelurahan_id)
        _ensure_not_twice(m, keluarga)
        row = KeluargaDibahas(
            musyawarah=m,
            keluarga=keluarga,
            keputusan=keputusan,
            program=program.strip(),
            alasan=alasan.strip(),
        )
        save_validated(row, actor)
    return row


def keluarga_dibahas_update(*, actor: User, row: KeluargaDibahas, data: dict[str, Any]) -> KeluargaDibahas:
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        m = _locked(actor, row.musyawarah)
        row = KeluargaDibahas.objects.select_for_update().get(pk=row.pk)
        if any(field in data and data[field] != getattr(row, field) for field in ("keluarga", "keputusan")):
            _ensure_not_cited(row)
        for field in KELUARGA_FIELDS:
            if field in data:
                value = data[field]
                setattr(row, field, value.strip() if isinstance(value, str) else value)
        ensure_in_scope(actor, row.keluarga.kelurahan_id)
        _ensure_not_twice(m, row.keluarga, exclude_pk=row.pk)
        save_validated(row, actor)
    return row


def keluarga_dibahas_remove(*, actor: User, row: KeluargaDibahas) -> None:
    ensure_perm(actor, "musyawarah.change_musyawarah")
    with transaction.atomic():
        _locked(actor, row.musyawarah)
        _ensure_not_cited(row)
        row._history_user = actor  # type: ignore[attr-defined]  # read by django-simple-history
        row.delete()


# -- The whole page at once ------------------------------------------------------------------------


def _row(model: Any, pk: Any, m: Musyawarah) -> Any:
    """A row of this musyawarah named by the form; a stale or forged id is a plain refusal."""
    try:
        return model.objects.get(pk=pk, musyawarah=m)
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Baris ini sudah berubah atau bukan milik musyawarah ini; muat ulang halaman dan isi kembali.")
        ) from exc


def musyawarah_save(
    *,
    actor: User,
    musyawarah: Musyawarah | None,
    data: dict[str, Any],
    peserta: Iterable[dict[str, Any]] = (),
    hapus_peserta: Iterable[int] = (),
    keluarga: Iterable[dict[str, Any]] = (),
    hapus_keluarga: Iterable[int] = (),
) -> Musyawarah:
    """The form page: the record, its attendee rows and household rows in one transaction
    (rows with ``pk`` are changed, the others added); one refusal saves nothing."""
    with transaction.atomic():
        if musyawarah is None:
            m = musyawarah_create(actor=actor, **{k: data[k] for k in MUSYAWARAH_FIELDS if k in data})
        else:
            m = musyawarah_update(actor=actor, musyawarah=musyawarah, data=data)
        for pk in hapus_peserta:
            peserta_remove(actor=actor, peserta=_row(PesertaMusyawarah, pk, m))
        for pk in hapus_keluarga:
            keluarga_dibahas_remove(actor=actor, row=_row(KeluargaDibahas, pk, m))
        for p in peserta:
            if p.get("pk"):
                peserta_update(actor=actor, peserta=_row(PesertaMusyawarah, p["pk"], m), data=p)
            else:
                peserta_add(actor=actor, musyawarah=m, **{k: p.get(k, "") for k in PESERTA_FIELDS})
        for row in keluarga:
            if row.get("pk"):
                keluarga_dibahas_update(actor=actor, row=_row(KeluargaDibahas, row["pk"], m), data=row)
            else:
                keluarga_dibahas_add(
                    actor=actor,
                    musyawarah=m,
                    keluarga=row["keluarga"],
                    keputusan=row.get("keputusan") or KeputusanKeluarga.DIUSULKAN,
                    program=row.get("program", ""),
                    alasan=row.get("alasan", ""),
                )
        m.refresh_from_db()
    return m


# -- The signed scan -------------------------------------------------------------------------------


def musyawarah_upload_scan(*, actor: User, musyawarah: Musyawarah, berkas: Any) -> Musyawarah:
    """Attach the signed berita acara (PDF or photo, checked by content); a new one replaces it.
    The stored name comes from the content, never from the uploaded name."""
    ensure_perm(actor, "musyawarah.change_musyawarah")
    if not berkas:
        raise ValidationError({"berkas_scan": _("Pilih berkas pindaian berita acara.")})
    with transaction.atomic():
        m = _locked(actor, musyawarah)
        validate_scan(berkas)  # before renaming: a file named .pdf must really be one
        _content_type, ext = scan_type(berkas)
        berkas.name = f"musyawarah-{m.pk}-{timezone.localdate():%Y%m%d}.{ext}"
        m.berkas_scan = berkas
        save_validated(m, actor, ["berkas_scan", "diubah_pada"])
    return m
