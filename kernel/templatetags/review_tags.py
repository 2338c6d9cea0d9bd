"""The admin index's counts of changes held for review (kernel.review)."""

from django import template

from kernel import review

register = template.Library()


@register.inclusion_tag("admin/held_queues.html", takes_context=True)
def held_queues(context):
    return {"queues": review.queues(context["request"].user)}
