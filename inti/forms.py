"""Form plumbing every app's screens share."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


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
