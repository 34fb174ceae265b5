"""Walk EVERY URL pattern of the project as users who must not see a given household.

A view added later without area scoping fails here: a pattern with parameters that this file
does not know how to fill fails too, so each new URL must be taught to the walker (add it to
``OBJECT_FOR_URL``) — which is the point.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import roles
from accounts.choices import JenisPenugasan as J
from bantuan.models import (
    DaftarPenerima,
    EntriDaftar,
    MasalahBantuanEksternal,
    Pemantauan,
    PenerimaEksternal,
    Penyaluran,
    TahapProgram,
    Usulan,
)
from kabar.choices import Peristiwa
from kabar.models import Notifikasi
from laporan.reports import BY_KODE
from musyawarah.models import KeluargaDibahas, Musyawarah
from pmks.models import AnggotaKeluarga, CatatanPmks, DesilKeluarga, Keluarga
from tests import factories as f
from tksk.models import Kegiatan, LaporanBulanan, Psks
from warga.models import Aduan, Publikasi

pytestmark = pytest.mark.django_db


@pytest.fixture
def aid(aid):
    """The shared ``aid`` city, plus external aid, deciles and problems for each household, and
    each household's kelurahan list published with a citizen's sanggah against it."""
    f.make_bantuan_luar(aid)
    from musyawarah.services import musyawarah_upload_scan

    for suffix, kode, tksk in (
        ("in", f.KEL_KANIGARAN, aid.tksk_kanigaran),
        ("tisno", f.KEL_TISNONEGARAN, aid.tksk_kanigaran),
        ("out", f.KEL_MAYANGAN, aid.tksk_mayangan),
    ):
        m = f.make_musyawarah(tksk, kode, diusulkan=[getattr(aid, f"k_{suffix}")])
        musyawarah_upload_scan(actor=tksk, musyawarah=m, berkas=f.photo("scan.png"))
        setattr(aid, f"musyawarah_{suffix}", m)
    f.make_warga(aid)
    return aid


# Non-admin URLs with parameters: how to fill them with an out-of-area object (``o`` holds the
# objects of the household the walking user must not see), and whether the URL names an
# area-bound object (then it must answer 403/404) or a city-level one such as a programme stage
# (then it may open, but must not show the hidden household).
OBJECT_FOR_URL = {
    "pmks:keluarga_detail": (lambda o: {"pk": o.keluarga.pk}, True),
    "pmks:keluarga_update": (lambda o: {"pk": o.keluarga.pk}, True),
    "pmks:catatanpmks_create": (lambda o: {"pk": o.keluarga.pk}, True),
    "pmks:catatanpmks_decide": (lambda o: {"pk": o.catatan.pk}, True),
    "bantuan:usulan_create": (lambda o: {"pk": o.keluarga.pk}, True),
    "bantuan:usulan_cancel": (lambda o: {"pk": o.usulan.pk}, True),
    "bantuan:usulan_cite": (lambda o: {"pk": o.usulan.pk}, True),
    "musyawarah:detail": (lambda o: {"pk": o.musyawarah.pk}, True),
    "musyawarah:update": (lambda o: {"pk": o.musyawarah.pk}, True),
    "musyawarah:berita_acara": (lambda o: {"pk": o.musyawarah.pk}, True),
    "musyawarah:scan_upload": (lambda o: {"pk": o.musyawarah.pk}, True),
    "musyawarah:scan": (lambda o: {"pk": o.musyawarah.pk}, True),
    "bantuan:pemantauan_schedule": (lambda o: {"pk": o.penyaluran.pk}, True),
    "bantuan:penyaluran_create": (lambda o: {"pk": o.entri.pk}, True),
    "bantuan:penyaluran_detail": (lambda o: {"pk": o.penyaluran.pk}, True),
    "bantuan:foto": (lambda o: {"jenis": "penyaluran", "pk": o.penyaluran.pk, "field": "foto"}, True),
    "bantuan:pemantauan_record": (lambda o: {"pk": o.pemantauan.pk}, True),
    "bantuan:berita_acara": (lambda o: {"pk": o.tahap.pk, "kode": o.keluarga.kelurahan_id}, True),
    "bantuan:daftar_detail": (lambda o: {"pk": o.daftar.pk}, False),
    "bantuan:daftar_action": (lambda o: {"pk": o.daftar.pk}, False),
    "bantuan:lampiran_sk": (lambda o: {"pk": o.daftar.pk}, False),
    "bantuan:daftar_build": (lambda o: {"pk": o.tahap.pk}, False),
    "bantuan:ekstrak_detail": (lambda o: {"pk": o.ekstrak.pk}, False),
    "bantuan:masalah_create": (lambda o: {"pk": o.penerima.pk}, True),
    "tksk:kegiatan_detail": (lambda o: {"pk": o.kegiatan.pk}, True),
    "tksk:kegiatan_action": (lambda o: {"pk": o.kegiatan.pk}, True),
    "tksk:kegiatan_foto": (lambda o: {"pk": o.kegiatan.pk}, True),
    "tksk:kunjungan_create": (lambda o: {"pk": o.keluarga.pk}, True),
    "tksk:psks_update": (lambda o: {"pk": o.psks.pk}, True),
    "tksk:laporan_detail": (lambda o: {"kode": o.laporan.kecamatan_id, "bulan": "2026-03"}, True),
    "laporan:unduh": (lambda o: {"kode": "keluarga"}, False),
    "impor:detail": (lambda o: {"pk": o.impor.pk}, True),
    "laporan:ekspor": (lambda o: {"pk": o.ekspor.pk}, True),
    "laporan:ekspor_berkas": (lambda o: {"pk": o.ekspor.pk}, True),
    "impor:ditolak": (lambda o: {"pk": o.impor.pk}, True),
    "kabar:buka": (lambda o: {"pk": o.notifikasi.pk}, True),
    "warga:aduan_detail": (lambda o: {"pk": o.aduan.pk}, True),
    "warga:aduan_periksa": (lambda o: {"pk": o.aduan.pk}, True),
    "warga:publikasi_tarik": (lambda o: {"pk": o.publikasi.pk}, True),
}
# Every report is also downloaded as CSV (readable text) and must not contain the hidden household.
REPORT_URLS = [f"/laporan/{kode}/unduh/?format=csv" for kode in BY_KODE]
# URLs anyone may open without logging in.
PUBLIC = {"login", "admin:login", "favicon"}
# Citizens' pages (no login; tests/test_warga.py tests each of them, and what they never show).
PUBLIC |= {
    "warga:publik_index",
    "warga:publik_cek",
    "warga:publik_usul",
    "warga:publik_sanggah",
    "warga:publik_tiket",
    "warga:publik_daftar_index",
    "warga:publik_daftar",
    "warga:publik_cetak",
}


def all_patterns(patterns=None, namespace=None, prefix=""):
    """(name, route) of every URL pattern, including the admin's and the apps'."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from all_patterns(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace else p.name
            yield name, prefix + str(p.pattern)


