"""Aid panels shown on registry pages (household page, dashboard) without pmks importing bantuan."""

from django import template

from bantuan import selectors

register = template.Library()


@register.inclusion_tag("bantuan/_keluarga_panel.html", takes_context=True)
def bantuan_keluarga(context, keluarga):
    user = context["request"].user
    usulan = selectors.usulan_list(user=user).filter(keluarga=keluarga)
    return {
        "keluarga": keluarga,
        "perms": context.get("perms"),
        "rows": [(u, selectors.nasib_usulan(u)) for u in usulan],
    }


@register.inclusion_tag("bantuan/_pemantauan_panel.html", takes_context=True)
def pemantauan_jatuh_tempo(context):
    user = context["request"].user
    if not user.has_perm("bantuan.view_pemantauan"):
        return {"show": False}
    return {"show": True, **selectors.pemantauan_due(user=user)}
