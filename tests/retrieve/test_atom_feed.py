"""Atom feed parsing: fields, paging counters, arXiv error entries, broken bodies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from litcheck.errors import BadInputError, ParseError
from litcheck.retrieve.atom import parse_feed

from .support import Entry, atom_feed, error_feed, load_recorded


def test_entry_fields() -> None:
    entry = Entry(
        "2104.08645v2",
        title="Improving Zero-Shot Cross-Lingual\n      Transfer  via Robust Training",
        abstract="  Pre-trained multilingual\n  encoders ...  ",
        authors=("Kuan-Hao Huang", "Wasi Uddin Ahmad"),
        categories=("cs.CL", "cs.LG"),
        published="2021-04-18T04:19:03Z",
        updated="2021-09-14T00:41:20Z",
        doi="10.18653/v1/2021.emnlp-main.126",
        journal_ref="EMNLP 2021",
        comment="EMNLP 2021 camera-ready",
    )
    feed = parse_feed(atom_feed([entry], total=42, start=10).encode())
    assert (feed.total_results, feed.start_index, feed.items_per_page) == (42, 10, 1)
    (paper,) = feed.papers
    assert paper.arxiv_id == "2104.08645"
    assert paper.version == 2
    assert paper.title == "Improving Zero-Shot Cross-Lingual Transfer via Robust Training"
    assert paper.abstract == "Pre-trained multilingual encoders ..."
    assert paper.authors == ["Kuan-Hao Huang", "Wasi Uddin Ahmad"]
    assert paper.categories == ["cs.CL", "cs.LG"]
    assert paper.primary_category == "cs.CL"
    assert paper.published == datetime(2021, 4, 18, 4, 19, 3, tzinfo=UTC)
    assert paper.updated == datetime(2021, 9, 14, 0, 41, 20, tzinfo=UTC)
    assert paper.doi == "10.18653/v1/2021.emnlp-main.126"
    assert paper.journal_ref == "EMNLP 2021"
    assert paper.comment == "EMNLP 2021 camera-ready"
    assert paper.sections == []
    assert paper.full_text_source is None


def test_old_style_ids_and_str_input() -> None:
    feed = parse_feed(atom_feed([Entry("hep-th/9901001v3"), Entry("math/0309136v1")]))
    assert [(p.arxiv_id, p.version) for p in feed.papers] == [
        ("hep-th/9901001", 3),
        ("math/0309136", 1),
    ]


def test_empty_feed_is_not_an_error() -> None:
    feed = parse_feed(atom_feed([], total=0))
    assert feed.papers == []
    assert feed.total_results == 0


def test_arxiv_error_entry_is_bad_input() -> None:
    with pytest.raises(BadInputError, match="incorrect id format for abc"):
        parse_feed(error_feed("incorrect id format for abc"))


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.9])
def test_truncated_feed_is_a_parse_error(cut: float) -> None:
    body = atom_feed([Entry("2104.08645v2"), Entry("2104.08646v1")]).encode()
    with pytest.raises(ParseError) as info:
        parse_feed(body[: int(len(body) * cut)], "http://127.0.0.1/api/query?id_list=x")
    message = str(info.value)
    assert "truncated" in message
    assert "http://127.0.0.1/api/query?id_list=x" in message
    assert info.value.url == "http://127.0.0.1/api/query?id_list=x"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"", "empty"),
        (b"\x00\xff\xfe garbage \x13\x37", "not well-formed"),
        (b"<html><body>Service Unavailable</body></html>", "not an Atom feed"),
        (b"<feed><entry></entry></feed>", "not an Atom feed"),  # no Atom namespace
    ],
)
def test_garbled_bodies_are_parse_errors(body: bytes, needle: str) -> None:
    with pytest.raises(ParseError, match=needle):
        parse_feed(body)


def test_entry_with_foreign_id_is_a_parse_error() -> None:
    body = atom_feed([Entry("2104.08645v2")]).replace(
        "http://arxiv.org/abs/2104.08645v2</id>", "urn:uuid:1234</id>"
    )
    with pytest.raises(ParseError, match="not an arXiv abs URL"):
        parse_feed(body)


@pytest.mark.shared
def test_every_recorded_response_parses() -> None:
    table = load_recorded()
    if not table:
        pytest.skip("../shared/data/arxiv-recorded is absent")
    for (search_query, _, _, _), reply in table.items():
        if reply.status == 400:
            with pytest.raises(BadInputError, match="incorrect id format"):
                parse_feed(reply.data())
            continue
        feed = parse_feed(reply.data())
        for paper in feed.papers:
            assert paper.title and paper.authors and paper.published is not None
            assert paper.primary_category in paper.categories
        if search_query == "testing":
            assert feed.total_results > 1000


def test_entity_bombs_and_truncated_files_say_what_is_wrong() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            b"<!ENTITY " + n + b' "' + (b"&" + p + b";") * 10 + b'">'
            for p, n in zip(b"abcdefg", b"bcdefgh", strict=True)
            for p, n in [(bytes([p]), bytes([n]))]
        )
        + b"]><feed>&h;</feed>"
    )
    with pytest.raises(ParseError, match="billion laughs"):
        parse_feed(bomb)
    with pytest.raises(ParseError, match="truncated; save the feed again"):
        parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>', source="f.xml")
