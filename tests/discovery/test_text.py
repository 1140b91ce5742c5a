"""Query parsing is shared by every backend, so synonyms, stop words and highlighting behave the same."""

from discovery.text import MARK_END, MARK_START, edit_distance, highlight_html, parse, vocabulary


def test_stop_words_are_dropped_and_synonyms_become_alternatives():
    groups = parse("How can we help the NHS?")
    assert [g.alternatives for g in groups] == [("help",), ("nhs", "health", "healthcare", "health board")]


def test_multi_word_synonym_is_one_group():
    groups = parse("local authority housing")
    assert groups[0].alternatives == ("local authority", "council", "local government")
    assert groups[1].typed == "housing"


def test_only_stop_words_is_no_query():
    assert parse("how can we") == []
    assert parse("   ") == []
    assert parse("!!! ???") == []


def test_query_length_is_bounded():
    assert len(parse(" ".join(f"word{i}" for i in range(50)))) == 12


def test_highlight_escapes_everything_but_our_marks():
    marked = f'<script>alert(1)</script> {MARK_START}stone{MARK_END} "x" & y'
    assert highlight_html(marked) == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>stone</mark> &quot;x&quot; &amp; y"


def test_edit_distance_counts_a_transposition_once():
    assert edit_distance("stonwork", "stonework") == 1
    assert edit_distance("wildfier", "wildfire") == 1
    assert edit_distance("abc", "xyzxyz", limit=2) == 3


def test_vocabulary_keeps_words_not_numbers_or_stop_words():
    assert vocabulary("The 3 stonework walls, and HES") == {"stonework", "walls", "hes"}
