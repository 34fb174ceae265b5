"""Two staff deciding the same list at the same moment: exactly one wins (PostgreSQL).

SQLite ignores SELECT ... FOR UPDATE, so these run only on PostgreSQL, in real transactions
on two database connections (threads)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from bantuan import services as aid
from bantuan.choices import StatusDaftar
from bantuan.models import DaftarPenerima, RiwayatDaftar
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def race(*calls):
    """Run the calls at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except ValidationError as exc:
            results[i] = ("refused", " ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.fixture
def verified_list(city):
    program = f.make_program("sembako-race")
    tahap = f.make_tahap(program)
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=tahap)
    aid.daftar_submit(actor=city.dinsos, daftar=daftar)
    aid.daftar_verify(actor=city.dinsos3, daftar=daftar)
    approver2 = f.make_user("dinsos4_uji", "Dinas Sosial", "dinas", f.KOTA, staff=True)
    city.approver2 = approver2
    return city, daftar


def test_two_approvals_at_once_give_one_result(verified_list):
    city, daftar = verified_list
    results = race(
        lambda: aid.daftar_approve(
            actor=city.dinsos2,
            daftar=daftar,
            nomor_sk="SK-A",
            tanggal_sk=datetime.date(2026, 2, 1),
            alasan=f.reasons_for(daftar),
        ),
        lambda: aid.daftar_approve(
            actor=city.approver2,
            daftar=daftar,
            nomor_sk="SK-B",
            tanggal_sk=datetime.date(2026, 2, 1),
            alasan=f.reasons_for(daftar),
        ),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "Disetujui" in refused  # the loser is told the list is already approved, and by whom
    daftar = DaftarPenerima.objects.get(pk=daftar.pk)
    assert daftar.status == StatusDaftar.DISETUJUI
    assert RiwayatDaftar.objects.filter(daftar=daftar, tindakan="disetujui").count() == 1


def test_approve_and_reject_at_once_give_one_result(verified_list):
    city, daftar = verified_list
    results = race(
        lambda: aid.daftar_approve(
            actor=city.dinsos2,
            daftar=daftar,
            nomor_sk="SK-A",
            tanggal_sk=datetime.date(2026, 2, 1),
            alasan=f.reasons_for(daftar),
        ),
        lambda: aid.daftar_reject(actor=city.approver2, daftar=daftar, alasan="Belum lengkap"),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    decided = RiwayatDaftar.objects.filter(daftar=daftar, tindakan__in=["disetujui", "ditolak"]).count()
    assert decided == 1


def test_two_editors_with_the_same_version_give_one_result(city):
    program = f.make_program("sembako-edit")
    tahap = f.make_tahap(program)
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_in, alasan="x")
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=tahap, keluarga=city.k_tisno, alasan="x")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=tahap)
    seen = daftar.versi
    e1, e2 = daftar.entri.order_by("pk")
    results = race(
        lambda: aid.daftar_remove_entries(actor=city.dinsos, daftar=daftar, entri_ids=[e1.pk], versi=seen),
        lambda: aid.daftar_remove_entries(actor=city.dinsos2, daftar=daftar, entri_ids=[e2.pk], versi=seen),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"]
    assert "baru saja diubah" in next(r[1] for r in results if r[0] == "refused")
    assert DaftarPenerima.objects.get(pk=daftar.pk).entri.count() == 1
