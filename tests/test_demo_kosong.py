"""The demo command on a registry that is not empty: it never adds its known-password accounts."""

import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.mark.django_db
def test_demo_never_touches_a_registry_with_data(city):
    """A real database gets no demo accounts with a known password."""
    call_command("demo_data", izinkan_tanpa_debug=True)
    assert not User.objects.filter(username__in=["admin", "dinsos", "tksk_kanigaran"]).exists()
