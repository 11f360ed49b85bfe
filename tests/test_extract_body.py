"""Body choice by the page's evidence: one test per failure class, on pages written here."""
from __future__ import annotations

import re

from crawler.extract import extract_article
from crawler.extract.body import find_body, trafilatura_body
from crawler.extract.page import Page, parse
from crawler.extract.text import plain_text, units

URL = "http://news.example.org/2024/05/harbour-ferry.html"

STORY = (
    "<p>The harbour ferry ran again on Monday after three weeks in the repair yard, and the morning "
    "crossing was full before the gangway was even lowered.</p>"
    "<p>Engineers replaced both propeller shafts and the worn bearings that had made the old boat "
    "shudder at every turn, a job the operator had put off for two winters.</p>"
    "<p>Commuters who had spent the closure on a bus around the bay said the forty minute detour "
    "had been the longest part of their day, and several brought coffee for the crew.</p>"
    "<p>The operator says the second boat will go to the yard in autumn, when fewer people travel, "
    "and that a timetable for the winter months will be posted at both piers next week.</p>"
)
MORE = (
    "<p>Fares stay the same this year, although the council has asked for a study of a monthly "
    "pass that would also cover the buses that meet the boat on the far side.</p>"
    "<p>The first ferry leaves at six, and the last one returns a little before midnight, as it "
    "did before the closure.</p>"
)
MENU = '<ul class="menu"><li><a href="/">Home</a></li><li><a href="/news/">News</a></li><li><a href="/sport/">Sport</a></li></ul>'


def page(body: str) -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Ferry</title></head><body>{MENU}{body}</body></html>"


def body_text(body: str) -> str:
    return extract_article(page(body), URL)["body_text"] or ""


def test_a_marked_wrapper_around_the_article_is_not_a_widget():
    """A theme's "content-sidebar-wrap" holds the article and the sidebar: it says nothing about either."""
    html = page('<div id="content-sidebar-wrap"><div class="hentry"><div class="entry-content">'
                f'{STORY}</div></div><div class="sidebar"><p>Sidebar note about the weekend market.</p></div></div>')
    found, how = find_body(Page(parse(html), URL))
    assert (found.get("class"), how) == ("entry-content", "container")


def test_a_trusted_class_on_a_small_widget_loses_to_the_article():
    """An embed classed "entry-content" in the rail is not the body when the page's prose is elsewhere."""
    tweet = ('<div class="rail"><div class="entry-content"><p>Will the ferry be on time tomorrow? Vote in our '
             'poll and win a free week of crossings, tell us about it here now please.</p></div></div>')
    got = body_text(f'{tweet}<div class="story">{STORY}{MORE}</div>')
    assert "propeller shafts" in got and "monthly pass" in got
    assert "Vote in our poll" not in got


def test_a_fragment_inside_the_article_is_not_the_body():
    """A quote box classed "story-body" inside a much longer article: the article around it is the body."""
    quote = ('<div class="story-body"><p>"We missed the boat more than we expected," one commuter said while '
             'waiting on the pier with two bags of shopping and a folded bicycle.</p></div>')
    got = body_text(f'<div class="main-column">{STORY}{quote}{MORE}</div>')
    assert "propeller shafts" in got and "We missed the boat" in got and "monthly pass" in got


def test_an_article_split_into_parts_keeps_all_parts():
    """A newspaper's body in two containers around an ad is one body."""
    got = body_text(f'<div class="column"><div class="article-body">{STORY}</div>'
                    '<div class="ad-slot"><a href="/ads/1">Buy a boat</a></div>'
                    f'<div class="article-body">{MORE}</div></div>')
    assert "propeller shafts" in got and "monthly pass" in got and "last one returns" in got
    assert "Buy a boat" not in got


def test_the_first_post_of_a_thread_is_the_page_s_own():
    """Replies carry a byline of their own: they are items of a list, not parts of the first post."""
    reply = ("<p>" + "I took the bus for three weeks and it was fine, though the coffee on the boat is better. " * 6
             + "</p>")
    got = body_text(f'<div class="thread"><div class="reply"><div class="who">Posted by harbourfan</div>'
                    f'<div class="post-body">{STORY}</div></div>'
                    f'<div class="reply"><div class="who">Posted by busrider</div><div class="post-body">{reply}</div></div>'
                    f'<div class="reply"><div class="who">Posted by deckhand</div><div class="post-body">{reply}</div></div></div>')
    assert "propeller shafts" in got and "coffee on the boat is better" not in got


