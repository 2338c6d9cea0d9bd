"""What tests of the staff screens share: an admin form posted back as it is, and the check
that a screen reads in Japanese."""

import re
from html import unescape
from html.parser import HTMLParser

# English a clerk must never meet: django-simple-history, django-import-export, django-axes.
ENGLISH_PHRASES = [
    "Choose a date",
    "Press the",
    "Changed by",
    "Change reason",
    "chars]",
    "This exporter",
    "This importer",
    "Select all",
    "Some rows failed",
    "Access attempts",
    "Access failures",
    "Access logs",
    "Confirm import",
    "Below is a preview",
    "Line number",
    "Non field specific",
    "through import_export",
    "Number (",
    "Title (",
    "Lead Organization",
]
# Matched as whole words, so 事例No. or a URL's path never counts.
ENGLISH_WORDS = [
    "Revert",
    "OBJECT",
    "Object",
    "STATUS",
    "COMMENT",
    "Comment",
    "published",
    "draft",
    "archived",
    "Changed",
    "Created",
    "Deleted",
    "None",
    "Import",
    "Export",
    "Submit",
    "Errors",
    "Row",
    "Preview",
    "History",
    "Home",
]
ENGLISH = re.compile(
    "|".join([*map(re.escape, ENGLISH_PHRASES), *(rf"\b{w}\b" for w in ENGLISH_WORDS)])
)


class VisibleText(HTMLParser):
    """The text a reader sees: element text and button captions, not scripts or attributes."""

    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            self.parts.append(attrs.get("value") or "")
        if attrs.get("placeholder"):
            self.parts.append(attrs["placeholder"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return unescape(" ".join(" ".join(parser.parts).split()))


def assert_japanese(response, status: int = 200) -> None:
    assert response.status_code == status, response
    text = visible_text(response.content.decode())
    found = sorted({m.group(0) for m in ENGLISH.finditer(text)})
    assert not found, f"{response.request['PATH_INFO']}: English {found} in: {text[:3000]}"


def admin_form_data(response) -> dict:
    """An admin change form as a browser would post it back, inlines left as they are."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "__iter__") and not isinstance(value, str):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = "" if value is None else getattr(value, "pk", value)
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{management.prefix}-{name}"] = management.initial.get(name, 0)
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form.initial.get(name)
                if name == inline_form.instance._meta.pk.name:  # not in initial: not editable
                    value = inline_form.instance.pk
                key = f"{inline_form.prefix}-{name}"
                data[key] = "" if value is None else getattr(value, "pk", value)
    return data
