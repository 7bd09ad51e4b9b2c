"""Learn pages say what they must, in plain words, for discussion with the care team and never as instruction."""

from __future__ import annotations

import re

import pytest

from education import content


def body(slug: str) -> str:
    page = content.learn_page(slug)
    assert page is not None, slug
    return page.body


def test_amifampridine_safety_is_for_discussion_never_instruction():
    text = body("amifampridine-safety")
    assert text.count("prescriber") >= 3 and "discuss with your prescriber" in text.lower()
    for fact in ("seizure", "emergency", "Allergic reactions", "epilepsy", "long QT", "dentist", "come back"):
        assert fact in text, fact
    assert content.learn_page("amifampridine-safety").sources[:2] == ("R16", "R17")
    assert not re.search(r"\b(take|increase|reduce) (your|the) dose\b", text, re.IGNORECASE)


def test_operations_page_covers_relaxants_blood_pressure_and_asking_the_team():
    text = body("operations-and-procedures")
    assert "muscle relaxants" in text and "breathing" in text and "Blood pressure" in text
    assert "Tell the anaesthetist" in text
    assert "do not change them yourself" in text
    assert set(content.learn_page("operations-and-procedures").sources) >= {"R38", "R39", "R40"}


def test_cancer_page_orders_the_scans_lists_risk_items_without_a_score_and_what_to_report():
    text = body("cancer-link")
    assert text.index("CT scan") < text.index("PET scan")
    for item in ("fifty or older", "smoking", "5% of your body weight", "swallowing", "erection"):
        assert item in text, item
    assert "does not add these up into a score" in text
    for symptom in ("three weeks", "coughing up blood", "weight without trying", "breathlessness", "chest pain"):
        assert symptom in text, symptom
    assert "at any time" in text.lower()


def test_eye_and_throat_symptoms_are_common_but_usually_milder_than_in_mg():
    for slug in ("what-is-lems", "symptoms"):
        text = body(slug)
        assert "common" in text and "usually milder than in" in text, slug
    assert "one person in four" not in body("what-is-lems")


def test_nerve_tests_are_described_with_the_rest_exercise_and_pulse_findings():
    text = body("diagnosis")
    assert "at rest is small" in text
    assert "about ten seconds" in text and "sixty percent" in text
    assert "quick pulses" in text and "Slow pulses" in text and "shrink" in text
    assert "more than nine people out of ten" in text


def test_symptoms_page_tells_people_to_sit_or_lie_down_and_names_night_breathing_signs():
    text = body("symptoms")
    assert "sit or lie down first" in text
    assert "headaches" in text and "sleepy" in text
    assert "ask your care team" in text  # dry eyes: no sourced self-care tip


def test_the_required_learn_pages_are_checked_at_start_up(tmp_path, monkeypatch):
    monkeypatch.setattr(content, "LEARN_DIR", tmp_path)
    (tmp_path / "intro.md").write_text(
        "---\nslug: intro\ntitle: Intro\norder: 1\nsources: R5\nreviewed: 2026-12-02\n---\n\nText.\n",
        encoding="utf-8",
    )
    content.clear_caches()
    try:
        with pytest.raises(content.ContentError, match="medicines-to-check"):
            content.validate_all()
    finally:
        monkeypatch.undo()
        content.clear_caches()


def test_links_between_pages_lead_to_pages_that_exist():
    slugs = {page.slug for page in content.learn_pages()}
    texts = [page.body for page in content.learn_pages()] + [tip.body for tip in content.all_tips()]
    links = [link for text in texts for link in re.findall(r"\]\((/[^)]*)\)", text)]
    assert "/learn/medicines-to-check/" in links
    for link in links:
        match = re.fullmatch(r"/learn/([a-z0-9-]+)/", link)
        assert match and match.group(1) in slugs, link
