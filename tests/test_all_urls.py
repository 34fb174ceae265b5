"""Walk EVERY URL pattern of the project as users who must not see a given household.

A view added later without area scoping fails here: a pattern with parameters that this file
does not know how to fill fails too, so each new URL must be taught to the walker (add it to
``OBJECT_FOR_URL``) — which is the point.
"""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

from accounts import roles
from accounts.choices import JenisPenugasan as J
from pmks.models import AnggotaKeluarga, CatatanPmks, Keluarga
from tests import factories as f

pytestmark = pytest.mark.django_db

# Non-admin URLs with parameters: which out-of-area object fills ``pk``.
OBJECT_FOR_URL = {
    "pmks:keluarga_detail": "keluarga",
    "pmks:keluarga_update": "keluarga",
    "pmks:catatanpmks_create": "keluarga",
    "pmks:catatanpmks_decide": "catatan",
}
# URLs anyone may open without logging in.
PUBLIC = {"login", "admin:login", "favicon"}


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
    )


def model_of(route: str):
    match = re.match(r"admin/(\w+)/(\w+)/", route)
    if not match:
        return None
    try:
        return apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return None


def values_for(route: str, keluarga: Keluarga, catatan: CatatanPmks) -> dict[str, str]:
    """Parameter values for an admin route: the out-of-area object of the route's model."""
    model = model_of(route)
    target = {Keluarga: keluarga, CatatanPmks: catatan, AnggotaKeluarga: keluarga.anggota.first()}.get(model)
    if target is None and model is not None:
        target = model._default_manager.order_by("pk").first()
    object_id = str(target.pk) if target is not None else "1"
    history = getattr(type(target), "history", None) if target is not None else None
    history_id = str(history.filter(id=target.pk).first().history_id) if history is not None else "1"
    return {
        "object_id": object_id,
        "history_id": history_id,
        "id": object_id,
        "app_label": "pmks",
        "content_type_id": str(ContentType.objects.get_for_model(Keluarga).pk),
        "url": "tidak-ada/",
        "pk": object_id,
    }


def walk(client, keluarga: Keluarga, catatan: CatatanPmks, hidden: list[str], *, staff: bool):
    """GET and POST every pattern; returns a list of problems (empty when all is well)."""
    problems = []
    before = snapshot()
    for name, route in all_patterns():
        if name in PUBLIC or name == "logout" or name == "admin:logout":
            continue
        if name.startswith("admin:") or route.startswith("admin/"):
            url = fill(route, values_for(route, keluarga, catatan))
        else:
            params = re.findall(r"<(?:\w+:)?(\w+)>", route)
            if params and name not in OBJECT_FOR_URL:
                problems.append(f"{name} ({route}): no out-of-area object known; add it to OBJECT_FOR_URL")
                continue
            target = keluarga if OBJECT_FOR_URL.get(name) == "keluarga" else catatan
            url = fill(route, {p: str(target.pk) for p in params})
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = response.content.decode(errors="replace")
            leaked = [m for m in hidden if m in body]
            if leaked:
                problems.append(f"{method.upper()} {url} ({name}) shows out-of-area data: {leaked[:2]}")
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {url} ({name}) answered {response.status_code}")
            # An object URL of area data (every non-admin one; admin ones of scoped models).
            model = model_of(route)
            area_object = bool(re.search(r"<|\(", route)) and (
                not route.startswith("admin/") or hasattr(model, "scope_path")
            )
            if area_object and response.status_code == 200:
                problems.append(f"{method.upper()} {url} ({name}) answered 200 for an out-of-area object")
            if not staff and name.startswith("admin:") and response.status_code == 200:
                problems.append(f"{method.upper()} {url} ({name}) opened the admin for a non-staff user")
    if snapshot() != before:
        problems.append("the walk changed data")
    return problems


@pytest.mark.parametrize(
    ("who", "target", "catatan", "hidden_from"),
    [
        ("tksk_mayangan", "k_in", "pmks_in", ["k_in", "k_tisno"]),
        ("kelurahan", "k_tisno", "pmks_tisno", ["k_tisno", "k_out"]),
        ("tksk_kanigaran", "k_out", "pmks_out", ["k_out"]),
    ],
)
def test_every_url_refuses_out_of_area_records(city, client, who, target, catatan, hidden_from):
    client.force_login(getattr(city, who))
    hidden = [m for name in hidden_from for m in markers_of(getattr(city, name))]
    problems = walk(client, getattr(city, target), getattr(city, catatan), hidden, staff=False)
    assert not problems, "\n".join(problems)


def test_every_admin_url_is_scoped_for_area_limited_staff(city, client):
    """A staff member limited to one Mayangan kelurahan, with Dinas permissions, in the admin."""
    staff = f.make_user("staf_mayangan", roles.DINAS, J.KELURAHAN, f.KEL_MAYANGAN, staff=True)
    client.force_login(staff)
    hidden = markers_of(city.k_in) + markers_of(city.k_tisno)
    problems = walk(client, city.k_in, city.pmks_in, hidden, staff=True)
    assert not problems, "\n".join(problems)


def test_every_url_needs_login(city, client):
    """Anonymous visitors get the login page for everything but the login pages themselves."""
    problems = []
    for name, route in all_patterns():
        if name in PUBLIC:
            continue
        values = values_for(route, city.k_in, city.pmks_in)
        url = fill(route, values) if "<" in route or "(" in route else "/" + route
        response = client.get(url)
        hidden = markers_of(city.k_in)
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
