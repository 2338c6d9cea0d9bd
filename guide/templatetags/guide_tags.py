from django import template

from guide import selectors
from guide.models import GuidePage

register = template.Library()


@register.simple_tag
def guide_menu(name: str) -> list[tuple[str, str]]:
    """(label, address) of the guide pages in the "header" or "footer" menu."""
    return selectors.menu(name)


@register.inclusion_tag("admin/guide/queues.html", takes_context=True)
def guide_queue(context):
    """The admin index's counts: guide pages whose change waits for a 管理者, and for the clerk
    the changes of theirs a 管理者 sent back."""
    user = context["request"].user
    if not user.has_perm("guide.change_guidepage"):
        return {"waiting": None, "returned": None}
    return {
        "waiting": GuidePage.objects.filter(pending__isnull=False).count()
        if user.has_perm("guide.publish_guidepage")
        else None,
        "returned": GuidePage.objects.filter(returned_to=user).count(),
    }
