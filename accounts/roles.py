"""Roles are Django groups with permissions; this module seeds them once.

Action rights ("may add a household", "may verify PMKS") come from these groups; which rows a
user may touch comes from their assignments (wilayah.scoping). An administrator can adjust the
groups in the admin afterwards: seeding only fills groups that do not exist yet.
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

ROLE_PERMISSIONS: dict[str, list[str]] = {
    TKSK: _REGISTRY_VIEW + _REGISTRY_EDIT,
    DINAS: _REGISTRY_VIEW
    + _REGISTRY_EDIT
    + [
        "pmks.change_catatanpmks",
        "pmks.verify_catatanpmks",
        "pmks.delete_keluarga",
        "pmks.change_kategoripmks",
        "accounts.view_user",
        "accounts.view_penugasan",
    ],
    KELURAHAN: _REGISTRY_VIEW,
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
    for name, codes in ROLE_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if not created:
            continue
        if name == ADMINISTRATOR:
            group.permissions.set(list(by_name.values()))
        else:
            group.permissions.set([by_name[c] for c in codes if c in by_name])
