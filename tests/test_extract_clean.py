"""What cleaning keeps and drops inside the chosen body, one test per failure class.

Each page is written here: an article container the body choice takes
without doubt, holding the story and the one piece of furniture (or of
article) the test is about.
"""
from __future__ import annotations

import pytest

from crawler.extract import extract_article, rules

URL = "http://news.example.org/2026/11/harbour-ferry.html"
STORY = (
    "<p>The harbour ferry will run every twenty minutes from Monday, the council said, after a year in which "
    "the service ran only once an hour and commuters waited on the pier in the rain.</p>"
    "<p>Two new boats, built at the yard across the bay, carry twice as many bicycles as the old ones, and "
    "the ticket machines on both piers now take cards as well as coins.</p>"
)


def body_of(inner: str) -> str:
    html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry timetable</title></head><body>"
            f"<h1>Ferry timetable</h1><div class='entry-content'>{inner}</div>"
            f"<div class='sidebar'><a href='/a.html'>Another story</a></div></body></html>")
    return extract_article(html, URL)["body_text"] or ""


@pytest.mark.parametrize("word", rules.BODY_SLIDES_WORDS)
def test_slideshow_outweighing_the_story_goes(word):
    slides = "".join(
        f"<li><img src='/img/{n}.jpg'><p>Slide {n}: the ferry crossing the bay at dawn, seen from the north "
        f"pier with the old lighthouse behind it, one of the photographs readers sent in this week.</p></li>"
        for n in range(1, 7))
    text = body_of(f"{STORY}<ul class='photo-{word}'>{slides}</ul>")
    assert "every twenty minutes" in text
    assert "Slide" not in text


def test_a_story_in_a_block_named_for_slides_but_without_slides_stays():
    text = body_of(f"<div class='slideshow-text'>{STORY}</div><p>Tickets are on sale at both piers.</p>")
    assert "every twenty minutes" in text and "ticket machines" in text


def assert_notice_goes(notice: str) -> None:
    text = body_of(STORY + notice)
    assert "every twenty minutes" in text
    assert "NOTICE" not in text


@pytest.mark.parametrize("phrase", rules.BODY_NOTICE_PHRASES)
def test_a_notice_the_site_prints_under_every_article_goes(phrase):
    assert_notice_goes(f"<p>NOTICE: this line stands under every post of the Harbour Gazette, longer than a caption "
                       f"or a copyright line: {phrase}, written by the site, not by the reporter.</p>")


def test_a_paragraph_of_the_story_using_a_notice_phrase_stays():
    long_paragraph = ("<p>The ferry company, which publishes a weekly bulletin for its riders, told them to subscribe "
                      "to our newsletter only if they wanted the timetable by e-mail: the new boats, the council "
                      "added, change nothing for season tickets, and the fares stay where they were last spring, "
                      "whatever the operator said in its bulletin about the cost of the new diesel engines.</p>")
    assert "weekly bulletin" in body_of(STORY + long_paragraph)


@pytest.mark.parametrize("word", rules.BODY_BIO_WORDS)
def test_the_authors_bio_box_under_the_story_goes(word):
    bio = (f"<div class='{word}-box'><img src='/staff/mara.jpg'><p>BIO Mara Quist covers transport for the "
           "Gazette and has ridden every ferry on the bay at least twice.</p></div>")
    text = body_of(STORY + bio)
    assert "every twenty minutes" in text
    assert "BIO" not in text


def test_a_related_box_laid_out_with_indentation_is_a_link_block():
    item = "\n\t\t\t\t\t\t\t\t<li>\n\t\t\t\t\t\t\t\t\t<a href='/2026/{n}.html'>Ferry story {n}</a>\n\t\t\t\t\t\t\t\t</li>\n"
    box = ("<div class='puff'>\n\t\t\t\t<h2><a href='/transport/'>Transport</a></h2>\n\t\t\t\t<ul>"
           + "".join(item.format(n=n) for n in range(1, 5)) + "\t\t\t\t</ul>\n\t\t\t</div>")
    first, second = STORY.split("</p>", 1)
    text = body_of(f"{first}</p>{box}{second}")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Ferry story" not in text


