"""Musyawarah kelurahan: its rules (each refusal changes nothing and says why in Indonesian),
its screens for every role, the signed scan, the print, proposals citing it, and programmes
that require it before a list is submitted."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bantuan import kutipan
from bantuan import services as aid
from bantuan.models import Usulan
from musyawarah import services
from musyawarah.berita_acara import tanggal_terbilang, terbilang
from musyawarah.models import KeluargaDibahas, Musyawarah, PesertaMusyawarah
from tests import factories as f
from wilayah.models import Wilayah

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def state():
    return (
        list(
            Musyawarah.objects.order_by("pk").values_list(
                "pk", "status", "keputusan", "tanggal", "berkas_scan"
            )
        ),
        list(PesertaMusyawarah.objects.order_by("pk").values_list("pk", "nama")),
        list(KeluargaDibahas.objects.order_by("pk").values_list("pk", "keluarga_id", "keputusan")),
        list(Usulan.objects.order_by("pk").values_list("pk", "musyawarah_id", "status")),
    )


def refused(exc_type, match, call):
    before = state()
    with pytest.raises(exc_type) as info:
        call()
    text = " ".join(info.value.messages) if isinstance(info.value, ValidationError) else str(info.value)
    assert match in text, text
    assert state() == before
    return text


def future(days=10):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def held(city):
    """A held musyawarah of Kelurahan Kanigaran that proposed k_in."""
    return f.make_musyawarah(city.tksk_kanigaran, f.KEL_KANIGARAN, diusulkan=[city.k_in])


# -- Rules -----------------------------------------------------------------------------------------


def test_a_musyawarah_is_scheduled_until_its_decisions_are_written(city):
    m = services.musyawarah_create(
        actor=city.tksk_kanigaran,
        kelurahan=Wilayah.objects.get(pk=f.KEL_KANIGARAN),
        tanggal=future(),
        tempat="Balai RW 02",
        pimpinan="Lurah Kanigaran",
        agenda="Usulan RTLH 2027",
    )
    assert m.status == "dijadwalkan"
    refused(
        ValidationError,
        "belum berlangsung",
        lambda: services.musyawarah_record_decisions(
            actor=city.tksk_kanigaran, musyawarah=m, keputusan="Setuju"
        ),
    )
    refused(
        ValidationError,
        "belum berlangsung",
        lambda: services.keluarga_dibahas_add(
            actor=city.tksk_kanigaran, musyawarah=m, keluarga=city.k_in, keputusan="diusulkan", alasan="RTLH"
        ),
    )
    services.musyawarah_update(
        actor=city.tksk_kanigaran, musyawarah=m, data={"tanggal": timezone.localdate()}
    )
    m = services.musyawarah_record_decisions(
        actor=city.tksk_kanigaran, musyawarah=m, keputusan="Tiga keluarga diusulkan."
    )
    assert m.status == "selesai" and m.history.count() == 3


def test_a_kelurahan_outside_the_area_is_refused(city):
    refused(
        PermissionDenied,
        "di luar wilayah tugas Anda",
        lambda: services.musyawarah_create(
            actor=city.tksk_kanigaran,
            kelurahan=Wilayah.objects.get(pk=f.KEL_MAYANGAN),
            tanggal=timezone.localdate(),
            tempat="Balai",
            pimpinan="Lurah",
            agenda="Usulan",
        ),
    )


def test_households_of_another_kelurahan_and_twice_are_refused(city, held):
    text = refused(
        ValidationError,
        f"KK {city.k_tisno.no_kk} bukan warga Kelurahan Kanigaran",
        lambda: services.keluarga_dibahas_add(
            actor=city.tksk_kanigaran,
            musyawarah=held,
            keluarga=city.k_tisno,
            keputusan="diusulkan",
            alasan="RTLH",
        ),
    )
    assert "musyawarah hanya memutuskan warganya" in text
    refused(
        ValidationError,
        f"KK {city.k_in.no_kk} sudah dibahas pada musyawarah ini",
        lambda: services.keluarga_dibahas_add(
            actor=city.tksk_kanigaran,
            musyawarah=held,
            keluarga=city.k_in,
            keputusan="dicoret",
            alasan="Pindah",
        ),
    )
    tisno = f.make_musyawarah(city.tksk_kanigaran, f.KEL_TISNONEGARAN)
    refused(
        ValidationError,
        "Alasan keputusan wajib diisi",
        lambda: services.keluarga_dibahas_add(
            actor=city.tksk_kanigaran,
            musyawarah=tisno,
            keluarga=city.k_tisno,
            keputusan="dicoret",
            alasan="  ",
        ),
    )


def test_the_kelurahan_officer_and_another_tksk_cannot_write(city, held):
    refused(
        PermissionDenied,
        "tidak memiliki izin",
        lambda: services.peserta_add(actor=city.kelurahan, musyawarah=held, nama="X", peran="rt"),
    )
    refused(
        PermissionDenied,
        "di luar wilayah tugas Anda",
        lambda: services.musyawarah_update(
            actor=city.tksk_mayangan, musyawarah=held, data={"tempat": "Masjid"}
        ),
    )


def test_the_page_service_saves_nothing_when_one_row_is_refused(city, held):
    refused(
        ValidationError,
        "bukan warga Kelurahan Kanigaran",
        lambda: services.musyawarah_save(
            actor=city.tksk_kanigaran,
            musyawarah=held,
            data={"tempat": "Tempat baru"},
            peserta=[{"nama": "Ibu PSM", "peran": "psm", "keterangan": ""}],
            keluarga=[
                {"keluarga": city.k_tisno, "keputusan": "diusulkan", "program": "RTLH", "alasan": "RTLH"}
            ],
        ),
    )


def test_date_in_words():
    assert terbilang(2025) == "dua ribu dua puluh lima"
    assert terbilang(11) == "sebelas" and terbilang(17) == "tujuh belas" and terbilang(100) == "seratus"
    assert tanggal_terbilang(datetime.date(2025, 11, 22)) == (
        "Sabtu tanggal dua puluh dua bulan November tahun dua ribu dua puluh lima"
    )


# -- Screens ---------------------------------------------------------------------------------------


def form_data(**extra):
    data = {
        "kelurahan": f.KEL_KANIGARAN,
        "tanggal": "2026-01-15",
        "tempat": "Balai Kelurahan Kanigaran",
        "pimpinan": "Lurah Kanigaran",
        "agenda": "Usulan bantuan 2026",
        "keputusan": "Menyepakati usulan.",
        "peserta-TOTAL_FORMS": "2",
        "peserta-INITIAL_FORMS": "2",
        "peserta-0-nama": "Lurah Kanigaran",
        "peserta-0-peran": "lurah",
        "peserta-1-nama": "Siti TKSK",
        "peserta-1-peran": "tksk",
        "keluarga-TOTAL_FORMS": "1",
        "keluarga-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_tksk_records_a_held_musyawarah_on_one_page(city, login):
    client = login(city.tksk_kanigaran)
    assert client.get(reverse("musyawarah:create")).status_code == 200
    response = client.post(
        reverse("musyawarah:create"),
        form_data(
            **{
                "keluarga-0-no_kk": city.k_in.no_kk,
                "keluarga-0-keputusan": "diusulkan",
                "keluarga-0-alasan": "RTLH",
            }
        ),
    )
    m = Musyawarah.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("musyawarah:detail", args=[m.pk])
    assert m.status == "selesai" and m.peserta.count() == 2
    assert list(m.keluarga_dibahas.values_list("keluarga_id", "keputusan")) == [(city.k_in.pk, "diusulkan")]
    page = client.get(reverse("musyawarah:detail", args=[m.pk])).content.decode()
    assert city.k_in.no_kk in page and "Siti TKSK" in page
    # Another kelurahan's household on the form: the page says why and saves nothing.
    before = state()
    response = client.post(
        reverse("musyawarah:update", args=[m.pk]),
        form_data(
            **{
                "peserta-INITIAL_FORMS": "0",
                "keluarga-0-no_kk": city.k_tisno.no_kk,
                "keluarga-0-keputusan": "dicoret",
                "keluarga-0-alasan": "Pindah",
            }
        ),
    )
    assert response.status_code == 200 and "bukan warga Kelurahan Kanigaran" in response.content.decode()
    assert state() == before
    # A household of another kecamatan is unknown to this TKSK.
    response = client.post(
        reverse("musyawarah:update", args=[m.pk]),
        form_data(
            **{
                "keluarga-0-no_kk": city.k_out.no_kk,
                "keluarga-0-keputusan": "dicoret",
                "keluarga-0-alasan": "x",
            }
        ),
    )
    assert "di luar wilayah tugas Anda" in response.content.decode() and state() == before


def test_each_role_sees_what_it_may(city, held, login):
    detail = reverse("musyawarah:detail", args=[held.pk])
    for user in (city.tksk_kanigaran, city.dinsos, city.kelurahan):
        client = login(user)
        assert client.get(reverse("musyawarah:list")).status_code == 200
        assert client.get(detail).status_code == 200
        assert client.get(reverse("musyawarah:berita_acara", args=[held.pk])).status_code == 200
    client = login(city.kelurahan)  # read-only
    assert client.get(reverse("musyawarah:create")).status_code == 403
    assert client.get(reverse("musyawarah:update", args=[held.pk])).status_code == 403
    assert client.post(reverse("musyawarah:scan_upload", args=[held.pk])).status_code == 403
    assert "+ Musyawarah" not in client.get(reverse("musyawarah:list")).content.decode()
    client = login(city.tksk_mayangan)  # another kecamatan
    for name in ("detail", "update", "berita_acara", "scan"):
        assert client.get(reverse(f"musyawarah:{name}", args=[held.pk])).status_code == 404
    assert held.tanggal.strftime("%d/%m/%Y") not in client.get(reverse("musyawarah:list")).content.decode()
    client = login(city.dinsos)
    assert client.get(reverse("musyawarah:update", args=[held.pk])).status_code == 200


def test_list_filters_and_the_home_panel_show_the_coming_month(city, held, login):
    soon = services.musyawarah_create(
        actor=city.tksk_kanigaran,
        kelurahan=Wilayah.objects.get(pk=f.KEL_KANIGARAN),
        tanggal=future(12),
        tempat="Aula Kelurahan",
        pimpinan="Lurah",
        agenda="Usulan 2027",
    )
    client = login(city.kelurahan)
    home = client.get(reverse("pmks:dashboard")).content.decode()
    assert "Aula Kelurahan" in home and reverse("musyawarah:detail", args=[soon.pk]) in home
    upcoming = client.get(reverse("musyawarah:list") + "?waktu=akan_datang").context["object_list"]
    assert list(upcoming) == [soon]
    assert list(client.get(reverse("musyawarah:list") + "?waktu=selesai").context["object_list"]) == [held]
    # The household page says where it was discussed.
    page = (
        login(city.tksk_kanigaran).get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).content.decode()
    )
    assert "Musyawarah kelurahan" in page and reverse("musyawarah:detail", args=[held.pk]) in page


def test_the_berita_acara_prints_everything(city, login):
    m = f.make_musyawarah(
        city.tksk_kanigaran, f.KEL_KANIGARAN, tanggal=datetime.date(2025, 11, 22), diusulkan=[city.k_in]
    )
    k2 = f.make_keluarga(city.tksk_kanigaran, f.KEL_KANIGARAN, kepala="Sumarni Coret")
    services.keluarga_dibahas_add(
        actor=city.tksk_kanigaran,
        musyawarah=m,
        keluarga=k2,
        keputusan="dicoret",
        alasan="Sudah menerima dari Baznas",
    )
    page = login(city.kelurahan).get(reverse("musyawarah:berita_acara", args=[m.pk])).content.decode()
    for text in (
        "BERITA ACARA MUSYAWARAH KELURAHAN",
        "Pada hari ini Sabtu tanggal dua puluh dua bulan November tahun dua ribu dua puluh lima",
        "Kelurahan Kanigaran, Kecamatan Kanigaran",
        "Pak RT Uji",
        "Slamet Riyadi",
        city.k_in.no_kk,
        "Sumarni Coret",
        "Sudah menerima dari Baznas",
        "Menyepakati usulan keluarga",
        "Pimpinan musyawarah",
        "TKSK Kecamatan Kanigaran",
        "Bu TKSK Uji",
        "print.css",
    ):
        assert text in page, text


# -- The signed scan -------------------------------------------------------------------------------


def test_scan_upload_accepts_pdf_and_photos_by_content(city, held, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(city.tksk_kanigaran)
    url = reverse("musyawarah:scan_upload", args=[held.pk])
    before = state()
    fake = SimpleUploadedFile("berita-acara.pdf", f.png_bytes(), content_type="application/pdf")
    response = client.post(url, {"berkas_scan": fake}, follow=True)
    assert "bernama PDF tetapi isinya bukan PDF" in response.content.decode() and state() == before
    text = SimpleUploadedFile("berita-acara.jpg", b"ini bukan gambar", content_type="image/jpeg")
    response = client.post(url, {"berkas_scan": text}, follow=True)
    assert "bukan gambar yang dapat dibaca" in response.content.decode() and state() == before

    client.post(url, {"berkas_scan": SimpleUploadedFile("scan.bin", PDF, content_type="text/plain")})
    held.refresh_from_db()
    assert held.berkas_scan.name.endswith(".pdf")
    response = client.get(reverse("musyawarah:scan", args=[held.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and ".pdf" in response["Content-Disposition"]
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    client.post(
        url, {"berkas_scan": SimpleUploadedFile("foto.pdf.jpg", f.png_bytes(), content_type="image/jpeg")}
    )
    response = login(city.kelurahan).get(reverse("musyawarah:scan", args=[held.pk]))
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert login(city.tksk_mayangan).get(reverse("musyawarah:scan", args=[held.pk])).status_code == 404


# -- Proposals citing a musyawarah -----------------------------------------------------------------


@pytest.fixture
def rtlh(city):
    for c in (city.pmks_in, city.pmks_tisno, city.pmks_out):
        from pmks.services import catatan_pmks_verify

        catatan_pmks_verify(actor=city.dinsos, catatan=c)
    program = f.make_program("rtlh-uji", jenis_pemantauan="rumah", wajib_musyawarah=True)
    return f.make_tahap(program)


def test_a_proposal_cites_only_a_held_musyawarah_of_its_kelurahan_that_proposed_it(city, held, rtlh):
    tksk = city.tksk_kanigaran

    def propose(keluarga, musyawarah):
        return lambda: aid.usulan_create(
            actor=tksk, tahap=rtlh, keluarga=keluarga, alasan="Rumah rusak berat.", musyawarah=musyawarah
        )

    refused(ValidationError, "bukan musyawarah kelurahan KK", propose(city.k_tisno, held))
    scheduled = services.musyawarah_create(
        actor=tksk,
        kelurahan=Wilayah.objects.get(pk=f.KEL_KANIGARAN),
        tanggal=future(),
        tempat="Balai",
        pimpinan="Lurah",
        agenda="Usulan",
    )
    refused(ValidationError, "belum selesai (masih dijadwalkan)", propose(city.k_in, scheduled))
    other = f.make_keluarga(tksk, f.KEL_KANIGARAN, kepala="Tidak Diusulkan")
    f.make_pmks(tksk, other)
    refused(ValidationError, f"tidak mengusulkan KK {other.no_kk}", propose(other, held))
    dropped = f.make_musyawarah(tksk, f.KEL_KANIGARAN, dicoret=[other])
    refused(ValidationError, "tidak mengusulkan", propose(other, dropped))
    usulan = propose(city.k_in, held)()
    assert usulan.musyawarah == held
    # The cited household's row now stays as agreed: neither dropped, moved nor removed.
    row = held.keluarga_dibahas.get(keluarga=city.k_in)
    refused(
        ValidationError,
        "mengutip musyawarah ini",
        lambda: services.keluarga_dibahas_update(actor=tksk, row=row, data={"keputusan": "dicoret"}),
    )
    refused(
        ValidationError,
        "mengutip musyawarah ini",
        lambda: services.keluarga_dibahas_remove(actor=tksk, row=row),
    )
    services.keluarga_dibahas_update(actor=tksk, row=row, data={"alasan": "Rumah rusak berat, atap runtuh."})


def test_the_proposal_forms_offer_the_musyawarah_that_proposed_the_household(city, held, rtlh, login):
    client = login(city.tksk_kanigaran)
    form = client.get(reverse("bantuan:usulan_create", args=[city.k_in.pk])).context["form"]
    assert list(form.fields["musyawarah"].queryset) == [held] and form.initial["musyawarah"] == held
    other = client.get(reverse("bantuan:usulan_create", args=[city.k_tisno.pk])).context["form"]
    assert list(other.fields["musyawarah"].queryset) == []
    client.post(
        reverse("bantuan:usulan_create", args=[city.k_in.pk]),
        {"tahap": rtlh.pk, "alasan": "Atap runtuh.", "musyawarah": held.pk},
    )
    assert Usulan.objects.get(keluarga=city.k_in).musyawarah == held
    # Usulkan banyak: each household cites the musyawarah that proposed it, if any.
    tisno_m = f.make_musyawarah(city.tksk_kanigaran, f.KEL_TISNONEGARAN, diusulkan=[city.k_tisno])
    tahap2 = f.make_tahap(rtlh.program, tahap=2)
    client.post(
        reverse("bantuan:usulan_massal"),
        {
            "tahap": tahap2.pk,
            "alasan": "Musyawarah",
            "kutip_musyawarah": "on",
            "keluarga": [city.k_in.pk, city.k_tisno.pk],
        },
    )
    assert dict(Usulan.objects.filter(tahap=tahap2).values_list("keluarga_id", "musyawarah_id")) == {
        city.k_in.pk: held.pk,
        city.k_tisno.pk: tisno_m.pk,
    }


def test_a_pending_proposal_cites_the_musyawarah_from_its_page(city, held, rtlh, login):
    usulan = aid.usulan_create(actor=city.tksk_kanigaran, tahap=rtlh, keluarga=city.k_in, alasan="RTLH")
    page = login(city.tksk_kanigaran).get(reverse("musyawarah:detail", args=[held.pk])).content.decode()
    assert "Kutip musyawarah ini" in page and reverse("bantuan:usulan_cite", args=[usulan.pk]) in page
    assert (
        login(city.kelurahan)
        .post(reverse("bantuan:usulan_cite", args=[usulan.pk]), {"musyawarah": held.pk})
        .status_code
        == 403
    )
    assert (
        login(city.tksk_mayangan)
        .post(reverse("bantuan:usulan_cite", args=[usulan.pk]), {"musyawarah": held.pk})
        .status_code
        == 404
    )
    login(city.tksk_kanigaran).post(reverse("bantuan:usulan_cite", args=[usulan.pk]), {"musyawarah": held.pk})
    usulan.refresh_from_db()
    assert usulan.musyawarah == held
    tisno_m = f.make_musyawarah(city.tksk_kanigaran, f.KEL_TISNONEGARAN, diusulkan=[city.k_tisno])
    refused(
        ValidationError,
        "bukan musyawarah kelurahan",
        lambda: kutipan.usulan_cite_musyawarah(actor=city.tksk_kanigaran, usulan=usulan, musyawarah=tisno_m),
    )


def test_a_programme_requiring_musyawarah_blocks_submission_and_the_list_shows_the_missing(
    city, held, rtlh, login
):
    aid.usulan_create(
        actor=city.tksk_kanigaran, tahap=rtlh, keluarga=city.k_in, alasan="RTLH", musyawarah=held
    )
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=rtlh, keluarga=city.k_tisno, alasan="RTLH")
    aid.usulan_create(actor=city.tksk_mayangan, tahap=rtlh, keluarga=city.k_out, alasan="RTLH")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=rtlh)
    page = login(city.dinsos).get(reverse("bantuan:daftar_detail", args=[daftar.pk]))
    assert page.context["tanpa_musyawarah"] == set(
        daftar.entri.filter(keluarga__in=[city.k_tisno, city.k_out]).values_list("pk", flat=True)
    )
    body = page.content.decode()
    assert "2 entri belum mengutip berita acara musyawarah" in body
    assert body.count("Belum mengutip musyawarah kelurahan") == 2
    # A TKSK sees only the entries of the area.
    assert (
        len(
            login(city.tksk_kanigaran)
            .get(reverse("bantuan:daftar_detail", args=[daftar.pk]))
            .context["tanpa_musyawarah"]
        )
        == 1
    )
    text = refused(
        ValidationError,
        "mewajibkan musyawarah kelurahan",
        lambda: aid.daftar_submit(actor=city.dinsos, daftar=daftar),
    )
    assert city.k_tisno.no_kk in text and city.k_out.no_kk in text and city.k_in.no_kk not in text
    # Taking the uncited entries off lets the list go.
    aid.daftar_remove_entries(
        actor=city.dinsos,
        daftar=daftar,
        entri_ids=daftar.entri.filter(keluarga__in=[city.k_tisno, city.k_out]).values_list("pk", flat=True),
        versi=None,
    )
    assert aid.daftar_submit(actor=city.dinsos, daftar=daftar).status == "diajukan"


def test_a_programme_without_the_requirement_submits_as_before(city, rtlh):
    rtlh.program.wajib_musyawarah = False
    rtlh.program.save()
    aid.usulan_create(actor=city.tksk_kanigaran, tahap=rtlh, keluarga=city.k_in, alasan="RTLH")
    daftar = aid.daftar_build(actor=city.dinsos, tahap=rtlh)
    assert aid.daftar_submit(actor=city.dinsos, daftar=daftar).status == "diajukan"


def test_the_shipped_rtlh_programme_requires_musyawarah(ref):
    from bantuan.models import ProgramBantuan

    assert ProgramBantuan.objects.get(kode="rtlh").wajib_musyawarah
    assert not ProgramBantuan.objects.get(kode="kambing").wajib_musyawarah


def test_a_cited_musyawarah_keeps_its_decisions(city, held, rtlh):
    aid.usulan_create(
        actor=city.tksk_kanigaran,
        tahap=rtlh,
        keluarga=city.k_in,
        alasan="Rumah rusak berat.",
        musyawarah=held,
    )
    refused(
        ValidationError,
        "tidak dapat dikosongkan",
        lambda: services.musyawarah_update(
            actor=city.tksk_kanigaran, musyawarah=held, data={"keputusan": ""}
        ),
    )
    refused(
        ValidationError,
        "belum berlangsung",  # a future date would make it a scheduled one again
        lambda: services.musyawarah_update(
            actor=city.tksk_kanigaran, musyawarah=held, data={"tanggal": future()}
        ),
    )


def test_a_stale_row_on_the_form_is_a_plain_refusal(city, held):
    for field in ("hapus_peserta", "hapus_keluarga"):
        refused(
            ValidationError,
            "muat ulang halaman",
            lambda field=field: services.musyawarah_save(
                actor=city.tksk_kanigaran, musyawarah=held, data={}, **{field: [999999]}
            ),
        )
    refused(
        ValidationError,
        "muat ulang halaman",
        lambda: services.musyawarah_save(
            actor=city.tksk_kanigaran,
            musyawarah=held,
            data={},
            peserta=[{"pk": "x", "nama": "A", "peran": "rt"}],
        ),
    )
