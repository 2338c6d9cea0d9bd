import re
import unicodedata

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SEPARATOR = r"[-‐‑–−－ー\s]?"
# An e-mail address, or a Japanese phone number (0 then 9–10 more digits, hyphens optional).
_CONTACT = re.compile(
    r"(?P<email>[\w.+-]+[@＠][\w-]+(?:[.．][\w-]+)+)"
    rf"|(?P<phone>(?<!\d)[0０]\d{{1,4}}{_SEPARATOR}\d{{1,4}}{_SEPARATOR}\d{{3,4}}(?!\d))"
)


def _tel(number: str) -> str | None:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", number))
    return f"tel:{digits}" if 10 <= len(digits) <= 11 else None


@register.filter
def contact_links(text: str) -> SafeString:
    """A public contact text with its phone numbers and e-mail addresses as tel:/mailto: links."""
    parts, position = [], 0
    for match in _CONTACT.finditer(text or ""):
        found = match[0]
        href = f"mailto:{unicodedata.normalize('NFKC', found)}" if match["email"] else _tel(found)
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}">{}</a>', href, found) if href else escape(found))
        position = match.end()
    parts.append(escape((text or "")[position:]))
    return mark_safe("".join(parts))  # every piece escaped above