def _flat_replies(n: int = 4) -> str:
    """A blog engine's comment stream: each reply's paragraphs, then its "Posted by" line, all siblings."""
    return "".join(
        f"<p>REPLY {i}: I rode the old ferry for years and never once found a seat for my bicycle on the "
        f"morning crossing; the new boats sound like a real change for everyone who works across the bay.</p>"
        f"<p class='posted'>Posted by: Reader {i} | Nov {i + 2}, 2026 9:{10 + i} AM</p>" for i in range(n))


def test_a_flat_comment_stream_longer_than_the_post_goes_from_its_heading():
    post = "<p class='posted'>Posted by: Mara Quist at November 2, 2026 8:00 AM</p>"
    text = body_of(f"{STORY}{post}<h2>Comments</h2>{_flat_replies(8)}<p>The comments to this entry are closed.</p>")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "REPLY" not in text and "Comments" not in text and "closed" not in text


def test_a_comments_link_over_the_story_does_not_end_it():
    text = body_of(f"<div><a href='#comments'>12 Comments</a></div>{STORY}{_flat_replies()}")
    assert "every twenty minutes" in text and "ticket machines" in text


def test_a_notice_laid_out_with_indentation_is_measured_as_shown():
    pad = "\n" + "\t" * 80
    notice = (f"<p class='postmetadata'><small>{pad}NOTICE This entry was posted{pad}on Monday, November 2nd, 2026"
              f"{pad}and is filed under <a href='/c/ferries'>Ferries</a>.{pad}You can follow any responses to this "
              f"entry through the RSS 2.0 feed.{pad}</small></p>")
    assert_notice_goes(notice)


def test_a_paragraph_citing_its_sources_in_links_stays():
    cites = ("<p>As the council's own <a href='/r/1.html'>report on the harbour ferry timetable for next year</a> "
             "and the <a href='/r/2.html'>survey of commuters taken on both piers last spring</a> showed, with "
             "<a href='/r/3.html'>the yard's delivery schedule for the two new boats</a>, demand grew.</p>")
    text = body_of(STORY + cites)
    assert "every twenty minutes" in text and "survey of commuters" in text


def test_a_row_of_links_with_bars_between_goes():
    row = ("<p>" + " | ".join(f"<a href='/s/{n}.html'>Ferry story number {n}</a>" for n in range(1, 6))
           + " | <a href='/s/'>More</a></p>")
    text = body_of(STORY + row)
    assert "every twenty minutes" in text and "Ferry story" not in text


def test_a_tags_line_of_links_goes_however_many_words_beside_them():
    links = ", ".join(f"<a href='/t/{n}'>ferry timetable changes {n}</a>" for n in range(1, 6))
    tags = f"<p>Tags: {links} Posted by Mara Quist in Transport, Harbour</p>"
    text = body_of(STORY + tags)
    assert "every twenty minutes" in text and "timetable changes" not in text


def test_a_furniture_line_standing_alone_as_a_link_or_heading_goes():
    first, second = STORY.split("</p>", 1)
    skip = ("<div class='story-feature'>\n<a class='hidden' href='#story_continues_1'>Continue reading the main story</a>"
            "\n<h2>Tips for riders</h2><p>Buy a card at the pier before boarding, as the crews no longer sell tickets "
            "on the boats themselves during the morning rush.</p></div>")
    footnote = "<h6>A version of this article appeared in print on November 3, 2026, on page B2.</h6>"
    text = body_of(f"{first}</p>{skip}{second}{footnote}")
    assert "every twenty minutes" in text and "ticket machines" in text and "Buy a card" in text
    assert "Continue reading" not in text and "appeared in print" not in text


def test_a_furniture_word_linked_inside_a_sentence_stays():
    line = "<p>Readers can <a href='/print/'>Print</a> the timetable or <a href='/share/'>Share</a> it.</p>"
    text = body_of(STORY + line)
    assert "can Print the timetable or Share it" in text


def test_previous_and_next_post_links_between_guillemets_go():
    nav = ("<div>&laquo; <a href='/2026/10/pier.html'>Previous Post</a> | "
           "<a href='/2026/12/boats.html'>Next post</a> &raquo;</div>")
    text = body_of(STORY + nav + "<div class='top'><a href='#top'><span>Back to top</span></a></div>")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Previous Post" not in text and "Back to top" not in text


