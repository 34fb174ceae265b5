"""The checks of a whole file: household rules, area, duplicates in the file and in the
database, in batches of people; ``validate`` is the check step (nothing written)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from impor.galat import Galat
from impor.kolom import LOOKUP_BATCH, check_columns
from impor.models import DuplikatImpor
from impor.rumah import HasilImpor, Rumah, batched, households
from inti.scoping import scope_of
from pmks.models import AnggotaKeluarga, Keluarga
from pmks.services import anggota_set_errors
from wilayah.selectors import kelurahan_codes


class Validator:
    """Household rules, scope, duplicates in the file and in the database, per batch."""

    def __init__(self, user: Any, duplikat: str) -> None:
        self.user = user
        self.scope = scope_of(user)
        self.duplikat = duplikat
        self.niks_in_file: dict[str, int] = {}
        self.nik_home: dict[str, tuple[str, int]] = {}
        self.kk_pk: dict[str, int] = {}
        self.kk_members: dict[str, list[dict[str, str]]] = {}
        self.kelurahan = kelurahan_codes()

    def check(self, batch: list[Rumah], summary: HasilImpor) -> list[Rumah]:
        """The households of ``batch`` that may be written; errors and skips go to ``summary``."""
        kks = [r.no_kk for r in batch]
        niks = [o.data["nik"] for r in batch for o in r.orang]
        existing_kk = dict(
            Keluarga.objects.filter(no_kk__in_array=kks).order_by().values_list("no_kk", "kelurahan_id")
        )
        people = (
            AnggotaKeluarga.objects.filter(nik__in_array=niks)
            .order_by()
            .values_list("nik", "keluarga__kelurahan_id", "keluarga__no_kk", "pk")
        )
        existing_nik = {nik: kode for nik, kode, _kk, _pk in people}
        self.nik_home = {nik: (kk, pk) for nik, _kode, kk, pk in people}
        if self.duplikat == DuplikatImpor.PERBARUI and existing_kk:
            self.kk_pk = dict(Keluarga.objects.filter(no_kk__in=list(existing_kk)).values_list("no_kk", "pk"))
            self.kk_members = {}
            for kk, nik, hubungan in AnggotaKeluarga.objects.filter(
                keluarga__no_kk__in=list(existing_kk)
            ).values_list("keluarga__no_kk", "nik", "hubungan"):
                self.kk_members.setdefault(kk, []).append({"nik": nik, "hubungan": hubungan})
        ok = []
        for rumah in batch:
            errors: list[Galat] | None
            if self.duplikat == DuplikatImpor.PERBARUI:
                errors = self._update_errors(rumah, existing_kk, existing_nik)
            else:
                errors = self._household_errors(rumah, existing_kk, existing_nik)
            if errors is None:  # skipped as a duplicate
                summary.keluarga_dilewati += 1
                continue
            if errors:
                summary.galat.extend(errors)
                summary.baris_ditolak.update(o.baris for o in rumah.orang)
                continue
            ok.append(rumah)
        return ok

    def _update_errors(self, rumah: Rumah, existing_kk: dict, existing_nik: dict) -> list[Galat]:
        """DuplikatImpor.PERBARUI: existing households and people of the user's area are updated; the
        household rules hold for the merged set (people not in the file stay as they are)."""
        errors = self._household_errors(rumah, {}, {}, check_set=False) or []
        kk = rumah.no_kk
        if kk in existing_kk:
            if not self.scope.allows(existing_kk[kk]):
                errors.append(self._taken(rumah.baris, "no_kk", _("No. KK %(n)s"), kk, existing_kk[kk]))
            rumah.existing_pk = self.kk_pk.get(kk)
        for o in rumah.orang:
            nik = o.data["nik"]
            if nik not in existing_nik:
                continue
            home_kk, pk = self.nik_home[nik]
            if not self.scope.allows(existing_nik[nik]):
                errors.append(self._taken(o.baris, "nik", _("NIK %(n)s"), nik, existing_nik[nik]))
            elif home_kk != kk:
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s terdaftar pada KK %(kk)s; pindah KK diubah lewat halaman keluarga")
                        % {"n": nik, "kk": home_kk},
                    )
                )
            else:
                rumah.existing_people[nik] = pk
        in_file = {o.data["nik"] for o in rumah.orang}
        kept = (
            [m for m in self.kk_members.get(kk, []) if m["nik"] not in in_file] if rumah.existing_pk else []
        )
        for message in anggota_set_errors([o.data for o in rumah.orang] + kept):
            errors.append(Galat(rumah.baris, "hubungan", f"KK {kk}: {message}"))
        return errors

    def _taken(self, baris: int, kolom: str, label: str, nomor: str, kode: str) -> Galat:
        """A NIK or No. KK registered already: where, as far as the user may know."""
        return Galat(
            baris,
            kolom,
            _("%(what)s sudah terdaftar %(w)s") % {"what": label % {"n": nomor}, "w": self._where(kode)},
        )

    def _where(self, kode: str) -> str:
        return (
            _("di wilayah Anda") if self.scope.allows(kode) else _("di kecamatan lain, hubungi Dinas Sosial")
        )

    def _household_errors(
        self, rumah: Rumah, existing_kk: dict, existing_nik: dict, *, check_set: bool = True
    ) -> list[Galat] | None:
        errors: list[Galat] = []
        kode = rumah.data["kelurahan_id"]
        if kode not in self.kelurahan:
            errors.append(
                Galat(rumah.baris, "kode_kelurahan", _("kode kelurahan %(k)s tidak dikenal") % {"k": kode})
            )
        elif not self.scope.allows(kode):
            errors.append(
                Galat(
                    rumah.baris,
                    "kode_kelurahan",
                    _("kelurahan %(k)s di luar wilayah tugas Anda") % {"k": kode},
                )
            )
        duplicate = rumah.no_kk in existing_kk or any(o.data["nik"] in existing_nik for o in rumah.orang)
        if duplicate and self.duplikat == DuplikatImpor.LEWATI and not errors:
            return None
        if rumah.no_kk in existing_kk:
            errors.append(
                self._taken(rumah.baris, "no_kk", _("No. KK %(n)s"), rumah.no_kk, existing_kk[rumah.no_kk])
            )
        for o in rumah.orang:
            nik = o.data["nik"]
            if nik in existing_nik:
                errors.append(self._taken(o.baris, "nik", _("NIK %(n)s"), nik, existing_nik[nik]))
            if nik in self.niks_in_file:
                errors.append(
                    Galat(
                        o.baris,
                        "nik",
                        _("NIK %(n)s sudah ada di baris %(b)s berkas ini")
                        % {"n": nik, "b": self.niks_in_file[nik]},
                    )
                )
            else:
                self.niks_in_file[nik] = o.baris
        if check_set:
            for message in anggota_set_errors([o.data for o in rumah.orang]):
                errors.append(Galat(rumah.baris, "hubungan", f"KK {rumah.no_kk}: {message}"))
        return errors


def validate(*, user: Any, path: Path, duplikat: str, progress: Any = None) -> HasilImpor:
    """Pass 1: check the whole file, write nothing. ``progress(rows_done)`` after each batch."""
    check_columns(path)
    summary = HasilImpor()
    validator = Validator(user, duplikat)
    for batch in batched(households(path, summary), LOOKUP_BATCH):
        summary.keluarga += len(batch)
        validator.check(batch, summary)
        if progress:
            progress(summary.baris)
    if summary.baris == 0:
        raise ValidationError(_("Berkas tidak berisi baris data."))
    return summary
