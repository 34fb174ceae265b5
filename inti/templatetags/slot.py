"""``{% slot "name" key=value %}``: the panels higher apps registered for a slot (inti.slots)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from inti.slots import panels

register = template.Library()


@register.simple_tag(takes_context=True)
def slot(context: template.Context, name: str, **kwargs: Any) -> SafeString:
    request = context["request"]
    html = []
    for panel in panels(name):
        panel_context = panel.context(request, kwargs)
        if panel_context is not None:
            html.append(render_to_string(panel.template, {**panel_context, **kwargs}, request=request))
    return mark_safe("".join(html))  # each part is a rendered, auto-escaped template