@pytest.mark.parametrize("name", ["promoBox", "socialLinks", "relatedItems", "galleryCaption"])
def test_a_box_named_in_camel_case_goes_as_its_hyphenated_twin_does(name):
    box = f"<div class='{name}'><p>BOX Winter crossings of the bay, a weekend special from the Gazette.</p></div>"
    text = body_of(STORY + box)
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "BOX" not in text


def test_a_camel_case_name_of_the_story_itself_keeps_it():
    text = body_of(f"<div class='storyText'>{STORY}</div><div class='mainContent'><p>Tickets are on sale at both "
                   "piers from Saturday.</p></div>")
    assert "every twenty minutes" in text and "Tickets are on sale" in text


@pytest.mark.parametrize("line", ["<p>12 Comments</p>", "<a href='#comments'>1 Response &raquo;</a>",
                                  "<span>No comments yet.</span>", "<div>Comments (3)</div>"])
def test_a_line_counting_the_comments_goes(line):
    text = body_of(f"<div class='byline'>Mara Quist</div>{line}{STORY}")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "omment" not in text and "Response" not in text


def test_a_sentence_counting_comments_stays():
    line = "<p>No comments were taken at the hearing, and 12 comments sent by post arrived too late.</p>"
    text = body_of(STORY + line)
    assert "12 comments sent by post" in text


@pytest.mark.parametrize("heading", ["<h3>Popular Articles</h3>", "<p>Last 24 hours</p>", "<h4>Friends of the Gazette</h4>"])
def test_the_heading_over_a_box_that_goes_goes_with_it(heading):
    box = "<ul>" + "".join(f"<li><a href='/2026/{n}.html'>Ferry story number {n}</a></li>" for n in range(1, 5)) + "</ul>"
    text = body_of(STORY + heading + "\n" + box + "<p>The council meets again in March to review the timetable.</p>")
    assert "every twenty minutes" in text and "meets again in March" in text
    assert "Ferry story" not in text
    assert all(word not in text for word in ("Popular", "Last 24", "Friends"))


def test_a_heading_over_a_box_that_stays_stays():
    text = body_of(f"{STORY}<h3>What riders said</h3><ul><li>Quicker crossings, said one commuter.</li>"
                   "<li>More room for bicycles, said another.</li></ul>")
    assert "What riders said" in text and "Quicker crossings" in text


def test_a_link_named_as_furniture_inside_a_sentence_stays():
    line = ("<p>Crews trained for the winter storms of the open <a class='textTag' href='/tags/sea'>sea crossing</a>, "
            "and the <a class='tag' href='/tags/pier'>north pier</a> got new lights.</p>")
    text = body_of(STORY + line)
    assert "winter storms of the open sea crossing, and the north pier got new lights" in text


# A photo and its caption, as themes mark it and as HTML does: a <figcaption> is a caption whatever its class.
CAPTIONED = {
    "wp-caption": "<div class='wp-caption'><img src='/img/{k}.jpg'><p class='wp-caption-text'>{caption}</p></div>",
    "figcaption": "<figure><img src='/img/{k}.jpg'><figcaption>{caption}</figcaption></figure>",
}


def _captioned_photos(markup: str, n: int) -> str:
    return "".join(markup.format(k=k, caption=f"Photo {k}: passengers wheel their bicycles onto the new boat at the "
                                               f"north pier on its first morning run. (Harbour Desk)")
                   for k in range(1, n + 1))


@pytest.mark.parametrize("markup", CAPTIONED.values(), ids=CAPTIONED.keys())
def test_captions_that_are_the_story_stay(markup):
    text = body_of(f"<p>The first morning of the new timetable, in pictures.</p>{_captioned_photos(markup, 5)}")
    assert "Photo 1: passengers" in text and "Photo 5: passengers" in text


@pytest.mark.parametrize("markup", CAPTIONED.values(), ids=CAPTIONED.keys())
def test_a_caption_beside_a_longer_story_goes(markup):
    text = body_of(f"{STORY}{_captioned_photos(markup, 1)}")
    assert "every twenty minutes" in text
    assert "Photo 1" not in text


