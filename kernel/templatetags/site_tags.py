"""Tags of base.html: the page's own title and description again, for OGP and Twitter cards."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def rendered_block(context, name: str) -> SafeString:
    """What the page's template puts in this block, rendered once more ("" if nothing)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks else None
    if block is None:
        return mark_safe("")
    with context.push(block=block):  # as BlockNode.render does, for {{ block.super }}
        return mark_safe(block.nodelist.render(context).strip())  # escaped as it rendered


# The feedback widget shows its own one-time messages (tagged "feedback") inside itself.
@register.filter
def with_tag(messages, tag: str) -> list:
    return [m for m in messages or () if tag in m.tags.split()]


@register.filter
def without_tag(messages, tag: str) -> list:
    return [m for m in messages or () if tag not in m.tags.split()]


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """A form's errors, each with the id of its input, for includes/form_errors.html."""
    from kernel.forms import error_summary

    return error_summary(form)


@register.filter
def any_linked(rows: list[tuple[str, str]]) -> bool:
    return any(anchor for anchor, _ in rows)