def fill(route: str, values: dict[str, str]) -> str:
    """Turn a route (path() converters or a regex) into a concrete URL."""
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], route)
    positional = iter([values.get("object_id"), values.get("history_id")])
    route = re.sub(r"\(\[\^/\]\+\)", lambda m: next(positional), route)
    return "/" + route.replace("^", "").replace("$", "")


def markers_of(keluarga: Keluarga) -> list[str]:
    """Text that must never appear on a page for someone outside the household's area."""
    out = [keluarga.no_kk]
    for a in keluarga.anggota.all():
        out += [a.nik, a.nama]
    return out


def snapshot():
    return (
        list(Keluarga.objects.order_by("pk").values_list("pk", "alamat", "kelurahan_id")),
        list(AnggotaKeluarga.objects.order_by("pk").values_list("pk", "nik", "nama")),
        list(CatatanPmks.objects.order_by("pk").values_list("pk", "status")),
        list(Usulan.objects.order_by("pk").values_list("pk", "status")),
        list(DaftarPenerima.objects.order_by("pk").values_list("pk", "status", "versi")),
        list(EntriDaftar.objects.order_by("pk").values_list("pk", "aktif")),
        list(Penyaluran.objects.order_by("pk").values_list("pk", "tanggal")),
        list(Pemantauan.objects.order_by("pk").values_list("pk", "status")),
        list(Kegiatan.objects.order_by("pk").values_list("pk", "tindak_lanjut_selesai", "rujukan_hasil")),
        list(Psks.objects.order_by("pk").values_list("pk", "nama", "kelurahan_id")),
        list(LaporanBulanan.objects.order_by("pk").values_list("pk", "status")),
        list(PenerimaEksternal.objects.order_by("pk").values_list("pk", "keluarga_id", "ekstrak_keluar_id")),
        list(MasalahBantuanEksternal.objects.order_by("pk").values_list("pk", "selesai")),
        list(Musyawarah.objects.order_by("pk").values_list("pk", "status", "keputusan", "berkas_scan")),
        list(KeluargaDibahas.objects.order_by("pk").values_list("pk", "keluarga_id", "keputusan")),
        list(Usulan.objects.order_by("pk").values_list("pk", "musyawarah_id")),
        list(Aduan.objects.order_by("pk").values_list("pk", "status", "jawaban")),
        list(Publikasi.objects.order_by("pk").values_list("pk", "ditarik_pada")),
    )