def _comment_form() -> str:
    return ("<form action='/post-comment' method='post'><p><input name='author'> <label>Name (required)</label></p>"
            "<p><input name='email'> <label>Email (never shown)</label></p><p><input name='url'> <label>Website</label></p>"
            "<p><textarea name='comment'></textarea></p><p><input type='submit' value='Send'></p></form>")


def test_a_comment_form_under_the_story_goes_with_its_heading():
    text = body_of(f"{STORY}<h3>Your turn, riders</h3>{_comment_form()}")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Name (required)" not in text and "Website" not in text and "Your turn" not in text


def test_a_form_around_the_whole_story_keeps_it():
    """A page builder's form around the article holds far more text than FORM_MAX_UNITS_PER_FIELD a field."""
    text = body_of(f"<form action='/page' method='post'><input name='a'><input name='b'><input name='c'>{STORY}</form>")
    assert "every twenty minutes" in text and "ticket machines" in text


def test_paragraphs_that_broken_markup_left_inside_a_form_of_fields_stay():
    """A search box's form never closed before the story goes on: its few fields hold whole sentences, not labels."""
    inside = ("<input name='q'><p>Bring your bicycle to the lower deck, where the crew will help you fasten it.</p>"
              "<textarea name='a'></textarea><p>Dogs on a lead travel free on every crossing, inside or on the upper "
              "deck.</p><textarea name='b'></textarea>")
    text = body_of(f"{STORY}<form action='/find'>{inside}</form>")
    assert "every twenty minutes" in text and "lower deck" in text and "upper deck" in text


def test_a_heading_named_for_the_replies_ends_the_story_whatever_it_says():
    """id="respond" names the readers' part under the post, however the heading is worded; what follows it goes."""
    rules_note = "<p>Replies are read before they appear; please use your real name and keep to the subject.</p>"
    text = body_of(f"{STORY}<h3 id='respond'>Anything to add?</h3>{rules_note}{_comment_form()}")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "real name" not in text and "Anything to add" not in text


def _cards(n: int, excerpt: str) -> str:
    return "".join(f"<li><a href='/2026/11/story-{k}.html'><img src='/img/{k}.jpg'></a>"
                   f"<h3><a href='/2026/11/story-{k}.html'>Island bus number {k} changes its route</a></h3>"
                   f"<div class='excerpt'><p>{excerpt}</p></div></li>" for k in range(1, n + 1))


def test_a_list_of_other_posts_cards_goes_with_its_heading():
    """Cards of other posts (a linked heading and a short excerpt each) under the story, named for nothing."""
    cards = _cards(rules.BODY_TEASER_LIST_MIN_ITEMS, "Its stop by the school moves next week.")
    text = body_of(f"{STORY}<div class='recent grid'><h4>Just in</h4><ul>{cards}</ul></div>")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Island bus" not in text and "stop by the school" not in text and "Just in" not in text


def test_cards_outweighing_a_short_story_go_and_a_body_of_cards_alone_stays():
    """More card text than story (a short post over a long "Recently published" list): the cards go while the
    story left holds a body's worth of text (BODY_MIN_UNITS); a body made of cards alone is not emptied."""
    cards = _cards(8, "Its stop by the school moves to the far side of the road next week, the council said.")
    text = body_of(f"{STORY}<div class='recent'><ul>{cards}</ul></div>")
    assert "every twenty minutes" in text and "Island bus" not in text
    assert "Island bus number 8" in body_of(f"<div class='recent'><ul>{cards}</ul></div>")


def test_sections_of_the_story_under_linked_headings_stay():
    """A story in sections each under a linked heading holds more than a teaser's excerpt (BODY_TEASER_MAX_UNITS) each."""
    section = ("The island bus now leaves the harbour every half hour, and the drivers say the new stop by the school "
               "is safer for the children who used to cross the main road in the dark on winter mornings. ") * 3
    text = body_of(f"<ul>{_cards(4, section)}</ul>{STORY}")
    assert "Island bus number 1" in text and "Island bus number 4" in text and "every twenty minutes" in text