def test_words_of_any_script_count_as_text():
    """A Cyrillic article weighs as much as the same number of English words, not nothing."""
    assert units("Паром снова ходит через этот залив") == units("The ferry crosses the bay again")


def test_comments_outweighing_a_short_post_are_neither_the_body_nor_in_it():
    """Under a short post the comment box can hold most of the page's prose: it is a widget whatever its size."""
    short = "<p>The ferry is back on the water this morning, three weeks after it went to the repair yard for new shafts.</p>"
    comment = ('<li class="comment"><div class="comment-author">harbourfan</div><p>'
               + "Good news for everyone on the east side, the bus detour took far too long every single day. " * 3
               + "</p></li>")
    html = f'<div id="main"><div class="entry-content">{short}</div><div id="comments"><ol>{comment * 8}</ol></div></div>'
    got = body_text(html)
    assert "three weeks after" in got and "detour took far too long" not in got
    got = body_text(f'<div id="content">{short}<div id="comments"><ol>{comment * 8}</ol></div></div>')
    assert "three weeks after" in got and "detour took far too long" not in got


SAID = ('<div class="talk"><span class="who"><a href="/u/{0}">{0}</a> said,</span>'
        '<p>I crossed on the first boat and it was as smooth as I remember, the new shafts make a real difference.</p></div>')
POSTED = ('<div class="fb-item by-{0}"><p>Glad to have it back, the bus around the bay was slow and always full.</p>'
          '<p class="when">Posted by: {0} at May 21, 2024 7:15 AM</p></div>')
HUIFU = ('<li class="lou"><img class="user-avatar" src="/a/{0}.png"><b>{0}</b> 2024-05-21 08:{1}'
         '<p>渡轮终于恢复了，早上那班船人很多，希望秋天第二条船维修时也能这么顺利。</p><a href="#r">回复</a></li>')


def test_a_comment_section_known_by_what_it_shows_leaves_the_body():
    """Comments under odd class names are known by their items: a name saying, a date with a cue, an avatar."""
    for item, leak in ((SAID, "smooth as I remember"), (POSTED, "always full"), (HUIFU, "希望秋天")):
        comments = "".join(item.format(name, f"{i:02}") for i, name in enumerate(("lin", "ola", "kai", "wen")))
        got = body_text(f'<div id="content"><div class="text">{STORY}{MORE}</div>'
                        f'<div class="talk-area">{comments}</div></div>')
        assert "propeller shafts" in got and "monthly pass" in got and leak not in got


def test_a_run_of_dated_paragraphs_is_not_a_comment_section():
    """A diary's dated paragraphs that quote people are the article: comments come in blocks of their own."""
    days = "".join(f"<p>On May {d}, 2024 the skipper said the crossing took {d} minutes longer than planned, "
                   "because of the wind.</p>" for d in (3, 4, 5, 6))
    got = body_text(f'<div class="text">{STORY}{days}</div>')
    assert "May 5, 2024" in got


def test_one_long_reply_is_not_the_body_of_a_short_post():
    """A reply longer than the post it answers is still a reply: the densest block is never a comment."""
    long_reply = ('<div class="fb-item by-ola"><p class="when">Posted by: ola at May 21, 2024 9:02 AM</p>'
                  + "<p>I remember when the old boat broke down in the middle of the bay and we drifted for an hour "
                  "before the tug came out to bring us home, and nobody was worried at all.</p>" * 6 + "</div>")
    replies = long_reply + "".join(POSTED.format(name) for name in ("lin", "kai", "wen"))
    got = body_text(f'<div class="wrap"><div class="story">{STORY}</div>{replies}</div>')
    assert "propeller shafts" in got and "drifted for an hour" not in got

def article_with(inner: str) -> str:
    return body_text(f'<div class="article-body">{STORY}{inner}{MORE}</div>')


