"""Reading the search box: words, phrases, exclusions; nothing typed reaches the engines as syntax."""

from __future__ import annotations

from freshground.journal.search.backends import fts5_expression, tsquery_sql
from freshground.journal.search.highlight import highlight, snippet
from freshground.journal.search.query import MAX_TERMS, parse_query


def test_words_phrases_and_exclusions() -> None:
    parsed = parse_query('rent strike "tenants union" -landlord -"estate agents"')
    assert parsed.include == (("rent",), ("strike",), ("tenants", "union"))
    assert parsed.exclude == (("landlord",), ("estate", "agents"))
    assert parsed.words == ("rent", "strike", "tenants", "union")


def test_case_and_width_are_folded_and_duplicates_dropped() -> None:
    assert parse_query("Strike STRIKE ｓｔｒｉｋｅ").include == (("strike",),)


def test_hyphenated_and_apostrophe_tokens_become_phrases() -> None:
    assert parse_query("covid-19 don't").include == (("covid", "19"), ("don", "t"))


def test_engine_syntax_is_plain_text() -> None:
    parsed = parse_query('title:strike OR NEAR(a b) * ^x "unclosed phrase')
    assert parsed.include == (
        ("title", "strike"),
        ("or",),
        ("near", "a"),
        ("b",),
        ("x",),
        ("unclosed", "phrase"),
    )
    expression = fts5_expression(parsed)
    assert ":" not in expression
    assert "*" not in expression
    assert "^" not in expression
    assert "(" not in expression


def test_only_exclusions_or_punctuation_is_empty() -> None:
    assert parse_query("-strike").is_empty
    assert parse_query('!!! "" --- ').is_empty
    assert parse_query("").is_empty


def test_terms_are_capped() -> None:
    assert len(parse_query(" ".join(f"w{i}" for i in range(50))).include) == MAX_TERMS


def test_fts5_expression() -> None:
    assert fts5_expression(parse_query('a "b c" -d')) == '("a" AND "b c") NOT "d"'
    assert fts5_expression(parse_query("a b")) == '"a" AND "b"'


def test_tsquery_keeps_words_as_parameters() -> None:
    sql, params = tsquery_sql(parse_query("a 'b' -c"))
    assert "'b'" not in sql
    assert params == ["a", "b", "c"]
    assert sql.count("phraseto_tsquery") == 3
    assert "!!" in sql


def test_highlight_marks_words_and_escapes_the_rest() -> None:
    html = highlight("The <b>Strike</b> at Café Rouge: strikers won", ["strike", "cafe"])
    assert "&lt;b&gt;<mark>Strike</mark>&lt;/b&gt;" in html
    assert "<mark>Café</mark>" in html
    assert "<mark>strike</mark>rs" in html  # a word start matches too


def test_highlight_centres_a_late_match() -> None:
    text = "filler " * 100 + "the walkout began" + " more" * 100
    html = highlight(text, ["walkout"], length=80)
    assert html.startswith("…")
    assert html.endswith("…")
    assert "<mark>walkout</mark>" in html
    assert len(html) < 140


def test_snippet_prefers_the_text_where_the_words_are() -> None:
    assert "<mark>picket</mark>" in snippet("A summary about wages.", "Long body with a picket line.", ["picket"])
    assert "<mark>wages</mark>" in snippet("A summary about wages.", "Body about wages too.", ["wages"])
    assert snippet("", "", ["x"]) == ""
