"""Proposals citing the musyawarah kelurahan that agreed them, and the programmes that require
it. Which musyawarah a proposal may cite is the musyawarah app's rule
(``musyawarah.selectors.alasan_tidak_dapat_dikutip``); this module applies it to proposals and
lists."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from bantuan.choices import StatusUsulan
from bantuan.models import DaftarPenerima, EntriDaftar, Usulan
from inti.services import ensure_in_scope, ensure_perm, save_validated
from musyawarah.models import Musyawarah
from musyawarah.selectors import alasan_tidak_dapat_dikutip
from pmks.models import Keluarga


def ensure_dapat_dikutip(musyawarah: Musyawarah | None, keluarga: Keluarga) -> None:
    """Refuse a musyawarah of another kelurahan, a scheduled one, or one that did not propose
    this household. Called inside the caller's transaction: the musyawarah row is locked, as its
    own services lock it before changing a household's decision, so a citation and a change of
    the minutes never cross."""
    if musyawarah is None:
        return
    musyawarah = Musyawarah.objects.select_for_update().get(pk=musyawarah.pk)
    alasan = alasan_tidak_dapat_dikutip(musyawarah, keluarga)
    if alasan:
        raise ValidationError({"musyawarah": alasan})


def usulan_cite_musyawarah(*, actor: User, usulan: Usulan, musyawarah: Musyawarah) -> Usulan:
    """Cite the musyawarah on a proposal still waiting for a list (before it was recorded, or
    proposed before the minutes were entered)."""
    ensure_perm(actor, "bantuan.add_usulan")
    with transaction.atomic():
        usulan = Usulan.objects.select_for_update().select_related("keluarga").get(pk=usulan.pk)
        ensure_in_scope(actor, usulan.keluarga.kelurahan_id)
        if usulan.status != StatusUsulan.DIAJUKAN:
            raise ValidationError(
                _(
                    "Usulan ini berstatus %(s)s; musyawarah hanya dapat dikutip pada usulan yang "
                    "belum masuk daftar."
                )
                % {"s": usulan.get_status_display()}
            )
        ensure_dapat_dikutip(musyawarah, usulan.keluarga)
        usulan.musyawarah = musyawarah
        save_validated(usulan, actor, ["musyawarah", "diubah_pada"])
    return usulan


def entri_tanpa_musyawarah(daftar: DaftarPenerima) -> QuerySet[EntriDaftar]:
    """Active entries of a list whose proposal cites no musyawarah (all areas: the rule of the
    whole list; screens narrow it with ``for_user``)."""
    return daftar.entri.filter(aktif=True, usulan__musyawarah__isnull=True).select_related("keluarga")


def ensure_musyawarah_lengkap(daftar: DaftarPenerima) -> None:
    """A programme that requires the musyawarah: every active entry cites one before the list is
    submitted; the refusal names the KKs."""
    if not daftar.tahap.program.wajib_musyawarah:
        return
    kurang = sorted(entri_tanpa_musyawarah(daftar).values_list("keluarga__no_kk", flat=True))
    if kurang:
        raise ValidationError(
            _(
                "%(p)s mewajibkan musyawarah kelurahan: %(n)s usulan belum mengutip berita acara "
                "musyawarah (KK %(kk)s). Kutip musyawarahnya atau keluarkan entri tersebut "
                "sebelum mengajukan."
            )
            % {"p": daftar.tahap.program, "n": len(kurang), "kk": ", ".join(kurang)}
        )


def usulan_tanpa_musyawarah_ids(*, user: Any, daftar: DaftarPenerima) -> set[int]:
    """Entry pks of the list, in the user's area, whose proposal cites no musyawarah."""
    return set(
        EntriDaftar.objects.for_user(user)
        .filter(pk__in=entri_tanpa_musyawarah(daftar).values("pk"))
        .values_list("pk", flat=True)
    )
