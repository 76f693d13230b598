"""The moderation page's "likely duplicates" section, as an inclusion tag."""

from __future__ import annotations

from django import template

from ateliers.duplicates import event_suggestions

register = template.Library()


@register.inclusion_tag("frontend/board/_duplicates.html", takes_context=True)
def duplicate_suggestions(context):
    event = context["event"]
    return {
        "event": event,
        "suggestions": event_suggestions(event),
        "csrf_token": context.get("csrf_token"),
    }