def test_a_consent_or_paywall_placeholder_is_not_article_text():
    got = article_with("<div><p>This content is not available due to your privacy preferences. "
                       "Manage cookie preferences to view it.</p></div>"
                       "<p>Subscribe to continue reading, or sign in if you are already a subscriber.</p>")
    assert "privacy preferences" not in got and "Subscribe to continue" not in got
    assert "propeller shafts" in got and "monthly pass" in got


def test_a_caption_standing_alone_is_not_article_text():
    got = article_with('<p><img src="/img/ferry.jpg" alt=""></p><p>Photo: Harbour Authority archive</p>')
    assert "Harbour Authority archive" not in got and "monthly pass" in got


def test_copyright_and_newsletter_lines_are_not_article_text():
    got = article_with("<p>Sign up for our newsletter and get the ferry timetable every Friday.</p>"
                       "<p>2024 Harbour News Ltd. All rights reserved.</p>")
    assert "newsletter" not in got and "All rights reserved" not in got and "monthly pass" in got


def test_an_in_body_related_box_and_read_more_teasers_leave_the_body():
    got = article_with('<div><h4>Related</h4><ul><li><a href="/n/1.html">Bus detour ends</a></li>'
                       '<li><a href="/n/2.html">New pier opens</a></li><li><a href="/n/3.html">Tides</a></li></ul></div>'
                       '<p><strong>Read more:</strong> <a href="/n/4.html">How the old ferry was built in 1968</a></p>'
                       "<p>Continue reading</p>")
    assert "Bus detour ends" not in got and "old ferry was built" not in got and "Continue reading" not in got
    assert "propeller shafts" in got and "monthly pass" in got


def test_a_byline_tag_left_open_does_not_take_the_article_with_it():
    """An unclosed <span class="byline"> holds the rest of the post: its class names only its first words."""
    paragraphs = [p[3:] for p in (STORY + MORE + MORE).split("</p>") if p]
    lines = "<br>".join(("Posted by the harbour desk", *paragraphs[:2]))
    rest = "<br>".join(paragraphs[2:])
    got = body_text(f'<div class="post-body"><span class="byline-author">{lines}</span><br>{rest}</div>')
    assert "propeller shafts" in got and "monthly pass" in got


def test_a_continue_reading_fold_keeps_the_hidden_rest():
    """The rest of the article, hidden behind a "continue reading" button, is part of the body."""
    got = body_text(f'<div class="entry-content">{STORY}<p>Continue reading</p>'
                    f'<div class="more" style="display:none">{MORE}</div></div>')
    assert "propeller shafts" in got and "monthly pass" in got and "Continue reading" not in got
    got = body_text(f'<div class="entry-content">{STORY}<div class="share-box" style="display:none">{MORE}</div>'
                    '<div style="display:none"><p>Link copied to the clipboard.</p></div></div>')
    assert "propeller shafts" in got and "monthly pass" not in got and "clipboard" not in got


def test_a_hidden_copy_of_the_article_is_not_the_body():
    """A print or share copy hidden with display:none holds the article twice; the visible one is the body."""
    hidden_copy = f'<div style="display: none"><div><div id="print">{STORY}{MORE}<div>{STORY}{MORE}</div></div></div></div>'
    got = body_text(f'<div class="main"><div class="text">{STORY}{MORE}</div></div>{hidden_copy}')
    assert got.count("propeller shafts") == 1 and "monthly pass" in got


PROFILE = ('<div class="about-me"><h4>About me</h4><p>' + "I am a retired ferry engineer who writes about boats, tides and the "
           "small harbours of the north coast, and I answer every letter that readers send me. " * 5 + "</p></div>")


def test_a_short_post_under_its_headline_beats_a_longer_profile_box():
    """The post's own title leads to the post; the author's profile beside it holds more prose, yet is not the body."""
    short = ("<p>The ferry is back on the water this morning, three weeks after it went to the repair yard "
             "for new propeller shafts and bearings.</p>")
    html = (f"<!DOCTYPE html><html><head><title>Ferry back on the water | Harbour notes</title></head><body>{MENU}"
            f'<div class="columns"><div class="post"><h2>Ferry back on the water</h2><div class="entry-content">{short}'
            f'</div></div><div class="rail">{PROFILE}</div></div></body></html>')
    got = extract_article(html, URL)["body_text"]
    assert "three weeks after" in got and "retired ferry engineer" not in got


