"""Area scoping, written once: which rows a user may see is a prefix test on region codes.

A user's ``Scope`` is the set of region codes of their active assignments (see
``accounts.models.User.area_scope``); a record is inside it when its region code equals one of
them or starts with one of them followed by a dot. Every list, detail, form choice, filter, admin
page and export starts from ``Model.objects.for_user(user)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Scope:
    """Region codes a user may access; ``None`` means unrestricted (superuser)."""

    kode_wilayah: frozenset[str] | None

    @property
    def unrestricted(self) -> bool:
        return self.kode_wilayah is None

    @property
    def empty(self) -> bool:
        return self.kode_wilayah is not None and not self.kode_wilayah

    def allows(self, kode: str | None) -> bool:
        """True when the region ``kode`` lies inside this scope."""
        if self.kode_wilayah is None:
            return True
        if not kode:
            return False
        return any(kode == k or kode.startswith(k + ".") for k in self.kode_wilayah)

    def q(self, path: str) -> Q:
        """A filter for rows whose region (reached through ``path``) is inside this scope."""
        field = f"{path}__kode" if path else "kode"
        if self.kode_wilayah is None:
            return Q()
        condition = Q(pk__in=[])  # deny by default: no assignment, no rows
        for kode in sorted(self.kode_wilayah):
            condition |= Q(**{field: kode}) | Q(**{f"{field}__startswith": kode + "."})
        return condition


NO_SCOPE = Scope(frozenset())
OUTSIDE_AREA_CHOICE = gettext_lazy("Pilihan ini tidak ada atau di luar wilayah tugas Anda.")
ALL = Scope(None)


def scope_of(user: Any) -> Scope:
    """The scope of any user object; anonymous users and unknown objects see nothing."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    return getattr(user, "area_scope", NO_SCOPE)


class ScopedQuerySet(models.QuerySet):
    """Queryset for models that belong to a region. The model declares ``scope_path``: the
    lookup path from the model to its ``Wilayah`` ("" for Wilayah itself)."""

    def within(self, scope: Scope) -> Self:
        if scope.unrestricted:
            return self
        return self.filter(scope.q(self.model.scope_path))

    def for_user(self, user: Any) -> Self:
        return self.within(scope_of(user))


class ScopedAdminMixin:
    """Admin pages show and offer only rows inside the user's area (list, change, FK choices,
    and therefore django-import-export's export, which starts from ``get_queryset``)."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def _ensure_visible(self, request, object_id) -> None:
        # History pages (Django's and django-simple-history's) read the history table directly
        # instead of get_queryset(); without this they show another area's records.
        if scope_of(request.user).unrestricted:
            return  # city-wide users may also read the history of deleted records
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._ensure_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        related = db_field.remote_field.model
        if field is not None and hasattr(related, "scope_path"):
            field.queryset = field.queryset.filter(pk__in=related.objects.for_user(request.user))
            field.error_messages["invalid_choice"] = OUTSIDE_AREA_CHOICE
        return field


class ScopedResourceMixin:
    """django-import-export resource that refuses rows outside the importer's area.

    The importing user comes in as ``user=`` (the admin passes it, see ``get_resource_kwargs``);
    the row's region is read through the model's ``scope_path``. Out-of-area rows become row
    errors, not crashes and not silent saves.
    """

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        # Existing rows are looked up (by NIK, No. KK) only inside the area: a row naming another
        # area's person becomes a new row, which the unique NIK then refuses as a row error.
        return super().get_queryset().for_user(self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        kode = _region_code_of(instance, instance.scope_path)
        if kode is not None and not scope_of(self.user).allows(kode):
            errors.setdefault("__all__", []).append(
                _("Wilayah %(kode)s di luar wilayah tugas Anda; baris ini tidak disimpan.") % {"kode": kode}
            )
        return super().validate_instance(instance, errors, validate_unique)


def _region_code_of(instance: Any, path: str) -> str | None:
    """Follow ``scope_path`` from an unsaved instance to its region code (None if unknown)."""
    obj = instance
    parts = path.split("__") if path else []
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    if not parts:
        return obj.pk
    return getattr(obj, f"{parts[-1]}_id", None)
