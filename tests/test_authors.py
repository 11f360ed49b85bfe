"""Authors are people: each failure class and each vocabulary row, on small pages written here."""
from __future__ import annotations

import json

import pytest

from crawler.extract import extract_article, rules
from crawler.extract.authors import people

URL = "http://www.harbourtimes.example.com/2024/05/ferry.html"
PROSE = "".join(
    f"<p>Paragraph {i}: the ferry to the outer islands now leaves at seven, an hour earlier than last "
    "summer, because the harbour master wants the crossing done before the afternoon wind picks up.</p>"
    for i in range(4))
CN_PROSE = "".join(f"<p>第{i}段：渡轮今年夏天提前一个小时出发，港务部门希望在午后起风之前完成航行，乘客们大多表示理解。</p>"
                   for i in range(4))


def extract(head: str = "", meta_line: str = "", body: str = PROSE, url: str = URL) -> str | None:
    html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}<title>Ferry times</title></head>"
            f"<body><h1>Ferry times</h1><div class='info'>{meta_line}</div>"
            f"<div class='article-content'>{body}</div></body></html>")
    return extract_article(html, url)["author"]


def ld(author, publisher=None) -> str:
    obj = {"@type": "NewsArticle", "headline": "Ferry times", "author": author}
    if publisher:
        obj["publisher"] = {"@type": "Organization", "name": publisher}
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


# --- sources -------------------------------------------------------------------

def test_json_ld_people_in_order_and_organisations_skipped():
    authors = [{"@type": "Organization", "name": "Harbour Times"},
               {"@type": "Person", "name": "Maren Holt"}, {"@type": "Person", "name": "Ivo Brandt"}]
    assert extract(head=ld(authors)) == "Maren Holt, Ivo Brandt"


def test_a_one_word_json_ld_person_is_kept_but_not_a_one_word_string():
    assert extract(head=ld({"@type": "Person", "name": "Quillon"})) == "Quillon"
    assert extract(head=ld("Quillon")) is None


@pytest.mark.parametrize("key", rules.AUTHOR_META_KEYS)
def test_meta_key_in_last_first_order_turned_round(key):
    assert extract(head=f'<meta name="{key}" content="Holt, Maren">') == "Maren Holt"


def test_rel_author_and_byline_markup():
    assert extract(meta_line='<a rel="author" href="/people/maren-holt">Maren Holt</a>') == "Maren Holt"
    assert extract(meta_line='<span class="c-byline">By Maren Holt and Ivo Brandt</span>') == "Maren Holt, Ivo Brandt"


@pytest.mark.parametrize("word", sorted(rules.AUTHOR_MARKUP_WORDS))
def test_markup_word_marks_a_byline(word):
    assert extract(meta_line=f'<span class="post-{word}">Maren Holt</span>') == "Maren Holt"


@pytest.mark.parametrize("word", sorted(rules.AUTHOR_MARKUP_NAME_WORDS))
def test_markup_name_word_after_a_markup_word(word):
    assert extract(meta_line=f'<span class="author-{word}">Maren Holt</span>') == "Maren Holt"


def test_an_author_box_part_is_not_a_byline():
    assert extract(meta_line='<div class="author-social"><a href="/share">Follow Along</a></div>') is None


# --- never the publisher, an e-mail, a slug, a date ---------------------------

def test_the_publisher_named_as_author_is_no_person():
    assert extract(head=ld("Harbour Weekly Post", "Harbour Weekly Post")) is None
    assert extract(head='<meta property="og:site_name" content="Tidewater Ledger">'
                        '<meta name="author" content="Tidewater Ledger">') is None


@pytest.mark.parametrize("value", [
    "maren.holt@harbourtimes.example.com", "https://harbourtimes.example.com/people/maren", "maren-holt",
    "admin", "2024-05-03", "Harbourtimes.com", "HT Newsroom"])
def test_not_a_person(value):
    assert extract(head=f'<meta name="author" content="{value}">') is None


@pytest.mark.parametrize("word", sorted(rules.AUTHOR_NOT_PERSON_WORDS))
def test_not_person_word(word):
    assert people(f"Harbour {word.capitalize()}") == []