def model_of(route: str):
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def values_for(route: str, o: SimpleNamespace) -> dict[str, str]:
    """Parameter values for an admin route: the out-of-area object of the route's model."""
    model = model_of(route)
    target = {
        Keluarga: o.keluarga,
        CatatanPmks: o.catatan,
        AnggotaKeluarga: o.keluarga.anggota.first(),
        Usulan: o.usulan,
        EntriDaftar: o.entri,
        Penyaluran: o.penyaluran,
        Pemantauan: o.pemantauan,
        DaftarPenerima: o.daftar,
        TahapProgram: o.tahap,
        Kegiatan: o.kegiatan,
        Psks: o.psks,
        LaporanBulanan: o.laporan,
        PenerimaEksternal: o.penerima,
        MasalahBantuanEksternal: o.penerima.masalah.first(),
        DesilKeluarga: o.keluarga.desil.first(),
        Aduan: o.aduan,
        Publikasi: o.publikasi,
    }.get(model)
    if target is None and model is not None:
        target = model._default_manager.order_by("pk").first()
    object_id = str(target.pk) if target is not None else "1"
    history = getattr(type(target), "history", None) if target is not None else None
    record = history.filter(id=target.pk).first() if history is not None else None
    history_id = str(record.history_id) if record is not None else "1"
    return {
        "object_id": object_id,
        "history_id": history_id,
        "id": object_id,
        "app_label": "pmks",
        "content_type_id": str(ContentType.objects.get_for_model(Keluarga).pk),
        "url": "tidak-ada/",
        "pk": object_id,
    }


def out_of_area(city, suffix: str) -> SimpleNamespace:
    """The objects of household ``k_<suffix>`` that the walking user must not see."""
    return SimpleNamespace(
        keluarga=getattr(city, f"k_{suffix}"),
        catatan=getattr(city, f"pmks_{suffix}"),
        usulan=getattr(city, f"usulan_{suffix}"),
        entri=getattr(city, f"entri_{suffix}"),
        penyaluran=getattr(city, f"penyaluran_{suffix}"),
        pemantauan=getattr(city, f"pemantauan_{suffix}"),
        daftar=city.daftar,
        tahap=city.tahap,
        kegiatan=getattr(city, f"kegiatan_{suffix}"),
        psks=getattr(city, f"psks_{suffix}"),
        laporan=getattr(city, f"laporan_{suffix}"),
        impor=city.impor,
        ekspor=city.ekspor,
        ekstrak=city.ekstrak,
        penerima=getattr(city, f"penerima_{suffix}"),
        musyawarah=getattr(city, f"musyawarah_{suffix}"),
        notifikasi=_notifikasi_about(getattr(city, f"k_{suffix}")),
        aduan=getattr(city, f"aduan_{suffix}"),
        publikasi=getattr(city, f"publikasi_{suffix}"),
    )


def _notifikasi_about(keluarga: Keluarga) -> Notifikasi:
    """Someone else's notification about the hidden household (its owner may open it)."""
    owner = f.make_user(f"kabar_{keluarga.pk}", None)
    return Notifikasi.objects.create(
        penerima=owner,
        jenis=Peristiwa.PMKS_DIVERIFIKASI,
        judul=f"Catatan PMKS KK {keluarga.no_kk} diverifikasi",
        tautan=f"/keluarga/{keluarga.pk}/",
        wilayah_id=keluarga.kelurahan_id,
        objek_jenis=ContentType.objects.get_for_model(Keluarga),
        objek_id=keluarga.pk,
    )