OFFERS = ('<div class="offers"><h3>Cards we like</h3>' + "".join(
    f'<div class="offer"><b>Harbour Card {i}</b><p>Earn two points for every crossing and a free coffee on the '
    f'morning boat.</p><a href="/cards/{i}">Apply</a></div>' for i in range(5)) + "</div>")


def test_a_wrapper_holding_a_rail_of_offers_gives_way_to_the_article_inside_it():
    """#content holds the post and a long rail of card offers: the post, its densest block, is the body."""
    got = body_text(f'<div id="content"><div class="story">{STORY}</div>{OFFERS}</div>')
    assert "propeller shafts" in got and "free coffee" not in got


def test_a_post_wrapper_named_meta_that_holds_the_headline_is_not_a_widget():
    """A theme's "post-meta" div around the headline and the post is the article's wrapper, not a meta line."""
    html = ("<!DOCTYPE html><html><head><title>Ferry back on the water</title></head><body>"
            f'<div class="post-meta"><h1>Ferry back on the water</h1><div class="post-content">{STORY}</div></div>'
            f'<div class="rail">{PROFILE * 2}{OFFERS}</div></body></html>')
    found, how = find_body(Page(parse(html), URL))
    assert (found.get("class"), how) == ("post-content", "container")


def test_an_in_body_slideshow_of_hidden_captions_is_not_the_densest_block():
    """A slideshow shows one slide at a time: its hidden captions, together longer than the story, earn it nothing."""
    slides = "".join(
        f'<div><div class="photo"><img src="/img/{i}.jpg" style="display:{"block" if i == 0 else "none"}">'
        f'<cite style="display:{"block" if i == 0 else "none"}">Passengers wait on the east pier for the first crossing '
        f'of the morning, picture {i} of the day the harbour ferry returned to service.</cite></div></div>'
        for i in range(14))
    got = body_text(f'<div class="wrap"><div class="gallery-box"><div>{slides}</div></div><div class="text">{STORY}</div></div>')
    assert "propeller shafts" in got and "picture 7 of the day" not in got


def test_a_post_with_a_long_list_of_related_links_at_its_foot_is_still_the_body():
    """The list's link text outweighs the short post's prose; set apart, the post has few links and is the body."""
    post = ('<p>The harbour ferry is back in service after three weeks in the repair yard, with new propeller '
            'shafts and bearings, and the <a href="/timetable">timetable</a> is the same as before.</p>')
    related = "<ol>" + "".join(f'<li><a href="/n/{i}.html">Another ferry story from the harbour desk archive, part {i}</a></li>'
                               for i in range(6)) + "</ol>"
    html = page(f'<div class="col"><div class="entry-content">{post}<p>Related posts:</p>{related}</div></div>')
    found, how = find_body(Page(parse(html), URL))
    assert (found.get("class"), how) == ("entry-content", "container")
    got = extract_article(html, URL)["body_text"]
    assert "three weeks" in got


NOTES = "<li>Tide tables for the coming week are posted at both piers and on the notice board at the station.</li>" * 4


def test_a_wrapper_does_not_give_way_to_an_about_box_beside_the_headlined_post():
    """#content holds a short post under its headline and, in another branch, a longer about box: not the box."""
    short = ("<p>The ferry is back on the water this morning, three weeks after it went to the repair yard "
             "for new propeller shafts and bearings.</p>")
    html = (f"<!DOCTYPE html><html><head><title>Ferry back on the water</title></head><body>{MENU}"
            f'<div id="content"><div class="entries"><h2>Ferry back on the water</h2><div class="text">{short}</div></div>'
            f'<div class="about">{PROFILE}</div><ul class="notes">{NOTES}</ul></div></body></html>')
    found, how = find_body(Page(parse(html), URL))
    assert "three weeks after" in found.text_content()


def test_a_narrow_grid_column_beside_the_article_is_not_a_part_of_it():
    """Grid columns share a class; the narrow one beside the story holds a fraction of its prose and stays out."""
    side = "<p>Harbour office hours: weekdays from nine to five, closed on public holidays.</p>"
    html = page(f'<main><div class="grid"><div class="col wide"><div class="story">{STORY}{MORE}</div></div>'
                f'<div class="col narrow">{side}</div></div><ul class="notes">{NOTES}</ul></main>')
    found, how = find_body(Page(parse(html), URL))
    assert found.get("class") == "story"


