"""Han bigram expansion of indexed text and of keywords (no database)."""

from cms.search import index_text, query_terms


def test_index_text_contains_bigrams_and_single_characters():
    terms = index_text("开展专精特新工作").split()
    assert {"专精", "精特", "特新", "专", "新"} <= set(terms)


def test_index_text_keeps_ascii_words_lowercased_once():
    assert index_text("2026年 ABC abc").split().count("abc") == 1
    assert "2026" in index_text("2026年").split()


def test_query_terms_turns_a_han_run_into_its_bigrams():
    assert query_terms("专精特新") == "专精 精特 特新"


def test_query_terms_keeps_ascii_words_and_single_characters():
    assert query_terms("小巨人 2026") == "小巨 巨人 2026"
    assert query_terms("省") == "省"


def test_query_terms_of_punctuation_only_is_empty():
    assert query_terms("“！？”") == ""
