"""Which hosts are one site: the related block's and the trail's URL cues ask it of the public suffix list."""
from __future__ import annotations

import pytest

from crawler.extract.urlshape import article_address, site


@pytest.mark.parametrize("host, expected", [
    ("news.example.com.cn", "example.com.cn"),
    ("www.example.co.uk", "example.co.uk"),
    ("stock.example.com", "example.com"),
    ("WWW.Example.COM", "example.com"),
    ("city.gov.cn", "city.gov.cn"),
    ("localhost", "localhost"),
    ("127.0.0.1", "127.0.0.1"),
    (None, ""),
])
def test_site_is_the_domain_under_the_public_suffix(host, expected):
    assert site(host) == expected


def test_two_registrations_under_a_two_level_suffix_are_two_sites():
    """Under com.cn, the last two labels name no site: a.com.cn and b.com.cn belong to different owners."""
    assert site("www.alpha.com.cn") != site("www.beta.com.cn")
    # A section page of another site is another article's address; of this site, it is only a section.
    page = "https://www.alpha.com.cn/news/2024/0612/1234.html"
    assert article_address("https://www.beta.com.cn/sports/", page)
    assert not article_address("https://news.alpha.com.cn/sports/", page)
