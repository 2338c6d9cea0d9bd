import itertools

from django.template import Context, Template

from lib.phrases import phrases


def render(text: str) -> str:
    return Template("{% load case_tags %}{{ text|phrases }}").render(Context({"text": text}))


def test_phrases_join_back_to_the_text_and_keep_words_whole():
    title = "地域交通を支える住民ボランティアの協働事例集 サンプル"
    pieces = phrases(title)
    assert "".join(pieces) == title
    assert "地域交通を" in pieces and " " in pieces
    start = title.index("地域交通")
    assert not any(start < end < start + 4 for end in itertools.accumulate(map(len, pieces)))


def test_a_compound_of_kanji_is_never_cut():
    assert "協働事例集" in phrases("地域交通と福祉の協働事例集")  # BudouX alone cuts 協働事/例集


def test_filter_keeps_each_phrase_whole_and_breaks_between():
    html = render("地域交通を支える")
    assert html == '<span class="phrase">地域交通を</span><wbr><span class="phrase">支える</span>'
    assert render("地域交通") == '<span class="phrase">地域交通</span>'


def test_filter_escapes_and_leaves_spaces_breakable():
    html = render("<b>市民</b> と 企業")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "</span> <span" in html