def walk(client, o: SimpleNamespace, hidden: list[str], *, staff: bool):
    """GET and POST every pattern; returns a list of problems (empty when all is well)."""
    problems = []
    before = snapshot()
    for name, route in all_patterns():
        if name in PUBLIC or name == "logout" or name == "admin:logout":
            continue
        area_bound = True
        if name.startswith("admin:") or route.startswith("admin/"):
            url = fill(route, values_for(route, o))
        else:
            params = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if params and name not in OBJECT_FOR_URL:
                problems.append(f"{name} ({route}): no out-of-area object known; add it to OBJECT_FOR_URL")
                continue
            if params:
                kwargs_for, area_bound = OBJECT_FOR_URL[name]
                url = fill(route, {k: str(v) for k, v in kwargs_for(o).items()})
            else:
                url = fill(route, {})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = body_of(response)
            leaked = [m for m in hidden if m in body]
            if leaked:
                problems.append(f"{method.upper()} {url} ({name}) shows out-of-area data: {leaked[:2]}")
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {url} ({name}) answered {response.status_code}")
            # An object URL of area data (every non-admin one; admin ones of scoped models).
            model = model_of(route)
            area_object = bool(re.search(r"<|\(", route)) and (
                (area_bound and not route.startswith("admin/")) or hasattr(model, "scope_path")
            )
            if area_object and response.status_code == 200:
                problems.append(f"{method.upper()} {url} ({name}) answered 200 for an out-of-area object")
            if not staff and name.startswith("admin:") and response.status_code == 200:
                problems.append(f"{method.upper()} {url} ({name}) opened the admin for a non-staff user")
    for url in REPORT_URLS:
        response = client.get(url)
        leaked = [m for m in hidden if m in body_of(response)]
        if leaked:
            problems.append(f"GET {url} (report) shows out-of-area data: {leaked[:2]}")
    if snapshot() != before:
        problems.append("the walk changed data")
    return problems


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.parametrize(
    ("who", "target", "hidden_from"),
    [
        ("tksk_mayangan", "in", ["k_in", "k_tisno"]),
        ("kelurahan", "tisno", ["k_tisno", "k_out"]),
        ("tksk_kanigaran", "out", ["k_out"]),
    ],
)
def test_every_url_refuses_out_of_area_records(aid, client, who, target, hidden_from):
    client.force_login(getattr(aid, who))
    hidden = [m for name in hidden_from for m in markers_of(getattr(aid, name))]
    problems = walk(client, out_of_area(aid, target), hidden, staff=False)
    assert not problems, "\n".join(problems)


def test_every_admin_url_is_scoped_for_area_limited_staff(aid, client):
    """A staff member limited to one Mayangan kelurahan, with Dinas permissions, in the admin."""
    staff = f.make_user("staf_mayangan", roles.DINAS, J.KELURAHAN, f.KEL_MAYANGAN, staff=True)
    client.force_login(staff)
    hidden = markers_of(aid.k_in) + markers_of(aid.k_tisno)
    problems = walk(client, out_of_area(aid, "in"), hidden, staff=True)
    assert not problems, "\n".join(problems)


def test_every_url_needs_login(aid, client):
    """Anonymous visitors get the login page for everything but the login pages themselves."""
    problems = []
    o = out_of_area(aid, "in")
    for name, route in all_patterns():
        if name in PUBLIC:
            continue
        if name in OBJECT_FOR_URL:
            url = fill(route, {k: str(v) for k, v in OBJECT_FOR_URL[name][0](o).items()})
        else:
            url = fill(route, values_for(route, o)) if "<" in route or "(" in route else "/" + route
        response = client.get(url)
        hidden = markers_of(aid.k_in)
        if any(m in response.content.decode(errors="replace") for m in hidden):
            problems.append(f"{url} shows data to an anonymous visitor")
        if response.status_code not in (301, 302, 404, 405):
            problems.append(f"{url} ({name}) answered {response.status_code} without login")
        elif (
            response.status_code == 302
            and "login" not in response["Location"]
            and "masuk" not in response["Location"]
        ):
            problems.append(f"{url} ({name}) redirected to {response['Location']}, not to login")
    assert not problems, "\n".join(problems)
