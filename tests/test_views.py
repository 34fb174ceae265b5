"""Registry screens as each role, including the roles that must be refused."""

import datetime

import pytest
from django.urls import reverse

from pmks.choices import StatusPmks
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from tests import factories as f

pytestmark = pytest.mark.django_db


def form_data(kode, members, **household):
    """POST data of the household form with its member formset."""
    data = {
        "no_kk": f.no_kk_for(kode),
        "kelurahan": kode,
        "alamat": "Jl. Cempaka 3",
        "rt": "2",
        "rw": "5",
        "anggota-TOTAL_FORMS": str(len(members)),
        "anggota-INITIAL_FORMS": "0",
        "anggota-MIN_NUM_FORMS": "1",
        "anggota-MAX_NUM_FORMS": "1000",
        **household,
    }
    for i, m in enumerate(members):
        for key, value in m.items():
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[f"anggota-{i}-{key}"] = value
    return data


def edit_data(kel, **household):
    """POST data of the edit form for ``kel`` with its current members, oldest first."""
    members = list(kel.anggota.order_by("tanggal_lahir"))
    data = form_data(kel.kelurahan_id, [], **{"no_kk": kel.no_kk, "alamat": kel.alamat, **household})
    data.update({"anggota-TOTAL_FORMS": str(len(members)), "anggota-INITIAL_FORMS": str(len(members))})
    for i, a in enumerate(members):
        data[f"anggota-{i}-id"] = a.pk
        for field in (
            "nik",
            "nama",
            "tempat_lahir",
            "jenis_kelamin",
            "hubungan",
            "status_perkawinan",
            "pendidikan",
            "pekerjaan",
            "disabilitas",
        ):
            data[f"anggota-{i}-{field}"] = getattr(a, field)
        data[f"anggota-{i}-tanggal_lahir"] = a.tanggal_lahir.isoformat()
    return data


def two_members(kode=f.KEL_KANIGARAN):
    return [
        f.member(kode, "Ahmad Fauzi"),
        f.member(kode, "Siti Aminah", sex="P", born=datetime.date(1985, 3, 9), hubungan="istri"),
    ]


# -- Lists and detail ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible", "hidden"),
    [
        ("tksk_kanigaran", ["k_in", "k_tisno"], ["k_out"]),
        ("tksk_mayangan", ["k_out"], ["k_in", "k_tisno"]),
        ("kelurahan", ["k_in"], ["k_tisno", "k_out"]),
        ("dinsos", ["k_in", "k_tisno", "k_out"], []),
    ],
)
def test_household_list_shows_only_the_area(city, login, who, visible, hidden):
    response = login(getattr(city, who)).get(reverse("pmks:keluarga_list"))
    assert response.status_code == 200
    page = response.content.decode()
    for name in visible:
        assert getattr(city, name).no_kk in page
    for name in hidden:
        assert getattr(city, name).no_kk not in page


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("tksk_kanigaran", "k_in", 200),
        ("tksk_kanigaran", "k_out", 404),
        ("kelurahan", "k_in", 200),
        ("kelurahan", "k_tisno", 404),
        ("tksk_mayangan", "k_in", 404),
        ("dinsos", "k_out", 200),
    ],
)
def test_household_page_is_404_outside_the_area(city, login, who, target, status):
    kel = getattr(city, target)
    response = login(getattr(city, who)).get(reverse("pmks:keluarga_detail", args=[kel.pk]))
    assert response.status_code == status
    if status == 404:
        assert kel.no_kk not in response.content.decode()


def test_user_without_role_is_refused(city, login):
    client = login(city.no_role)
    assert client.get(reverse("pmks:keluarga_list")).status_code == 403
    assert client.get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).status_code in (403, 404)


