"""Education views: learn pages, tips by topic, red flags, tips chosen from the diary, dismissal."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from diary.services import day_entry_save_scores
from education import content
from education.models import TipFeedback
from tests.conftest import People

pytestmark = pytest.mark.django_db


def log_high_fatigue(people: People, days: int = 5) -> None:
    today = people.diary.today()
    for n in range(days):
        day_entry_save_scores(
            diary=people.diary, date=today - dt.timedelta(days=n), scores={"fatigue": 8}, by=people.owner
        )


#: A source key on its own, such as "R38", where a person would read it.
BARE_KEY = re.compile(r">[^<]*\b[RS]\d+\b[^<]*<")


def shown_tip_ids(html: str) -> list[str]:
    return re.findall(r'id="tip-(T\d+)"', html)


def test_learn_pages_name_sources_review_date_and_disclaimer(client: Client) -> None:
    index = client.get(reverse("education:learn")).content.decode()
    for page in content.learn_pages():
        assert page.title in index
        html = client.get(reverse("education:learn_page", args=[page.slug])).content.decode()
        assert "Last reviewed" in html and "Sources" in html
        assert "does not replace advice" in html
    assert client.get(reverse("education:learn_page", args=["no-such-page"])).status_code == 404


def test_pages_and_tips_name_sources_by_title_never_by_key(client: Client) -> None:
    urls = [reverse("education:tips"), reverse("education:red_flags")]
    urls += [reverse("education:learn_page", args=[page.slug]) for page in content.learn_pages()]
    for url in urls:
        html = client.get(url).content.decode()
        assert not BARE_KEY.search(html), (url, BARE_KEY.search(html))
    html = client.get(reverse("education:tips")).content.decode()
    assert html.count("Last reviewed") == len(content.all_tips())
    # Opened, free pages are linked by title; one nobody opened is named without a link.
    assert '<a href="https://myasthenia.org/?p=1555" rel="noopener noreferrer">Cautionary drugs' in html
    assert "Dry mouth (NIDCR, NIH) <span" in html and "nidcr.nih.gov" not in html
    # Paywalled articles and seed documents are never shown to patients.
    page = client.get(reverse("education:learn_page", args=["what-is-lems"])).content.decode()
    assert "Titulaer" not in page and "Seed document" not in page and "doi.org/10.1002/ana" not in page


def test_the_medicines_page_never_says_avoid_even_in_a_source_title(client: Client) -> None:
    html = client.get(reverse("education:learn_page", args=["medicines-to-check"])).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads, not the addresses behind the links
    assert "gentamicin" in text
    assert not re.search(r"\bavoid", text, re.IGNORECASE)
    assert "LEMS: medicines that call for caution; drug treatment (Medscape)" in text


def test_all_tips_can_be_browsed_by_topic(client: Client) -> None:
    html = client.get(reverse("education:tips")).content.decode()
    assert set(shown_tip_ids(html)) == {tip.id for tip in content.all_tips()}
    for key in content.tips_by_topic():
        assert f'id="topic-{key}"' in html
    assert "physiotherapist" in html


def test_the_red_flag_page_is_open_to_everyone_and_shows_the_set_number(client: Client, settings: object) -> None:
    settings.EMERGENCY_PHONE_NUMBER = "999"  # type: ignore[attr-defined]
    html = client.get(reverse("education:red_flags")).content.decode()
    assert "Call emergency services now" in html and 'href="tel:999"' in html
    assert "Contact your neurology team today" in html
    assert "Nobody watches this diary" in html


def test_every_page_footer_links_to_the_red_flags(people: People) -> None:
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert reverse("education:red_flags") in html.split('class="site-footer"')[1]


def test_today_loads_tips_after_the_page_and_links_them_without_javascript(people: People) -> None:
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    tips_url = reverse("diary:tips", args=[people.diary.pk])
    assert f'hx-get="{tips_url}"' in html and f'href="{tips_url}"' in html


def test_high_fatigue_brings_a_pacing_tip_with_its_reason(people: People) -> None:
    log_high_fatigue(people)
    response = people.client_for("owner").get(reverse("diary:tips", args=[people.diary.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    ids = shown_tip_ids(html)
    assert 1 <= len(ids) <= 3
    assert set(ids) & {"T1", "T2", "T4", "T5"}
    assert "Because your fatigue was 7 or more out of 10 on 5 of your last 5 logged days." in html
    assert "Last reviewed" in html
    for tip_id in ids:
        for source in content.tip(tip_id).shown_sources:
            assert f'<a href="{source.url}" rel="noopener noreferrer">{escape(source.title)}</a>' in html
    assert not BARE_KEY.search(html)


def test_a_dismissed_tip_stays_away_for_a_while(people: People) -> None:
    log_high_fatigue(people)
    client = people.client_for("owner")
    tips_url = reverse("diary:tips", args=[people.diary.pk])
    first = shown_tip_ids(client.get(tips_url).content.decode())[0]
    response = client.post(
        reverse("diary:tip_feedback", args=[people.diary.pk, first, "dismissed"]), HTTP_HX_REQUEST="true"
    )
    assert "will not come back for 30 days" in response.content.decode()
    assert first not in shown_tip_ids(client.get(tips_url).content.decode())
    # Only for this person: the caregiver still sees it.
    assert first in shown_tip_ids(people.client_for("editor").get(tips_url).content.decode())
    feedback = TipFeedback.objects.get()
    feedback.on = people.diary.today() - dt.timedelta(days=31)
    feedback.save()
    assert first in shown_tip_ids(client.get(tips_url).content.decode())


def test_a_tip_can_be_saved_as_helpful(people: People) -> None:
    client = people.client_for("viewer")
    response = client.post(
        reverse("diary:tip_feedback", args=[people.diary.pk, "T14", "helpful"]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("diary:today", args=[people.diary.pk])
    assert TipFeedback.objects.get().action == "helpful"


@pytest.mark.parametrize(("tip_id", "action"), [("T99", "helpful"), ("T1", "loved")])
def test_unknown_tips_or_actions_are_not_found(people: People, tip_id: str, action: str) -> None:
    response = people.client_for("owner").post(reverse("diary:tip_feedback", args=[people.diary.pk, tip_id, action]))
    assert response.status_code == 404
    assert not TipFeedback.objects.exists()


def test_tips_query_count_does_not_grow_with_the_diary(people: People, django_assert_num_queries: object) -> None:
    log_high_fatigue(people, days=60)
    client = people.client_for("owner")
    client.get(reverse("diary:today", args=[people.diary.pk]))  # stamps the session and stores the CSRF token
    # user, membership, day entries, events, medicines added, rests, quick checks, doses,
    # dismissed tips
    with django_assert_num_queries(9):  # type: ignore[operator]
        first = client.get(reverse("diary:tips", args=[people.diary.pk]), HTTP_HX_REQUEST="true")
    # Opened again with the diary unchanged: the tips come from the cache (user, membership; the session too).
    with django_assert_num_queries(2):  # type: ignore[operator]
        again = client.get(reverse("diary:tips", args=[people.diary.pk]), HTTP_HX_REQUEST="true")
    assert shown_tip_ids(again.content.decode()) == shown_tip_ids(first.content.decode())
    # The page without JavaScript is stored apart from the htmx fragment.
    page = client.get(reverse("diary:tips", args=[people.diary.pk])).content.decode()
    assert "<html" in page and "<html" not in again.content.decode()


def test_a_change_to_the_log_changes_the_tips_at_once(people: People) -> None:
    client = people.client_for("owner")
    tips_url = reverse("diary:tips", args=[people.diary.pk])
    before = shown_tip_ids(client.get(tips_url).content.decode())
    log_high_fatigue(people)
    after = shown_tip_ids(client.get(tips_url).content.decode())
    assert after != before


def test_trends_also_loads_the_tips(people: People) -> None:
    html = people.client_for("viewer").get(reverse("diary:trends", args=[people.diary.pk])).content.decode()
    assert f'hx-get="{reverse("diary:tips", args=[people.diary.pk])}"' in html
