from django import template

from guide import selectors

register = template.Library()


@register.simple_tag
def guide_menu(name: str) -> list[tuple[str, str]]:
    """(label, address) of the guide pages in the "header" or "footer" menu."""
    return selectors.menu(name)
