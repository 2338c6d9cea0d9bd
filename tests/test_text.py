from lib.text import keyword_terms, normalize, search_document


def search_terms(query: str) -> list[str]:
    """The terms as written (folded), without their word forms."""
    return [spellings[0] for spellings in keyword_terms(query)]


def test_normalize_folds_width_case_and_kana():
    assert normalize("ＮＰＯ法人ｶﾞｲﾄﾞ Ｃｈｉｂａ") == "npo法人がいど chiba"
    assert normalize("ウラヤス") == normalize("うらやす")


def test_search_terms_split_on_full_and_half_width_spaces():
    assert search_terms("子ども食堂　企業 ＮＰＯ") == ["子ども食堂", "企業", "npo"]


def test_search_terms_drop_duplicates_and_empty():
    assert search_terms("  猫　 猫  ") == ["猫"]


def test_search_terms_are_bounded():
    terms = search_terms("あ" * 10_000)
    assert terms == ["あ" * 200]
    assert len(search_terms(" ".join(str(i) for i in range(50)))) == 10


def _finds(query: str, text: str) -> bool:
    document = search_document(text)
    return all(any(s in document for s in spellings) for spellings in keyword_terms(query))


def test_spelling_variants_of_one_word_find_each_other():
    for variants in [
        ["子ども", "こども", "子供", "コドモ"],
        ["空き家", "空家", "あき家"],
        ["まちづくり", "街づくり", "町づくり"],
        ["ボランティア", "ヴォランティア"],
    ]:
        for written in variants:
            for asked in variants:
                assert _finds(asked, f"地域の{written}の取り組み"), (asked, written)


def test_fragments_and_unrelated_words():
    assert _finds("食堂", "子ども食堂を開きました")
    assert _finds("ども食", "子ども食堂を開きました")  # a fragment across words still matches
    assert _finds("福祉 猫", "福祉の現場で猫を飼う")
    assert not _finds("福祉 犬", "福祉の現場で猫を飼う")
    assert not _finds("空き家", "子ども食堂を開きました")


def test_search_document_is_the_folded_text_when_forms_add_nothing():
    assert search_document("ＮＰＯ") == "npo"
    assert search_document("こどもの\nひろば").startswith("こどもの ひろば\n")
