from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    # Django's Indonesian catalogue renders this as "nama pengguna nama pengguna"; say it plainly.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau sandi salah. Perhatikan huruf besar/kecil."),
    }
