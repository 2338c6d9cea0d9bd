"""Markdown written by staff, as HTML that is safe to put on a public page."""

import nh3
from markdown_it import MarkdownIt

# CommonMark with tables and strikethrough; raw HTML passes the parser and is cleaned by nh3.
_parser = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
    ["table", "strikethrough"]
)
# What the rendered Markdown may hold: text structure, links, images, tables; no scripts,
# styles, forms or frames (nh3 drops <script> and <style> with their content). No style
# attributes either: the public pages' CSP refuses inline styles (a column's alignment goes).
ALLOWED_TAGS = {
    *("h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code"),
    *("ul", "ol", "li", "dl", "dt", "dd", "strong", "em", "b", "i", "s", "del", "mark"),
    *("small", "sub", "sup", "abbr", "a", "img", "figure", "figcaption"),
    *("table", "caption", "thead", "tbody", "tr", "th", "td", "details", "summary", "span"),
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def to_html(text: str) -> str:
    """The Markdown as sanitised HTML: `# ` headings become h2, the page's own title is h1."""
    html = _parser.render(text)
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