def test_slug_falls_through_to_the_next_source():
    assert extract(head=ld("maren-h") + '<meta name="author" content="Maren Holt">') == "Maren Holt"


def test_role_outlet_and_credentials_after_the_name_are_dropped():
    assert people("By MAREN HOLT, Harbour Correspondent") == ["Maren Holt"]
    assert people("Maren Holt, Harbourtimes.com") == ["Maren Holt"]
    assert people("Maren Holt, MS, RDN") == ["Maren Holt"]
    assert people("Maren Holt. Harbour International") == ["Maren Holt"]
    assert people("View all posts by Maren Holt") == ["Maren Holt"]


def test_names_with_particles_and_several_people():
    assert people("Ana de la Vega & Ivo van Dijk") == ["Ana de la Vega", "Ivo van Dijk"]


@pytest.mark.parametrize("sep", [s for s in rules.AUTHOR_NAME_SEPARATORS if s.strip()])
def test_name_separator(sep):
    if any("\u4e00" <= ch <= "\u9fff" or ch in "、，；" for ch in sep):
        assert people(f"林小舟{sep}陈一帆") == ["林小舟", "陈一帆"]
    else:
        assert people(f"Maren Holt{sep}Ivo Brandt") == ["Maren Holt", "Ivo Brandt"]


# --- bylines in text, many languages -------------------------------------------

@pytest.mark.parametrize("label", [x for x in rules.AUTHOR_TEXT_LABELS if x.isascii()])
def test_latin_byline_label(label):
    got = extract(meta_line=f"<span>2024-05-03</span> <span>{label} Maren Holt</span>")
    assert got == "Maren Holt"


@pytest.mark.parametrize("label", [x for x in rules.AUTHOR_TEXT_LABELS if not x.isascii()])
def test_chinese_byline_label(label):
    got = extract(meta_line=f"<span>2024-05-03</span> <span>{label}：林小舟</span>", body=CN_PROSE)
    assert got == "林小舟"


def test_a_label_inside_a_sentence_is_no_byline():
    assert extract(meta_line="<span>Tickets sold by Harbour Ferries Limited</span>") is None


def test_chinese_reporters_at_the_end_of_the_body():
    body = CN_PROSE + "<p>（文/图 林小舟 陈一帆）</p>"
    assert extract(body=body) == "林小舟, 陈一帆"
    assert extract(body=CN_PROSE + "<p>（本报记者 林小舟）</p>") == "林小舟"


def test_chinese_bylines_that_name_no_person():
    assert people("作者：新华网", how="text") == []
    assert people("作者：本报评论员") == []
    assert people("编辑：点击", how="text") == []  # no family name: a field label, not a name
    assert people("作者：欧阳·明月") == ["欧阳·明月"]


@pytest.mark.parametrize("ending", rules.AUTHOR_NOT_PERSON_HAN_ENDINGS)
def test_chinese_organisation_ending(ending):
    assert people(f"林{ending}") == []


@pytest.mark.parametrize("word", rules.AUTHOR_NOT_PERSON_HAN)
def test_chinese_not_a_person(word):
    assert people(word) == []


def test_family_name_row():
    assert all(people(f"{s}小舟", how="text") == [f"{s}小舟"] for s in sorted(rules.AUTHOR_HAN_SURNAMES)
               if not f"{s}小舟".endswith(rules.AUTHOR_NOT_PERSON_HAN_ENDINGS))


@pytest.mark.parametrize("particle", sorted(rules.AUTHOR_NAME_PARTICLES))
def test_name_particle(particle):
    assert people(f"Ana {particle} Vega", how="person") == [f"Ana {particle} Vega"]


def test_the_site_named_by_its_host_is_no_person():
    assert extract(head='<meta name="author" content="Maren Holt, Harbour Times">') == "Maren Holt"


def test_chinese_name_lengths():
    low, high, foreign = rules.AUTHOR_HAN_NAME_CHARS
    assert people("林" * (low - 1)) == [] and people("林" * high) == ["林" * high] and people("林" * (high + 1)) == []
    long_foreign = "约" * (foreign - 1) + "·" + "史密"
    assert people(long_foreign) == [] and people("约翰·史密斯") == ["约翰·史密斯"]
