"""The education content files load, are complete and are checked strictly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from education import content
from education.content import (
    SOURCES,
    TAGS,
    TOPICS,
    ContentError,
    load_learn_pages,
    load_red_flags,
    load_tips,
    render_markdown,
)

CONTENT_DIR = Path(content.__file__).resolve().parent / "content"
LEARN_SLUGS = {
    "what-is-lems",
    "symptoms",
    "diagnosis",
    "treatments",
    "amifampridine-safety",
    "medicines-to-check",
    "operations-and-procedures",
    "cancer-link",
    "living-with-lems",
    "when-to-get-help",
}


@pytest.fixture(autouse=True)
def _fresh_caches():
    content.clear_caches()
    yield
    content.clear_caches()


# --- the real content --------------------------------------------------------


def test_validate_all_passes():
    content.validate_all()


def test_every_tip_file_loads():
    files = sorted((CONTENT_DIR / "tips").glob("*.md"))
    assert len(files) >= 28
    for path in files:
        assert content.load_tip(path).id


def test_all_30_domain_tips_present():
    ids = [t.id for t in content.all_tips()]
    assert ids == [f"T{n}" for n in range(1, 31)]


def test_the_alert_card_and_night_breathing_tips_say_what_they_must_with_their_sources():
    card = content.tip("T29")
    assert card is not None and "always" in card.tags
    assert "alert card" in card.body.lower() and "medical id" in card.body.lower()
    assert card.sources == ("R59", "R16")
    breathing = content.tip("T30")
    assert breathing is not None and "breathing" in breathing.tags
    assert "headache" in breathing.body and "sleepy" in breathing.body and "care team" in breathing.body
    assert breathing.sources == ("R57",)


def test_feeling_faint_says_sit_or_lie_down_first_and_never_tense_up_standing():
    faint = content.tip("T21")
    body = faint.body.lower()
    assert body.index("sit or lie down first") < body.index("crossing your legs")
    assert "seated or safely supported" in body
    assert faint.sources == ("R42",)


#: Each tip's sources, pinned: a tip cannot silently lose the source its advice rests on.
DOMAIN_TIP_SOURCES = {
    "T1": ("R49", "R50"),
    "T2": ("R49",),
    "T3": ("R51",),
    "T4": ("R50", "R52"),
    "T5": ("R49",),
    "T6": ("R50", "R17"),
    "T7": ("R49", "R48"),
    "T8": ("R48", "R47"),
    "T9": ("R48",),
    "T10": ("R49", "R54"),
    "T11": ("R54", "R53"),
    "T12": ("R53", "R48"),
    "T13": ("S4", "R2"),
    "T14": ("R3", "R5"),
    "T15": ("R44",),
    "T16": ("R44",),
    "T17": ("R46",),
    "T18": ("R46",),
    "T19": ("R41",),
    "T20": ("R41",),
    "T21": ("R42",),
    "T22": ("R45",),
    "T23": ("R47", "R48"),
    "T24": ("R47",),
    "T25": ("R4", "R33", "R16"),
    "T26": ("R38", "R40"),
    "T27": ("R3", "R23", "R58"),
    "T28": ("R5",),
    "T29": ("R59", "R16"),
    "T30": ("R57",),
}


def test_every_tip_cites_the_sources_domain_gives_it():
    assert {t.id: t.sources for t in content.all_tips()} == DOMAIN_TIP_SOURCES


def test_tips_have_sources_known_tags_topics_and_review_date():
    for t in content.all_tips():
        assert t.sources, t.id
        assert all(s in SOURCES for s in t.sources), t.id
        assert t.tags, t.id
        assert set(t.tags) <= set(TAGS), t.id
        assert t.topic in TOPICS, t.id
        assert t.reviewed == dt.date(2026, 12, 2), t.id
        assert t.shown_sources, t.id
        assert t.title and t.html.startswith("<p>"), t.id


def test_tips_are_short():
    for t in content.all_tips():
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", t.body.strip()) if s]
        assert 1 <= len(sentences) <= 4, (t.id, len(sentences))


def test_tip_topics_follow_the_domain_tags():
    expected = {
        "T1": "high_fatigue",
        "T6": "worst_time",
        "T7": "chair_rise",
        "T8": "chair_rise",
        "T9": "stairs",
        "T10": "reaching",
        "T11": "reaching",
        "T14": "heat",
        "T15": "dry_mouth",
        "T17": "chewing",
        "T19": "dizziness",
        "T22": "constipation",
        "T23": "falls",
        "T25": "new_medicine",
        "T26": "surgery",
        "T27": "infection",
        "T28": "poor_sleep",
        "T29": "always",
        "T30": "breathing",
    }
    for tip_id, tag in expected.items():
        assert tag in content.tip(tip_id).tags, tip_id


def test_tip_lookup_and_grouping():
    assert content.tip("T1").id == "T1"
    assert content.tip("t01").id == "T1"
    assert content.tip("T99") is None
    assert content.tip("nonsense") is None
    grouped = content.tips_by_topic()
    assert list(grouped) == [t for t in TOPICS if t in grouped]
    assert sum(len(v) for v in grouped.values()) == len(content.all_tips())
    assert {t.id for t in grouped["standing"]} == {"T19", "T20", "T21"}


def test_learn_pages_present_and_the_right_length():
    pages = content.learn_pages()
    assert {p.slug for p in pages} == LEARN_SLUGS
    assert [p.order for p in pages] == sorted(p.order for p in pages)
    for page in pages:
        words = len(re.findall(r"[A-Za-z0-9'’-]+", page.body))
        assert 150 <= words <= 400, (page.slug, words)
        assert page.sources and all(s in SOURCES for s in page.sources)
        assert page.shown_sources, page.slug
        assert page.html
    assert content.learn_page("treatments").title
    assert content.learn_page("missing") is None


def test_red_flags_have_three_levels_with_sourced_items():
    guidance = content.red_flags()
    assert [lvl.level for lvl in guidance.levels] == ["emergency", "urgent", "discuss"]
    for level in guidance.levels:
        assert level.items and level.sources
        for item in level.items:
            assert item.text and item.sources
            assert all(s in SOURCES for s in item.sources)
    assert "Call emergency services now" in guidance.emergency.title + guidance.emergency.message
    assert "may need urgent attention" in guidance.emergency.message
    assert "Nobody watches" in guidance.not_monitored
    assert guidance.emergency_number.isdigit()
    assert content.emergency_number()
    assert guidance.emergency.item("seizure") is not None
    assert guidance.urgent.item("ivig_headache") is not None


def test_red_flag_wording_is_never_diagnostic():
    guidance = content.red_flags()
    texts = [guidance.not_monitored]
    for level in guidance.levels:
        texts += [level.title, level.message] + [i.text for i in level.items]
    for text in texts:
        lowered = text.lower()
        assert "you are in crisis" not in lowered
        assert "you have " not in lowered
        assert "crisis" not in lowered


def test_sources_table_uses_the_new_domain_keys_with_titles():
    assert set(SOURCES) == {"S0", "S4"} | {f"R{n}" for n in range(1, 72)}
    assert SOURCES["R33"] == "Cautionary drugs (Myasthenia Gravis Foundation of America)"
    assert content.SOURCE_URLS["R33"] == ("https://myasthenia.org/?p=1555",)
    assert content.source_url("R52") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC4564796"
    assert len(content.SOURCE_URLS["R3"]) == 2 and len(content.SOURCE_URLS["R4"]) == 2
    assert "R72" not in SOURCES  # the old numbering went further


def test_patients_get_links_only_to_opened_free_sources():
    # Seed documents and paywalled articles are never shown.
    assert content.shown_sources(["S0", "S4", "R1", "R8"]) == ()
    # A source nobody opened is named by title, without a link.
    (dry_mouth,) = content.shown_sources(["R44"])
    assert dry_mouth.title == "Dry mouth (NIDCR, NIH)" and dry_mouth.url is None
    # Of two addresses, the one that was opened is the link.
    (label,) = content.shown_sources(["R16"])
    assert label.url == "https://www.medicines.org.uk/emc/product/11539/smpc"
    assert content.source_url("R3") == "https://emedicine.medscape.com/article/1170810-clinical"
    assert content.source_url("R1") is None and content.source_url("S0") is None


def test_a_tip_with_only_hidden_sources_is_refused(tmp_path):
    write_tip(tmp_path, "T01.md", sources="S0, R1")
    with pytest.raises(ContentError, match="no source a patient may see"):
        load_tips(tmp_path)


def test_footer_and_disclaimer_texts():
    footer = str(content.TIP_FOOTER)
    assert "general" in footer and "physiotherapist" in footer and "occupational therapist" in footer
    assert "does not replace" in str(content.DISCLAIMER)


def test_no_content_file_contains_a_dose_amount():
    pattern = re.compile(r"\d+\s*mg", re.IGNORECASE)
    for path in sorted(CONTENT_DIR.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not pattern.search(text), path
            assert not content.DOSE_PATTERN.search(text), path


def test_markdown_escapes_raw_html():
    html = render_markdown("Hello <script>alert(1)</script> **there**\n\n<div>x</div>")
    assert "<script>" not in html and "<div>" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>there</strong>" in html


def test_content_error_is_improperly_configured():
    assert issubclass(ContentError, ImproperlyConfigured)


# --- broken files in a temporary folder --------------------------------------

GOOD_TIP = """---
id: {id}
title: A test tip
topic: {topic}
tags: {tags}
sources: {sources}
reviewed: {reviewed}
---

