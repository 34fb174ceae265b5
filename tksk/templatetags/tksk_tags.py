"""TKSK panels on registry pages (household visits, dashboard agenda) without pmks importing tksk."""

from django import template

from tksk import selectors

register = template.Library()


@register.inclusion_tag("tksk/_keluarga_panel.html", takes_context=True)
def kegiatan_keluarga(context, keluarga):
    user = context["request"].user
    return {
        "keluarga": keluarga,
        "perms": context.get("perms"),
        "kegiatan": list(selectors.kegiatan_for_keluarga(user=user, keluarga=keluarga)[:10]),
    }


@register.inclusion_tag("tksk/_agenda_panel.html", takes_context=True)
def agenda_ringkas(context):
    user = context["request"].user
    if not user.has_perm("tksk.view_kegiatan"):
        return {"show": False}
    return {"show": True, "agenda": selectors.agenda(user=user, limit=5)}
