"""Roles are Django groups with permissions; this module seeds them once.

Action rights ("may add a household", "may verify PMKS") come from these groups; which rows a
user may touch comes from their assignments (wilayah.scoping). An administrator can adjust the
groups in the admin afterwards: each default permission is granted once (recorded in
``HakBawaan``), so a permission an administrator removed stays removed, while permissions that a
later release adds to a role's defaults reach existing installations.
"""

from __future__ import annotations

from typing import Any

TKSK = "TKSK"
DINAS = "Dinas Sosial"
KELURAHAN = "Petugas Kelurahan"
ADMINISTRATOR = "Administrator"

_REGISTRY_VIEW = [
    "pmks.view_keluarga",
    "pmks.view_anggotakeluarga",
    "pmks.view_catatanpmks",
    "pmks.view_kategoripmks",
    "tksk.view_jenispsks",
    "wilayah.view_wilayah",
]
_REGISTRY_EDIT = [
    "pmks.add_keluarga",
    "pmks.change_keluarga",
    "pmks.add_anggotakeluarga",
    "pmks.change_anggotakeluarga",
    "pmks.delete_anggotakeluarga",
    "pmks.add_catatanpmks",
]

_AID_VIEW = [
    "bantuan.view_programbantuan",
    "bantuan.view_tahapprogram",
    "bantuan.view_usulan",
    "bantuan.view_daftarpenerima",
    "bantuan.view_entridaftar",
    "bantuan.view_penyaluran",
    "bantuan.view_pemantauan",
    "bantuan.view_ekstrakbantuan",
    "bantuan.view_penerimaeksternal",
    "bantuan.view_masalahbantuaneksternal",
    "pmks.view_desilkeluarga",
]
_AID_FIELD = [
    "bantuan.add_usulan",
    "bantuan.add_penyaluran",
    "bantuan.change_pemantauan",
    "bantuan.add_masalahbantuaneksternal",
]
_AID_OFFICE = [
    "bantuan.add_programbantuan",
    "bantuan.change_programbantuan",
    "bantuan.add_tahapprogram",
    "bantuan.change_tahapprogram",
    "bantuan.add_kuotakecamatan",
    "bantuan.change_kuotakecamatan",
    "bantuan.delete_kuotakecamatan",
    "bantuan.view_kuotakecamatan",
    "bantuan.change_usulan",
    "bantuan.manage_daftarpenerima",
    "bantuan.approve_daftarpenerima",
    "bantuan.view_riwayatdaftar",
    # Aid decided elsewhere: its extracts are imported here; problems the field reports are handled.
    "bantuan.add_penerimaeksternal",
    "bantuan.change_masalahbantuaneksternal",
    "pmks.add_desilkeluarga",
]

# The musyawarah kelurahan: recorded by the field and the office, read by the kelurahan.
_MUSYAWARAH_VIEW = [
    "musyawarah.view_musyawarah",
    "musyawarah.view_pesertamusyawarah",
    "musyawarah.view_keluargadibahas",
]
_MUSYAWARAH_EDIT = [
    "musyawarah.add_musyawarah",
    "musyawarah.change_musyawarah",
    "musyawarah.add_pesertamusyawarah",
    "musyawarah.change_pesertamusyawarah",
    "musyawarah.delete_pesertamusyawarah",
    "musyawarah.add_keluargadibahas",
    "musyawarah.change_keluargadibahas",
    "musyawarah.delete_keluargadibahas",
]

_TKSK_WORK = [
    "tksk.view_jenispsks",
    "tksk.view_psks",
    "tksk.add_psks",
    "tksk.change_psks",
    "tksk.view_kegiatan",
    "tksk.add_kegiatan",
    "tksk.change_kegiatan",
    "tksk.view_laporanbulanan",
    "tksk.add_laporanbulanan",
    "tksk.change_laporanbulanan",
]
_TKSK_OVERSIGHT = ["tksk.review_laporanbulanan", "tksk.view_beban_kerja"]

# Citizens' usul and sanggah: the TKSK of the kecamatan answers them, the Dinas Sosial oversees
# and publishes approved lists, the kelurahan office follows those of its kelurahan.
_WARGA_VIEW = ["warga.view_aduan", "warga.view_publikasi"]
_WARGA_ANSWER = ["warga.change_aduan"]
_WARGA_OFFICE = ["warga.view_ringkasan_aduan", "warga.publish_publikasi"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    TKSK: _REGISTRY_VIEW
    + _REGISTRY_EDIT
    + _AID_VIEW
    + _AID_FIELD
    + _TKSK_WORK
    + _MUSYAWARAH_VIEW
    + _MUSYAWARAH_EDIT
    + _WARGA_VIEW
    + _WARGA_ANSWER,
    DINAS: _REGISTRY_VIEW
    + _REGISTRY_EDIT
    + _AID_VIEW
    + _AID_FIELD
    + _AID_OFFICE
    + _TKSK_WORK
    + _TKSK_OVERSIGHT
    + _WARGA_VIEW
    + _WARGA_ANSWER
    + _WARGA_OFFICE
    + [
        "pmks.change_catatanpmks",
        "pmks.verify_catatanpmks",
        "pmks.delete_keluarga",
        "pmks.change_kategoripmks",
        "accounts.view_user",
        "accounts.view_penugasan",
    ]
    + _MUSYAWARAH_VIEW
    + _MUSYAWARAH_EDIT,
    KELURAHAN: _REGISTRY_VIEW + _AID_VIEW + ["tksk.view_psks"] + _MUSYAWARAH_VIEW + _WARGA_VIEW,
    ADMINISTRATOR: [],  # every permission, filled below
}


def ensure_role_groups(sender: Any = None, **kwargs: Any) -> None:
    """Create the role groups that are missing, with their default permissions."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    if sender is not None and getattr(sender, "name", None) != "accounts":
        return
    # post_migrate reaches accounts before the apps listed after it: create their permissions now.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    all_perms = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_perms}
    from accounts.models import HakBawaan

    for name, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        wanted = list(by_name) if name == ADMINISTRATOR else [c for c in codes if c in by_name]
        done = set(HakBawaan.objects.filter(group=group).values_list("permission", flat=True))
        new = list(dict.fromkeys(c for c in wanted if c not in done))  # a code may sit in two lists
        if new:
            group.permissions.add(*[by_name[c] for c in new])
            HakBawaan.objects.bulk_create([HakBawaan(group=group, permission=c) for c in new])
