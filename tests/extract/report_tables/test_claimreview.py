"""schema.org ClaimReview JSON-LD, as fact-checkers publish it, read as a claims table."""

from __future__ import annotations

import json

import pytest

from litcheck.errors import BadInputError
from litcheck.extract.report_table import parse_report

# A fact-check article page: the review in a <script type="application/ld+json"> in the head
# (the way Google's fact-check markup guide and the Fact Check Markup Tool publish it), beside
# the site's other structured data, with numeric ratings written as strings.
ARTICLE_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fact check: does robust training close the cross-lingual gap? | SciCheck</title>
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
  {"@type": "ListItem", "position": 1, "name": "Fact checks", "item": "https://scicheck.example.org/fc/"}]}
</script>
<script type="application/ld+json">
{
  "@context": "https://schema.org",
  "@type": "ClaimReview",
  "url": "https://scicheck.example.org/fc/2024/robust-training-gap",
  "claimReviewed": "Robust training closes the cross-lingual transfer gap on PAWS-X entirely.",
  "itemReviewed": {
    "@type": "Claim",
    "author": {
      "@type": "Person",
      "name": "A. Blogger",
      "sameAs": "https://blog.example.com/about"
    },
    "datePublished": "2024-03-02",
    "appearance": {
      "@type": "OpinionNewsArticle",
      "url": "https://blog.example.com/2024/03/robust-training-miracle",
      "headline": "Robust training is all you need",
      "datePublished": "2024-03-02"
    },
    "firstAppearance": "https://arxiv.org/abs/2104.08645v2"
  },
  "author": {"@type": "Organization", "name": "SciCheck", "url": "https://scicheck.example.org"},
  "datePublished": "2024-03-10",
  "reviewRating": {
    "@type": "Rating",
    "ratingValue": "2",
    "bestRating": "5",
    "worstRating": "1",
    "alternateName": "Mostly False"
  }
}
</script>
</head>
<body><article><h1>Does robust training close the gap?</h1><p>No. The paper reports a
smaller gap, not a closed one.</p></article></body>
</html>
"""

# A site's feed of reviews as one JSON-LD document with an @graph (several reviews of one
# paper's claims), the claims' appearance an arXiv abstract page.
GRAPH = {
    "@context": "https://schema.org",
    "@graph": [
        {
            "@type": "Organization",
            "@id": "https://scicheck.example.org/#org",
            "name": "SciCheck",
        },
        {
            "@type": "ClaimReview",
            "@id": "https://scicheck.example.org/fc/1#review",
            "claimReviewed": (
                "RS-DA improves zero-shot XNLI accuracy by 1.6 points over plain fine-tuning."
            ),
            "itemReviewed": {
                "@type": "Claim",
                "appearance": [
                    {"@type": "ScholarlyArticle", "url": "https://arxiv.org/abs/2104.08645"}
                ],
                "author": [{"@type": "Person", "name": "Kuan-Hao Huang"}],
            },
            "author": {"@id": "https://scicheck.example.org/#org"},
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 5,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": "True",
            },
        },
        {
            "@type": "ClaimReview",
            "claimReviewed": "Adversarial training hurts accuracy on every language.",
            "itemReviewed": {
                "@type": "Claim",
                "appearance": "https://arxiv.org/pdf/2104.08645.pdf",
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": 3,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": "Half True",
            },
        },
        {
            "@type": ["ClaimReview"],
            "claimReviewed": "The method needs no parallel data.",
            "reviewRating": {"@type": "Rating", "alternateName": "Unproven"},
        },
    ],
}


def test_article_page_with_a_claim_review_script() -> None:
    report = parse_report(ARTICLE_PAGE, "fc.html")
    assert report.format == "claimreview"
    assert (
        report.title == "Fact check: does robust training close the cross-lingual gap? | SciCheck"
    )
    (row,) = report.rows
    assert row.text == "Robust training closes the cross-lingual transfer gap on PAWS-X entirely."
    assert (row.mark, row.raw_mark) == ("refuted", "Mostly False")
    # 2 on 1..5 is a quarter of the way to True: 0.75 towards the report's "false".
    assert row.confidence == 0.75
    assert (row.raw_confidence, row.extra["Rating"]) == ("0.75", "2 of 1-5")
    assert row.cites == ["2104.08645v2"]
    assert row.extra["Appearance"] == (
        "https://blog.example.com/2024/03/robust-training-miracle https://arxiv.org/abs/2104.08645v2"
    )
    assert row.extra["Claim author"] == "A. Blogger https://blog.example.com/about"
    assert row.extra["Reviewed by"] == "SciCheck"
    assert row.extra["Date"] == "2024-03-10"
    assert row.line == 13  # the line of its "@type": "ClaimReview"
    assert row.warnings == []


def test_graph_of_reviews() -> None:
    text = json.dumps(GRAPH, indent=2)
    report = parse_report(text, "reviews.jsonld")
    assert report.format == "claimreview" and report.title is None
    got = [(r.text, r.mark, r.raw_mark, r.confidence) for r in report.rows]
    assert got == [
        (
            "RS-DA improves zero-shot XNLI accuracy by 1.6 points over plain fine-tuning.",
            "verified",
            "True",
            1.0,
        ),
        ("Adversarial training hurts accuracy on every language.", "partial", "Half True", None),
        ("The method needs no parallel data.", "unknown", "Unproven", None),
    ]
    assert [r.cites for r in report.rows] == [["2104.08645"], ["2104.08645"], []]
    assert (report.rows[1].raw_confidence, report.rows[1].extra["Rating"]) == (None, "3 of 1-5")
    assert report.rows[0].extra["Claim author"] == "Kuan-Hao Huang"
    lines = text.splitlines()
    assert all('"@type"' in lines[r.line - 1] for r in report.rows)
    assert [r.line for r in report.rows] == sorted({r.line for r in report.rows})
    assert report.references == ["2104.08645"]


def test_a_list_and_a_single_object() -> None:
    reviews = [r for r in GRAPH["@graph"] if r.get("@type") != "Organization"]  # type: ignore[union-attr]
    listed = parse_report(json.dumps(reviews))
    assert [r.mark for r in listed.rows] == ["verified", "partial", "unknown"]
    single = dict(reviews[0])  # type: ignore[arg-type]
    single["@context"] = "https://schema.org"
    (row,) = parse_report(json.dumps(single)).rows
    assert (row.mark, row.confidence) == ("verified", 1.0)


def test_rating_without_a_scale_and_outside_its_scale() -> None:
    review = {
        "@context": "http://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Zero-shot transfer to Swahili matches English.",
        "reviewRating": {"@type": "Rating", "ratingValue": "1", "alternateName": "False"},
    }
    (row,) = parse_report(json.dumps(review)).rows
    assert (row.mark, row.confidence) == ("refuted", 1.0)
    assert row.extra["Rating"] == "1 of 1-5 (schema.org's default scale)"
    review["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": 9,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
    }
    (row,) = parse_report(json.dumps(review)).rows
    assert (row.mark, row.confidence) == ("refuted", None)
    assert row.warnings == ["the rating 9 is outside its scale 1-5: no confidence"]


def test_reviews_without_claims_are_not_a_claims_table() -> None:
    empty = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://x.org/fc"}
    with pytest.raises(BadInputError):
        parse_report(json.dumps(empty))
    with pytest.raises(BadInputError):
        parse_report('<script type="application/ld+json">{"@type": "ClaimReview", </script>')


def test_claim_review_beats_the_generic_json_reading() -> None:
    # The same object is also a one-row JSON table (its "claimReviewed" key names a claim);
    # read as ClaimReview, the verdict and the confidence come from its rating.
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "PAWS-X accuracy rises by 2.1 points.",
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 4,
            "bestRating": 4,
            "worstRating": 0,
            "alternateName": "Correct",
        },
    }
    report = parse_report(json.dumps(review))
    assert report.format == "claimreview"
    assert [(r.mark, r.confidence) for r in report.rows] == [("verified", 1.0)]
