"""Writes to organizations that other apps ask for: the organization of a name, found or made."""

import re

from lib.text import name_key
from partners.models import Area, Organization

# The kind a name says it is, by the legal form or the word it carries; the first match wins.
_KIND_WORDS = [
    (Organization.Kind.NPO, r"NPO法人|特定非営利活動法人"),
    (Organization.Kind.COMPANY, r"株式会社|有限会社|合同会社|合資会社|\(株\)|\(有\)|㈱|㈲"),
    (Organization.Kind.PUBLIC_INTEREST, r"財団法人|社団法人|社会福祉法人|協同組合|生活協同"),
    (Organization.Kind.EDUCATION, r"大学|高等学校|高校|中学校|小学校|学校|学園|短期大学"),
    (Organization.Kind.COMMUNITY, r"自治会|町内会|町会|区会|自治連"),
    (Organization.Kind.GOVERNMENT, r"県庁|市役所|町役場|村役場|[都道府県市区町村]\s*\S*[課室局]$"),
]


def kind_from_name(name: str, default: str = Organization.Kind.VOLUNTARY) -> str:
    """The kind its name states (NPO法人…, 株式会社…, 〇〇市 〇〇課), else `default`."""
    key = name_key(name)
    for kind, words in _KIND_WORDS:
        if re.search(words, key):
            return kind
    return default


def find_by_name(name: str) -> Organization | None:
    """The organization of exactly this name once NFKC and spaces are set aside; a listed one,
    then the oldest, when several share it."""
    key = name_key(name)
    if not key:
        return None
    # Names differ in width and spacing, so they are compared here, not in SQL; this runs on a
    # clerk's click, not on a public page.
    rows = Organization.objects.order_by("-is_public", "pk").values_list("pk", "name")
    for pk, other in rows.iterator(chunk_size=2000):
        if name_key(other) == key:
            return Organization.objects.get(pk=pk)
    return None


def find_or_create_unlisted(
    name: str, *, kind: str, area: Area | None = None, user=None, reason: str = ""
) -> tuple[Organization, bool]:
    """The organization of this name, or a new one kept off the directory (is_public False)
    until staff fill it in; and whether it was made."""
    found = find_by_name(name)
    if found is not None:
        return found, False
    organization = Organization(name=name.strip(), kind=kind, area=area, is_public=False)
    organization.full_clean()
    organization._history_user = user
    organization._change_reason = reason[:100] or None
    organization.save()
    return organization, True