def test_links_to_the_previous_post_and_the_blog_s_main_page_go():
    nav = "<p><a href='/2026/10/pier.html'>&laquo; The pier reopens after the storm</a> | <a href='/'>Main</a></p>"
    text = body_of(STORY + nav)
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "pier reopens" not in text and "Main" not in text


def test_one_link_closed_by_an_arrow_stays():
    """The article's own pointer to the rest of the story, not navigation between posts."""
    text = body_of(STORY + "<p><a href='https://ferries.example.org/timetable'>Read the full timetable on the council's site &raquo;</a></p>")
    assert "Read the full timetable" in text


def test_words_either_side_of_a_picture_stay_apart():
    """A picture between a dish's name and its paragraph stands between two words, not inside one."""
    text = body_of(f"{STORY}<p><span class='dish'>Harbour chowder</span><img src='/img/chowder.jpg'>Served at the "
                   "pier cafe since the new boats came, it is thick with mussels and leeks.</p>")
    assert "Harbour chowder Served at the pier cafe" in text


def test_a_filed_under_line_carrying_a_share_script_goes():
    """A script's text (a share button's call with the post's title and address) is never shown:
    it does not make a "Posted in" line long enough to be the article's."""
    script = "share_button({title: 'The harbour ferry runs every twenty minutes', url: '%s'});" % URL
    line = (f"<p class='postfoot'>Posted in: <a href='/c/harbour'>Harbour</a> <span class='bar'>|</span> "
            f"<span><script>{script * 5}</script></span></p>")
    text = body_of(STORY + line)
    assert "every twenty minutes" in text
    assert "Posted in" not in text


def test_a_short_filed_under_line_of_many_links_goes():
    line = ("<p>Posted in: <a href='/c/harbour'>Harbour</a>, <a href='/c/ferries'>Ferries</a>, "
            "<a href='/c/boats'>Boats</a> and <a href='/c/council'>Council</a> by the news desk</p>")
    text = body_of(STORY + line)
    assert "every twenty minutes" in text
    assert "Posted in" not in text and "news desk" not in text


def test_a_comments_heading_goes_when_only_a_dropped_sidebar_follows_it():
    """Text already dropped (a sidebar in the post's template) is not article going on after "Comments"."""
    sidebar = ("<div class='sidebar'><p>Get the Harbour Gazette letter every Friday: timetables, the week's "
               "storms, the tide tables and the fish market prices, all in one e-mail, free to every reader "
               "who signs up before the end of the month, and sent from the office on the north pier.</p></div>")
    replies = "<div class='box'><h3>Comments</h3><p>Sign in to add yours.</p></div>"
    text = body_of(STORY + replies + sidebar)
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Comments" not in text and "Sign in" not in text


def test_a_comments_heading_over_the_story_leaves_it_whatever_the_template_dropped():
    """Above the story, a "Comments" count box; around it, sidebars that hold most of the template's
    text and go. The story after the heading is measured against what is left, not against the sidebars."""
    box = ("<div class='sidebar'><p>From the Harbour Gazette shop: tide tables, charts of the bay, the ferry "
           "calendar with a photograph for every month, and mugs printed with the old lighthouse, sent from the "
           "office on the north pier to any address on the island within two days of your order. Members of "
           "the Friends of the Ferry pay less for every item, and their yearly fee keeps the old boat's engine "
           "running for the summer trips around the bay that the council no longer pays for.</p></div>")
    text = body_of(f"<h4>Comments</h4>{STORY}{box}{box.replace('shop', 'store')}")
    assert "every twenty minutes" in text and "ticket machines" in text
    assert "Harbour Gazette shop" not in text


def test_page_numbers_laid_out_over_many_lines_go():
    """A split article's page numbers, written by a template over many indented lines: measured as shown."""
    indent = "\n" + " " * 40
    numbers = (f"<div class='numbers'>{indent}<span class='current'>1</span>{indent}<a href='?page=2'>2</a>{indent}"
               f"<span><a href='?page=2'>Next &gt;</a></span>{indent}</div>")
    text = body_of(STORY + numbers)
    assert "every twenty minutes" in text
    assert "Next" not in text