def test_anonymous_is_sent_to_login(client, city):
    response = client.get(reverse("pmks:keluarga_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_search_by_nik_name_and_kk(city, login):
    client = login(city.tksk_kanigaran)
    istri = city.k_in.anggota.get(hubungan="istri")
    for q in (istri.nik, "slamet", city.k_in.no_kk):
        page = client.get(reverse("pmks:keluarga_list"), {"q": q}).content.decode()
        assert city.k_in.no_kk in page, q
        assert city.k_tisno.no_kk not in page, q
    # The NIK of another area's person finds nothing.
    out_nik = city.k_out.anggota.first().nik
    page = client.get(reverse("pmks:keluarga_list"), {"q": out_nik}).content.decode()
    assert "Tidak ada keluarga yang cocok" in page


def test_filters_by_kelurahan_category_and_status(city, login, ref):
    client = login(city.dinsos)
    url = reverse("pmks:keluarga_list")
    page = client.get(url, {"kelurahan": f.KEL_TISNONEGARAN}).content.decode()
    assert city.k_tisno.no_kk in page and city.k_in.no_kk not in page
    from pmks.services import catatan_pmks_verify

    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in)
    fm = city.pmks_in.kategori_id
    page = client.get(url, {"kategori": fm, "status": "terverifikasi"}).content.decode()
    assert city.k_in.no_kk in page and city.k_tisno.no_kk not in page
    # A kelurahan outside the area is not a valid filter choice.
    page = login(city.tksk_kanigaran).get(url, {"kelurahan": f.KEL_MAYANGAN}).content.decode()
    assert city.k_out.no_kk not in page


def test_list_query_count_does_not_grow_with_rows(city, login, django_assert_max_num_queries):
    client = login(city.dinsos)
    url = reverse("pmks:keluarga_list")
    for i in range(10):
        kel = f.make_keluarga(city.tksk_kanigaran, f.KEL_KANIGARAN, kepala=f"Tambahan {i}")
        f.make_pmks(city.tksk_kanigaran, kel, "FM")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.context["paginator"].count == 13


def test_dashboard_counts_follow_the_area(city, login):
    response = login(city.kelurahan).get(reverse("pmks:dashboard"))
    ringkasan = response.context["ringkasan"]
    assert ringkasan.keluarga == 1
    assert ringkasan.anggota == 2
    assert ringkasan.pmks_status[StatusPmks.DIUSULKAN] == 1


# -- Registering a household -------------------------------------------------------------------


def test_tksk_registers_household_with_members(city, login):
    client = login(city.tksk_kanigaran)
    data = form_data(f.KEL_KANIGARAN, two_members())
    response = client.post(reverse("pmks:keluarga_create"), data)
    kel = Keluarga.objects.get(no_kk=data["no_kk"])
    assert response.status_code == 302
    assert response["Location"] == reverse("pmks:keluarga_detail", args=[kel.pk])
    assert kel.anggota.count() == 2
    assert kel.rt == "002"
    page = client.get(response["Location"]).content.decode()
    assert "Ahmad Fauzi" in page and "Siti Aminah" in page
    assert "dibuat" in page  # change history on the page


def test_form_posted_twice_makes_one_household(city, login):
    client = login(city.tksk_kanigaran)
    data = form_data(f.KEL_KANIGARAN, two_members())
    client.post(reverse("pmks:keluarga_create"), data)
    response = client.post(reverse("pmks:keluarga_create"), data)
    assert response.status_code == 200
    assert "sudah terdaftar" in response.content.decode()
    assert Keluarga.objects.filter(no_kk=data["no_kk"]).count() == 1


def _assert_refused(client, data, message):
    before = (Keluarga.objects.count(), AnggotaKeluarga.objects.count())
    response = client.post(reverse("pmks:keluarga_create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (Keluarga.objects.count(), AnggotaKeluarga.objects.count()) == before
    return response


def test_malformed_nik_and_kk(city, login):
    client = login(city.tksk_kanigaran)
    members = two_members()
    members[0]["nik"] = "35740417058"
    _assert_refused(client, form_data(f.KEL_KANIGARAN, members), "NIK harus tepat 16 digit")
    _assert_refused(
        client, form_data(f.KEL_KANIGARAN, two_members(), no_kk="12345"), "No. KK harus tepat 16 digit"
    )
    members = two_members()
    members[1]["nik"] = "3.57404E+15"
    _assert_refused(client, form_data(f.KEL_KANIGARAN, members), "tersimpan sebagai angka")


def test_nik_disagreeing_with_date_or_sex(city, login):
    client = login(city.tksk_kanigaran)
    members = two_members()
    members[0]["tanggal_lahir"] = datetime.date(1980, 5, 18)
    _assert_refused(client, form_data(f.KEL_KANIGARAN, members), "tidak cocok dengan NIK")
    members = two_members()
    members[1]["jenis_kelamin"] = "L"
    _assert_refused(client, form_data(f.KEL_KANIGARAN, members), "NIK menunjukkan perempuan")


def test_duplicate_nik_in_the_same_form(city, login):
    members = two_members()
    members[1]["nik"] = members[0]["nik"]
    members[1]["jenis_kelamin"], members[1]["tanggal_lahir"] = "L", members[0]["tanggal_lahir"]
    _assert_refused(login(city.tksk_kanigaran), form_data(f.KEL_KANIGARAN, members), "diisi 2 kali")


def test_duplicate_nik_in_own_area_links_to_the_record(city, login):
    existing = city.k_tisno.anggota.get(hubungan="kepala")
    members = two_members()
    members[0].update(nik=existing.nik, tanggal_lahir=existing.tanggal_lahir)
    response = _assert_refused(
        login(city.tksk_kanigaran), form_data(f.KEL_KANIGARAN, members), "sudah terdaftar pada"
    )
    assert reverse("pmks:keluarga_detail", args=[city.k_tisno.pk]) in response.content.decode()


def test_duplicate_nik_elsewhere_names_no_details(city, login):
    existing = city.k_out.anggota.get(hubungan="kepala")
    members = two_members()
    members[0].update(nik=existing.nik, tanggal_lahir=existing.tanggal_lahir)
    response = _assert_refused(
        login(city.tksk_kanigaran),
        form_data(f.KEL_KANIGARAN, members),
        "terdaftar di kecamatan lain, hubungi Dinas Sosial",
    )
    page = response.content.decode()
    assert city.k_out.no_kk not in page
    assert existing.nama not in page
    assert reverse("pmks:keluarga_detail", args=[city.k_out.pk]) not in page


def test_kelurahan_outside_area_posted_by_hand(city, login):
    _assert_refused(
        login(city.tksk_kanigaran),
        form_data(f.KEL_MAYANGAN, two_members(f.KEL_MAYANGAN)),
        "di luar wilayah tugas Anda",
    )


@pytest.mark.parametrize(
    ("hubungan", "message"),
    [
        (("istri", "anak"), "harus memiliki satu kepala keluarga"),
        (("kepala", "kepala"), "hanya boleh memiliki satu kepala keluarga"),
    ],
)
def test_household_needs_exactly_one_head(city, login, hubungan, message):
    members = two_members()
    members[0]["hubungan"], members[1]["hubungan"] = hubungan
    _assert_refused(login(city.tksk_kanigaran), form_data(f.KEL_KANIGARAN, members), message)


def test_birth_date_in_the_future(city, login):
    members = two_members()
    born = datetime.date.today() + datetime.timedelta(days=30)  # noqa: DTZ011
    members[1]["tanggal_lahir"] = born
    members[1]["nik"] = f.nik_for(f.KEL_KANIGARAN, born, "P")
    _assert_refused(login(city.tksk_kanigaran), form_data(f.KEL_KANIGARAN, members), "masa depan")


def test_kelurahan_officer_cannot_create_or_edit(city, login):
    client = login(city.kelurahan)
    assert client.get(reverse("pmks:keluarga_create")).status_code == 403
    assert (
        client.post(reverse("pmks:keluarga_create"), form_data(f.KEL_KANIGARAN, two_members())).status_code
        == 403
    )
    assert client.get(reverse("pmks:keluarga_update", args=[city.k_in.pk])).status_code == 403
    page = client.get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).content.decode()
    assert reverse("pmks:keluarga_update", args=[city.k_in.pk]) not in page


def test_edit_household_records_history_with_changes(city, login):
    client = login(city.tksk_kanigaran)
    kel = city.k_in
    data = edit_data(kel, alamat="Jl. Baru 9")
    data["anggota-1-pekerjaan"] = "Pedagang"
    response = client.post(reverse("pmks:keluarga_update", args=[kel.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    kel.refresh_from_db()
    assert kel.alamat == "Jl. Baru 9"
    page = client.get(reverse("pmks:keluarga_detail", args=[kel.pk])).content.decode()
    assert "Jl. Uji No. 1 → Jl. Baru 9" in page
    assert "Buruh → Pedagang" in page


def test_edit_page_of_other_area_is_404(city, login):
    client = login(city.tksk_kanigaran)
    assert client.get(reverse("pmks:keluarga_update", args=[city.k_out.pk])).status_code == 404
    response = client.post(reverse("pmks:keluarga_update", args=[city.k_out.pk]), {"alamat": "x"})
    assert response.status_code == 404


# -- PMKS records ---------------------------------------------------------------------------------


def test_tksk_adds_pmks_record_for_a_member(city, login, ref):
    client = login(city.tksk_kanigaran)
    istri = city.k_in.anggota.get(hubungan="istri")
    from pmks.models import KategoriPmks

    prse = KategoriPmks.objects.get(singkatan="PRSE")
    url = reverse("pmks:catatanpmks_create", args=[city.k_in.pk])
    data = {
        "kategori": prse.pk,
        "anggota": istri.pk,
        "tanggal_identifikasi": "2026-11-01",
        "bukti": "Kunjungan",
    }
    assert client.post(url, data).status_code == 302
    catatan = CatatanPmks.objects.get(kategori=prse)
    assert (catatan.anggota, catatan.status, catatan.diidentifikasi_oleh) == (
        istri,
        StatusPmks.DIUSULKAN,
        city.tksk_kanigaran,
    )
    # Posted twice: no second record, a clear message.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sudah ada" in response.content.decode()
    assert CatatanPmks.objects.filter(kategori=prse).count() == 1


def test_pmks_member_of_another_household_is_not_a_choice(city, login):
    client = login(city.tksk_kanigaran)
    stranger = city.k_tisno.anggota.first()
    url = reverse("pmks:catatanpmks_create", args=[city.k_in.pk])
    response = client.post(
        url,
        {
            "kategori": city.pmks_in.kategori_id,
            "anggota": stranger.pk,
            "tanggal_identifikasi": "01/11/2026",
            "bukti": "x",
        },
    )
    assert response.status_code == 200
    assert CatatanPmks.objects.filter(anggota=stranger).count() == 0


def test_pmks_form_of_other_area_is_404(city, login):
    assert (
        login(city.tksk_kanigaran).get(reverse("pmks:catatanpmks_create", args=[city.k_out.pk])).status_code
        == 404
    )


def test_dinas_verifies_and_rejects(city, login):
    client = login(city.dinsos)
    url = reverse("pmks:catatanpmks_decide", args=[city.pmks_in.pk])
    assert client.post(url, {"keputusan": "verifikasi", "catatan": "sesuai"}).status_code == 302
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.TERVERIFIKASI
    # Reject without a reason: message, no change.
    url = reverse("pmks:catatanpmks_decide", args=[city.pmks_out.pk])
    response = client.post(url, {"keputusan": "tolak", "catatan": ""}, follow=True)
    assert "Alasan penolakan wajib diisi" in response.content.decode()
    city.pmks_out.refresh_from_db()
    assert city.pmks_out.status == StatusPmks.DIUSULKAN


@pytest.mark.parametrize("who", ["tksk_kanigaran", "kelurahan"])
def test_field_roles_cannot_verify(city, login, who):
    response = login(getattr(city, who)).post(
        reverse("pmks:catatanpmks_decide", args=[city.pmks_in.pk]), {"keputusan": "verifikasi"}
    )
    assert response.status_code == 403
    city.pmks_in.refresh_from_db()
    assert city.pmks_in.status == StatusPmks.DIUSULKAN


def test_verification_queue_lists_only_the_area(city, login):
    page = login(city.tksk_mayangan).get(reverse("pmks:catatanpmks_list")).content.decode()
    assert city.k_out.no_kk in page and city.k_in.no_kk not in page


def test_unknown_region_in_nik_warns_but_saves(city, login):
    client = login(city.tksk_kanigaran)
    members = two_members()
    born = members[1]["tanggal_lahir"]
    members[1]["nik"] = f"990101{born.day + 40:02d}{born:%m%y}0001"  # province 99 does not exist
    data = form_data(f.KEL_KANIGARAN, members)
    response = client.post(reverse("pmks:keluarga_create"), data, follow=True)
    assert Keluarga.objects.filter(no_kk=data["no_kk"]).exists()
    page = response.content.decode()
    assert "kode provinsi 99 tidak dikenal" in page
    assert "alert-warning" in page


def test_removing_a_member_is_recorded_in_history(city, login):
    client = login(city.tksk_kanigaran)
    kel = city.k_in
    head, wife = kel.anggota.order_by("tanggal_lahir")
    data = edit_data(kel)
    data["anggota-1-DELETE"] = "on"
    assert client.post(reverse("pmks:keluarga_update", args=[kel.pk]), data).status_code == 302
    assert list(kel.anggota.all()) == [head]
    deleted = AnggotaKeluarga.history.get(id=wife.pk, history_type="-")
    assert deleted.history_user == city.tksk_kanigaran
    page = client.get(reverse("pmks:keluarga_detail", args=[kel.pk])).content.decode()
    assert f"Anggota {wife.nama}</strong> dihapus" in page


def test_removing_the_head_is_refused(city, login):
    client = login(city.tksk_kanigaran)
    kel = city.k_in
    data = edit_data(kel)
    data["anggota-0-DELETE"] = "on"
    response = client.post(reverse("pmks:keluarga_update", args=[kel.pk]), data)
    assert response.status_code == 200
    assert "harus memiliki satu kepala keluarga" in response.content.decode()
    assert kel.anggota.count() == 2


def test_spaces_in_nik_and_kk_are_dropped_before_checking(city, login):
    members = two_members()
    nik = members[0]["nik"]
    members[0]["nik"] = f" {nik[:6]} {nik[6:12]}\xa0{nik[12:]} "
    data = form_data(f.KEL_KANIGARAN, members)
    no_kk = data["no_kk"]
    data["no_kk"] = f"{no_kk[:8]} {no_kk[8:]}"
    assert login(city.tksk_kanigaran).post(reverse("pmks:keluarga_create"), data).status_code == 302
    assert AnggotaKeluarga.objects.get(nik=nik).keluarga.no_kk == no_kk


def test_rt_rw_must_be_numbers(city, login):
    _assert_refused(
        login(city.tksk_kanigaran), form_data(f.KEL_KANIGARAN, two_members(), rt="ab"), "Isi dengan angka"
    )


def test_person_category_needs_a_person(city, login, ref):
    from pmks.models import KategoriPmks

    url = reverse("pmks:catatanpmks_create", args=[city.k_in.pk])
    lut = KategoriPmks.objects.get(singkatan="LUT")
    response = login(city.tksk_kanigaran).post(
        url, {"kategori": lut.pk, "anggota": "", "tanggal_identifikasi": "2026-11-01", "bukti": "x"}
    )
    assert response.status_code == 200
    assert "berlaku untuk perseorangan" in response.content.decode()
    assert not CatatanPmks.objects.filter(kategori=lut).exists()


def test_history_shows_names_and_local_times_not_ids(city, login):
    from pmks.services import catatan_pmks_verify

    catatan_pmks_verify(actor=city.dinsos, catatan=city.pmks_in, note="ok")
    page = login(city.dinsos).get(reverse("pmks:keluarga_detail", args=[city.k_in.pk])).content.decode()
    assert f"diverifikasi oleh: – → {city.dinsos}" in page
    assert "+00:00" not in page
