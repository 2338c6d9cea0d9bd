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