def test_a_block_whose_shape_the_comments_repeat_stands_for_its_own_wrapper():
    """The story's "content" div inside #content is repeated by every comment below: the story's wrapper is the body,
    so the page is not read as a listing of posts of that shape."""
    reply = ('<div class="reply"><div class="content"><p>Glad it is back, the bus around the bay was slow and always '
             'full, and the coffee on the boat is better.</p></div></div>')
    html = (f'<div id="content"><div class="story"><div class="content">{STORY}{MORE}</div></div>'
            f'<div class="replies">{reply * 8}</div><ul class="notes">{NOTES}</ul></div>')
    found, how = find_body(Page(parse(page(html)), URL))
    assert found.get("class") == "story" and how == "densest"


def test_a_post_s_own_wrapper_beats_the_site_s_content_region_around_it():
    """#content holds the blog's about box and a short post: the post's own .entry is the body, not the region."""
    about = ('<div class="about"><h4>About me</h4><p>I am a retired ferry engineer who writes about boats, tides and '
             'the small harbours of the north coast, and I answer every letter that readers send me, usually within '
             'a week, from the desk by the window.</p></div>')
    post = ("<p>The ferry is back on the water this morning, three weeks after it went to the repair yard for new "
            "propeller shafts and bearings, and the first crossing was full.</p>")
    html = page(f'<div id="content">{about}<div class="entry"><div class="text">{post}</div>'
                '<p class="meta">Posted by the harbour desk</p></div></div>')
    got = extract_article(html, URL)["body_text"]
    assert "three weeks after" in got and "retired ferry engineer" not in got


def test_a_layout_table_s_article_cell_is_the_body_not_its_row():
    """A table lays the page out in columns: the cell holding the article's paragraphs is the body, without the
    menu and sidebar cells of its row; a cell alone in its row (a text table and a data table) is still read whole."""
    rail = "<td class='rail'>" + "<p>Harbour office hours: weekdays from nine to five, closed on holidays.</p>" * 3 + "</td>"
    menu = '<td class="menu">' + " ".join(f'<a href="/s/{i}">Section {i}</a>' for i in range(8)) + "</td>"
    got = body_text(f'<table><tr>{menu}<td class="main">{STORY}{MORE}</td>{rail}</tr></table>')
    assert "propeller shafts" in got and "monthly pass" in got and "office hours" not in got
    lines = "".join(f"{p}<br>" for p in re.findall(r"<p>(.*?)</p>", STORY))
    fares = "".join(f"<tr><td>Crossing {i} from the east pier</td><td>{i + 2} pounds for adults</td>"
                    f"<td>{i * 3 + 6} minutes</td></tr>" for i in range(6))
    got = body_text(f"<table><tr><td><table><tr><td>{lines}</td></tr></table><table>{fares}</table></td></tr></table>")
    assert "propeller shafts" in got and "Crossing 5 from the east pier" in got


def test_a_photo_post_is_not_traded_for_the_footer_s_credit_line():
    """Beside a short photo post the page's longest sentence is the footer's credit line; trafilatura takes it, and
    its pick, a line our post does not hold (read in another block), loses to the post."""
    post = ('<div class="post"><h2 class="storytitle"><a href="/p/1">Ferry in the fog</a></h2>'
            '<div class="meta"><a href="/cat/photos">photos</a> - 15:58</div>'
            '<div class="storycontent"><p><img src="/img/fog1.jpg"></p><p><img src="/img/fog2.jpg"></p>'
            '<p>You know me, I love fog and I love the old ferry. Pictures taken from the east pier at dawn.</p></div>'
            '<h3>Comments (0)</h3><p>No comments yet.</p><p><a href="/feed">RSS feed for comments on this post.</a></p>'
            '<h3>Leave a comment</h3><form><p><input name="n"> Name (required)</p><p><input name="m"> Mail</p></form></div>')
    credit = ('<div class="credit">If you find anything interesting on Harbour Notes and decide to share it, please '
              'link back to the page you found it on. (c) 2024 Harbour Notes, written and photographed on the coast.</div>')
    html = ("<!DOCTYPE html><html><head><title>Ferry in the fog | Harbour Notes</title></head><body>"
            f"{MENU}<div id='rap'><div id='content'>{post}</div>{credit}</div></body></html>")
    got = extract_article(html, URL)["body_text"]
    assert "I love fog" in got and "link back" not in got


