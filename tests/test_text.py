from collanavi.lib.text import normalize, search_terms


def test_normalize_folds_width_and_case():
    assert normalize("ＮＰＯ法人ｶﾞｲﾄﾞ Ｃｈｉｂａ") == "npo法人ガイド chiba"


def test_search_terms_split_on_full_and_half_width_spaces():
    assert search_terms("子ども食堂　企業 ＮＰＯ") == ["子ども食堂", "企業", "npo"]


def test_search_terms_drop_duplicates_and_empty():
    assert search_terms("  猫　 猫  ") == ["猫"]


def test_search_terms_are_bounded():
    terms = search_terms("あ" * 10_000)
    assert terms == ["あ" * 200]
    assert len(search_terms(" ".join(str(i) for i in range(50)))) == 10