Rest when you need to.
"""


def write_tip(folder: Path, name: str, **overrides: str) -> Path:
    fields = {
        "id": "T1",
        "topic": "pacing",
        "tags": "high_fatigue",
        "sources": "R49",
        "reviewed": "2026-11-24",
    }
    fields.update(overrides)
    path = folder / name
    path.write_text(GOOD_TIP.format(**fields), encoding="utf-8")
    return path


def test_good_tmp_tip_loads(tmp_path):
    write_tip(tmp_path, "T01.md")
    write_tip(tmp_path, "T02.md", id="T2", tags="dizziness, falls", sources="R36, S4")
    tips = load_tips(tmp_path)
    assert [t.id for t in tips] == ["T1", "T2"]
    assert tips[1].tags == ("dizziness", "falls")
    assert tips[1].sources == ("R36", "S4")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"sources": ""}, "sources"),
        ({"sources": "R999"}, "unknown source"),
        ({"sources": "R72"}, "unknown source"),
        ({"tags": "sleepy"}, "unknown tag"),
        ({"topic": "cooking"}, "unknown topic"),
        ({"reviewed": "2026-13-40"}, "reviewed"),
        ({"reviewed": "yesterday"}, "reviewed"),
        ({"id": "T2"}, "does not match the file name"),
        ({"id": "tip one"}, "id must look like"),
    ],
)
def test_broken_tip_raises_content_error_naming_the_file(tmp_path, overrides, message):
    write_tip(tmp_path, "T01.md", **overrides)
    with pytest.raises(ContentError) as caught:
        load_tips(tmp_path)
    assert "T01.md" in str(caught.value)
    assert message in str(caught.value)


def test_duplicate_id_raises_content_error_naming_the_file(tmp_path):
    write_tip(tmp_path, "T01.md")
    write_tip(tmp_path, "T001.md")  # same id, another file
    with pytest.raises(ContentError) as caught:
        load_tips(tmp_path)
    assert "duplicate id T1" in str(caught.value)
    assert "T01.md" in str(caught.value)


def test_missing_header_and_bad_files(tmp_path):
    (tmp_path / "T01.md").write_text("---\nid: T1\ntitle: x\n---\n\nText.\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"T01\.md.*missing header field"):
        load_tips(tmp_path)
    (tmp_path / "T01.md").write_text("No header here.\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"T01\.md.*must start"):
        load_tips(tmp_path)


def test_raw_html_and_doses_are_refused(tmp_path):
    path = write_tip(tmp_path, "T01.md")
    path.write_text(
        path.read_text().replace("Rest when you need to.", "Rest <b>now</b>."),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="raw HTML"):
        load_tips(tmp_path)
    path.write_text(
        GOOD_TIP.format(
            id="T1",
            topic="pacing",
            tags="high_fatigue",
            sources="R28",
            reviewed="2026-11-24",
        ).replace("Rest when you need to.", "Take 10 mg."),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="dose"):
        load_tips(tmp_path)


def test_broken_learn_page(tmp_path):
    (tmp_path / "intro.md").write_text(
        "---\nslug: intro\ntitle: Intro\norder: 1\nsources: R1\n---\n\nText.\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"intro\.md.*reviewed"):
        load_learn_pages(tmp_path)
    (tmp_path / "intro.md").write_text(
        "---\nslug: other\ntitle: Intro\norder: 1\nsources: R1\nreviewed: 2026-11-24\n---\n\nText.\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"intro\.md.*file name"):
        load_learn_pages(tmp_path)


def test_broken_red_flags(tmp_path):
    good = (CONTENT_DIR / "red_flags.toml").read_text(encoding="utf-8")
    path = tmp_path / "red_flags.toml"
    path.write_text(good.replace('sources = ["R29"]', 'sources = ["R999"]'), encoding="utf-8")
    with pytest.raises(ContentError, match=r"red_flags\.toml.*unknown source"):
        load_red_flags(path)
    path.write_text(
        good.replace("[discuss]", "[talk]").replace("[[discuss.items]]", "[[talk.items]]"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match=r"red_flags\.toml.*\[discuss\]"):
        load_red_flags(path)
