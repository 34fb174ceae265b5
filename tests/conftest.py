"""Shared fixtures: a small city with one household in and one out of each role's area."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accounts import roles
from accounts.choices import JenisPenugasan as J
from tests import factories as f


@pytest.fixture
def ref(db):
    f.ensure_reference_data()


@pytest.fixture
def city(ref):
    """Users of every role and households in Kanigaran (two kelurahan) and Mayangan."""
    admin = f.make_user("admin_uji", roles.ADMINISTRATOR, staff=True, superuser=True)
    dinsos = f.make_user("dinsos_uji", roles.DINAS, J.DINAS, f.KOTA, staff=True)
    dinsos2 = f.make_user("dinsos2_uji", roles.DINAS, J.DINAS, f.KOTA, staff=True)
    dinsos3 = f.make_user("dinsos3_uji", roles.DINAS, J.DINAS, f.KOTA, staff=True)  # a verifier
    tksk_kanigaran = f.make_user("tksk_kanigaran_uji", roles.TKSK, J.TKSK, f.KANIGARAN)
    tksk_mayangan = f.make_user("tksk_mayangan_uji", roles.TKSK, J.TKSK, f.MAYANGAN)
    kelurahan = f.make_user("kelurahan_kanigaran_uji", roles.KELURAHAN, J.KELURAHAN, f.KEL_KANIGARAN)
    no_role = f.make_user("tanpa_peran", None)

    k_in = f.make_keluarga(tksk_kanigaran, f.KEL_KANIGARAN, kepala="Slamet Riyadi")
    k_tisno = f.make_keluarga(tksk_kanigaran, f.KEL_TISNONEGARAN, kepala="Bambang Tisno")
    k_out = f.make_keluarga(tksk_mayangan, f.KEL_MAYANGAN, kepala="Abdul Mayangan")
    pmks_in = f.make_pmks(tksk_kanigaran, k_in)
    pmks_tisno = f.make_pmks(tksk_kanigaran, k_tisno)
    pmks_out = f.make_pmks(tksk_mayangan, k_out)
    return SimpleNamespace(
        admin=admin,
        dinsos=dinsos,
        dinsos2=dinsos2,
        dinsos3=dinsos3,
        tksk_kanigaran=tksk_kanigaran,
        tksk_mayangan=tksk_mayangan,
        kelurahan=kelurahan,
        no_role=no_role,
        k_in=k_in,
        k_tisno=k_tisno,
        k_out=k_out,
        pmks_in=pmks_in,
        pmks_tisno=pmks_tisno,
        pmks_out=pmks_out,
    )


@pytest.fixture
def login(client):
    """Log a user in with force_login (django-axes rejects client.login without a request)."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def aid(city):
    """``city`` plus an approved, distributed aid list covering its three households, and TKSK
    work (visits, PSKS, monthly reports) for each of them."""
    f.make_aid(city)
    f.make_tksk_work(city)
    return city
