"""Form plumbing every app's screens share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

T = TypeVar("T")


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    service: Callable[[dict[str, Any]], T],
    success: str | None = None,
) -> T | None:
    """Validate a posted form and hand its data to one service. A refusal of the service lands
    on the form (on its field when the form has it) and nothing is saved; ``success`` is said
    once it is done. Returns the service's result, or None when the form or the service
    refused, so the view shows the form again."""
    if not form.is_valid():
        return None
    try:
        result = service(dict(form.cleaned_data))
    except ValidationError as exc:
        add_service_error(form, exc)
        return None
    if success:
        messages.success(request, success)
    return result


def add_service_error(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class DateInput(forms.DateInput):
    """The phone's own date picker; it posts ISO dates, which DATE_INPUT_FORMATS accepts."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class CrispyFields:
    """A form rendered by crispy-forms as fields only: the page's own <form> carries the tag
    and the CSRF token (several forms may share one page)."""

    def crispy_fields_only(self) -> None:
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field ``name``, to narrow its choices to the user's area."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def form_errors_to_messages(request: HttpRequest, form: forms.BaseForm) -> None:
    """A form posted from a page that does not show it again: its errors become messages."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


class UserFormSetMixin:
    """A formset whose forms take the acting ``user`` (their choices are scoped to the user's
    area), the empty form that the '+ Tambah' button copies included."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": self.user}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            user=self.user,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form
