"""Sharing: caregivers with their own login, roles, removal, ownership, clinician links, activity log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diary.models import ActivityEntry, ClinicianLink, Invitation, Membership, Role
from tests.conftest import PASSWORD, People, make_user


def owner_with_fresh_sign_in(people: People) -> Client:
    client = people.client_for("owner")
    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    return client


def sharing_url(people: People) -> str:
    return reverse("diary:sharing", args=[people.diary.pk])


def invite(people: People, role: str = "editor", email: str = "") -> str:
    response = owner_with_fresh_sign_in(people).post(
        sharing_url(people), {"action": "invite", "role": role, "email": email}
    )
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/invite/[^"]+/)"', response.content.decode())
    assert match, "the invitation link is shown once"
    return match.group(1).removeprefix("http://testserver")


def test_the_sharing_page_asks_for_the_password_again(people: People) -> None:
    response = people.client_for("owner").get(sharing_url(people))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert owner_with_fresh_sign_in(people).get(sharing_url(people)).status_code == 200


def test_a_caregiver_accepts_an_invitation_with_their_own_account(people: People) -> None:
    link = invite(people, role="viewer")
    caregiver = make_user("new.carer@example.com", "Nina")
    client = Client()
    client.force_login(caregiver)
    page = client.get(link)
    assert "Share the diary of Pat Patient" in page.content.decode()
    response = client.post(link)
    assert response["Location"] == reverse("diary:today", args=[people.diary.pk])
    assert Membership.objects.get(diary=people.diary, user=caregiver).role == Role.VIEWER
    # It works once.
    other = Client()
    other.force_login(make_user("third@example.com"))
    again = other.post(link)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()


def test_tokens_are_long_random_and_stored_only_hashed(people: People) -> None:
    link = invite(people)
    token = link.split("/")[2]
    assert len(token) >= 40
    stored = Invitation.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


@pytest.mark.parametrize("how", ["expired", "withdrawn", "forged"])
def test_expired_withdrawn_and_forged_invitations_are_refused(people: People, how: str) -> None:
    link = invite(people)
    invitation = Invitation.objects.get()
    if how == "expired":
        invitation.expires_at = timezone.now() - dt.timedelta(seconds=1)
        invitation.save()
    elif how == "withdrawn":
        response = owner_with_fresh_sign_in(people).post(
            sharing_url(people), {"action": "withdraw", "invitation": invitation.pk}
        )
        assert response.status_code == 302
    else:
        link = link[:-5] + "AAAA/"
    client = Client()
    user = make_user("late@example.com")
    client.force_login(user)
    response = client.post(link)
    assert response.status_code == 410
    assert {"expired": "expired", "withdrawn": "withdrawn", "forged": "not valid"}[how] in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_an_invitation_for_another_email_is_refused_to_the_wrong_account(people: People) -> None:
    link = invite(people, email="right@example.com")
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    wrong = Client()
    wrong.force_login(make_user("wrong@example.com"))
    response = wrong.post(link)
    assert response.status_code == 400
    assert "another email address" in response.content.decode()
    right = Client()
    right.force_login(make_user("Right@Example.com"))
    assert right.post(link).status_code == 302


def test_an_anonymous_visitor_is_asked_to_sign_in_first(people: People) -> None:
    link = invite(people)
    response = Client().get(link)
    assert response["Location"].startswith(reverse("account_login"))


def test_removal_takes_effect_on_the_very_next_request(people: People) -> None:
    editor = people.client_for("editor")
    today = reverse("diary:today", args=[people.diary.pk])
    assert editor.get(today).status_code == 200
    membership = Membership.objects.get(diary=people.diary, user=people.editor)
    owner_with_fresh_sign_in(people).post(sharing_url(people), {"action": "remove", "membership": membership.pk})
    assert editor.get(today).status_code == 404


def test_the_owner_changes_a_role(people: People) -> None:
    membership = Membership.objects.get(diary=people.diary, user=people.editor)
    owner_with_fresh_sign_in(people).post(
        sharing_url(people), {"action": "role", "membership": membership.pk, "role": "viewer"}
    )
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    field_url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    assert people.client_for("editor").post(field_url, {"fatigue": "3"}).status_code == 403


def test_the_last_owner_cannot_leave_or_demote_themselves(people: People) -> None:
    response = people.client_for("owner").post(reverse("diary:leave", args=[people.diary.pk]), follow=True)
    assert "only owner" in response.content.decode()
    assert Membership.objects.filter(diary=people.diary, role=Role.OWNER).count() == 1
    own = Membership.objects.get(diary=people.diary, user=people.owner)
    response = owner_with_fresh_sign_in(people).post(sharing_url(people), {"action": "remove", "membership": own.pk})
    assert response.status_code == 400
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_caregiver_may_leave(people: People) -> None:
    people.client_for("viewer").post(reverse("diary:leave", args=[people.diary.pk]))
    assert not Membership.objects.filter(diary=people.diary, user=people.viewer).exists()


def test_ownership_can_be_handed_over(people: People) -> None:
    target = Membership.objects.get(diary=people.diary, user=people.editor)
    owner_with_fresh_sign_in(people).post(sharing_url(people), {"action": "make_owner", "membership": target.pk})
    roles = dict(Membership.objects.filter(diary=people.diary).values_list("user__email", "role"))
    assert roles["carer@example.com"] == Role.OWNER
    assert roles["patient@example.com"] == Role.EDITOR
    assert people.client_for("owner").get(reverse("diary:activity", args=[people.diary.pk])).status_code == 403


def test_a_member_of_another_diary_cannot_be_changed_from_this_one(people: People) -> None:
    theirs = Membership.objects.get(diary=people.stranger_diary)
    response = owner_with_fresh_sign_in(people).post(
        sharing_url(people), {"action": "role", "membership": theirs.pk, "role": "viewer"}
    )
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.role == Role.OWNER


def test_clinician_links_open_read_only_expire_and_can_be_revoked(people: People) -> None:
    response = owner_with_fresh_sign_in(people).post(
        sharing_url(people), {"action": "link", "label": "Dr Okafor", "days": "14"}
    )
    link = re.search(r'value="http://testserver(/shared/[^"]+/)"', response.content.decode()).group(1)  # type: ignore[union-attr]
    stored = ClinicianLink.objects.get()
    assert stored.expires_at.date() == (timezone.now() + dt.timedelta(days=14)).date()
    page = Client().get(link)
    assert page.status_code == 200 and "Diary summary: Pat Patient" in page.content.decode()
    assert ActivityEntry.objects.filter(actor="Clinician link: Dr Okafor", action="viewed").count() == 1
    owner_with_fresh_sign_in(people).post(sharing_url(people), {"action": "revoke", "link": stored.pk})
    assert Client().get(link).status_code == 404
    stored.revoked_at = None
    stored.expires_at = timezone.now() - dt.timedelta(minutes=1)
    stored.save()
    assert Client().get(link).status_code == 404
    assert Client().get("/shared/forged-token-value/").status_code == 404


def test_bad_link_lengths_are_refused_with_a_message(people: People) -> None:
    response = owner_with_fresh_sign_in(people).post(sharing_url(people), {"action": "link", "days": "365"})
    assert response.status_code == 400
    assert not ClinicianLink.objects.exists()


def test_the_activity_log_records_caregiver_views_and_changes_without_health_content(people: People) -> None:
    people.client_for("viewer").get(reverse("diary:today", args=[people.diary.pk]))
    field_url = reverse("diary:day_field", args=[people.diary.pk, people.diary.today().isoformat(), "fatigue"])
    people.client_for("editor").post(field_url, {"fatigue": "9"}, HTTP_HX_REQUEST="true")
    people.client_for("owner").get(
        reverse("diary:today", args=[people.diary.pk])
    )  # the owner's own reads are not logged
    entries = list(ActivityEntry.objects.order_by("at").values_list("actor", "action", "what"))
    assert entries == [("Vic", "viewed", "Today"), ("Carla", "logged", "a rating")]
    owner = people.client_for("owner")
    html = owner.get(reverse("diary:activity", args=[people.diary.pk])).content.decode()
    assert "Vic viewed Today" in html and "Carla logged or changed a rating" in html
    assert "9" not in re.sub(
        r"<[^>]+>|\d{1,2}:\d{2}|\d+ \w{3}", "", html.split('class="timeline"')[1].split("</ul>")[0]
    )
    filtered = owner.get(
        reverse("diary:activity", args=[people.diary.pk]), {"person": people.viewer.pk}
    ).content.decode()
    assert "Vic viewed Today" in filtered and "Carla" not in filtered.split('class="timeline"')[1]


def test_what_a_caregiver_logs_shows_their_name(people: People) -> None:
    people.client_for("editor").post(
        reverse("diary:quick_check", args=[people.diary.pk]),
        {"token": "8f8a3f5e-0d7c-4a38-9a54-2f6f4d0f1a11", "strength": "5", "fatigue": "5"},
    )
    html = people.client_for("owner").get(reverse("diary:today", args=[people.diary.pk])).content.decode()
    assert "logged by Carla" in html


def test_the_activity_log_has_one_index_per_way_it_is_read(people: People) -> None:
    # Every tap and every caregiver's view writes an entry; each index is a page more to write.
    table = ActivityEntry._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = sorted(
        tuple(info["columns"]) for info in constraints.values() if info["index"] and not info["primary_key"]
    )
    assert indexes == [("diary_id", "at"), ("user_id",)]