def test_a_story_whose_photos_carry_linked_credits_is_still_the_body():
    """Every photo's linked credit makes the container mostly link text; its text outside links, under the
    page's headline, is still a body's worth, so it is not traded for one quoted line."""
    credits = "".join(f'<dl class="wp-caption"><dd><a href="/photos/{i}">Photo of the east pier courtesy of the '
                      f'Harbour Authority archive, picture {i}</a></dd></dl>' for i in range(12))
    quote = ('<blockquote class="quote"><p>Back on the water at last, and the coffee is as good as ever on the '
             'morning boat.</p></blockquote>')
    html = ("<!DOCTYPE html><html><head><title>Ferry back on the water</title></head><body>"
            f'{MENU}<div id="single"><h1>Ferry back on the water</h1><div class="article-content">{STORY}{credits}'
            f"{quote}</div></div></body></html>")
    found, how = find_body(Page(parse(html), URL))
    assert (found.get("class"), how) == ("article-content", "container")
    assert "propeller shafts" in extract_article(html, URL)["body_text"]


def test_a_sidebar_box_holding_most_of_the_page_s_prose_is_still_a_widget():
    """Beside a short post under the page's headline, a sidebar's text box can hold more than half the page's
    prose; it is named a widget and stands in another branch than the headline, so it is not the body."""
    short = ("<p>The ferry is back on the water this morning, three weeks after it went to the repair yard "
             "for new propeller shafts and bearings, and the first crossing was full.</p>")
    html = ("<!DOCTYPE html><html><head><title>Ferry back on the water</title></head><body>"
            f'{MENU}<div class="left"><div class="post-wrapper"><h1>Ferry back on the water</h1>'
            f'<div class="text">{short}</div></div></div>'
            f'<div class="right"><div class="sidebar-box"><div class="textwidget">{PROFILE}</div></div></div></body></html>')
    found, how = find_body(Page(parse(html), URL))
    assert "three weeks after" in found.text_content() and "retired ferry engineer" not in found.text_content()


def test_a_teaser_article_in_the_footer_is_not_the_post():
    """A site's footer promotes another story in an <article>; the post under the page's headline has no
    content class at all. The small <article> away from the headline is a teaser, not the body."""
    teaser = ('<div class="bottom"><div class="row"><article class="card"><h3><a href="/n/9.html">Tides this week</a>'
              "</h3><p>The spring tides arrive on Thursday, and the harbour office asks boat owners to check their "
              "moorings before the weekend, when the highest water is expected in the early morning.</p></article>"
              "</div></div>")
    html = ("<!DOCTYPE html><html><head><title>Ferry back on the water</title></head><body>"
            f'{MENU}<div class="col"><div class="head"><h1>Ferry back on the water</h1></div>'
            f'<div class="text">{STORY}</div></div>{teaser}</body></html>')
    found, how = find_body(Page(parse(html), URL))
    assert "propeller shafts" in found.text_content() and "spring tides" not in found.text_content()


def test_a_post_wrapper_named_meta_around_a_content_container_is_not_a_widget():
    """With no headline found, a theme's "post-meta" div that holds a "post-content" container (nearly all its
    prose) is the post's wrapper, even beside a rail of more prose: the container is the body."""
    html = (f'<div class="main"><div class="post-meta"><span>Posted in Harbour</span>'
            f'<div class="post-content">{STORY}</div></div></div>'
            f'<div class="rail">{PROFILE * 2}{OFFERS}</div>')
    found, how = find_body(Page(parse(page(html)), URL))
    assert (found.get("class"), how) == ("post-content", "container")


def test_the_second_opinion_reads_paragraphs_inside_a_form():
    """trafilatura drops a <form> with all it holds: one around paragraphs (a search box left open above the
    story's end) is given to it as a plain block, so its reading cannot win by cutting the story's end."""
    second = trafilatura_body(Page(parse(page(f"<div>{STORY}<form action='/find'><input name='q'>{MORE}</form></div>")), URL))
    assert "Fares stay the same" in plain_text(second) and "last one returns" in plain_text(second)
