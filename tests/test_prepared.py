"""config.prepared: a values_list() read compiled once gives what the ORM gives, for any values."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.prepared import PreparedInsert, PreparedRows, PreparedUpdate
from diary.access import membership_with_diary
from diary.activity import _ENTRY_INSERT
from diary.models import ActivityEntry, DayEntry, Diary, Membership, Role
from tests.conftest import People

MEMBERS = PreparedRows(
    lambda diary_id, role: (
        Membership.objects.filter(diary_id=diary_id, role=role)
        .order_by("user__email")
        .values_list("user__email", "role", "created_at")
    ),
    diary_id=int,
    role=str,
)

# Every column a parameter: the entry every tap writes (tested as it ships).
ADD_ENTRY = _ENTRY_INSERT


def orm_members(diary_id: int, role: str) -> list[tuple[object, ...]]:
    return list(
        Membership.objects.filter(diary_id=diary_id, role=role)
        .order_by("user__email")
        .values_list("user__email", "role", "created_at")
    )


def test_the_rows_are_the_orms_for_every_call(people: People) -> None:
    for diary in (people.diary, people.stranger_diary):
        for role in Role.values:
            assert MEMBERS(diary_id=diary.pk, role=role) == orm_members(diary.pk, role)
    owners = MEMBERS(diary_id=people.diary.pk, role=Role.OWNER)
    assert [email for email, _role, _created in owners] == [people.owner.email]
    # Converted as the ORM converts: an aware datetime, not the database's text.
    assert isinstance(owners[0][2], dt.datetime) and owners[0][2].tzinfo is not None
    assert MEMBERS(diary_id=people.diary.pk, role="nobody") == []


def test_each_call_is_one_query_and_counted(people: People) -> None:
    MEMBERS(diary_id=people.diary.pk, role=Role.EDITOR)  # compiled here
    with CaptureQueriesContext(connection) as queries:
        MEMBERS(diary_id=people.diary.pk, role=Role.EDITOR)
        MEMBERS(diary_id=people.stranger_diary.pk, role=Role.OWNER)
    assert len(queries) == 2


def test_uncounted_runs_give_the_same_rows_and_wrappers_see_every_statement(people: People) -> None:
    # Uncounted, SQLite's statements skip Django's cursor wrapper; counted or wrapped, they go through it.
    plain = MEMBERS(diary_id=people.diary.pk, role=Role.OWNER)
    with CaptureQueriesContext(connection):
        counted = MEMBERS(diary_id=people.diary.pk, role=Role.OWNER)
    seen: list[str] = []

    def watch(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        wrapped = MEMBERS(diary_id=people.diary.pk, role=Role.OWNER)
        ADD_ENTRY(
            diary_id=people.diary.pk, user_id=None, actor="Link", action="viewed", what="Trends", at=timezone.now()
        )
    assert plain == counted == wrapped == orm_members(people.diary.pk, Role.OWNER)
    assert len(seen) == 2 and "diary_activityentry" in seen[1]


def test_a_database_error_is_djangos_and_a_broken_transaction_refuses_the_next_statement(people: People) -> None:
    with transaction.atomic():
        with pytest.raises(IntegrityError), transaction.atomic(savepoint=False):  # Django's, not the driver's
            ADD_ENTRY(diary_id=people.diary.pk, user_id=None, actor=None, action="x", what="y", at=timezone.now())
        with pytest.raises(TransactionManagementError):
            MEMBERS(diary_id=people.diary.pk, role=Role.OWNER)
        transaction.set_rollback(True)
    assert MEMBERS(diary_id=people.diary.pk, role=Role.OWNER) == orm_members(people.diary.pk, Role.OWNER)


def test_a_constant_of_the_query_stays_and_a_parameter_may_repeat(people: People) -> None:
    both = PreparedRows(
        lambda pk: Diary.objects.filter(pk=pk, memberships__diary_id=pk, memberships__role=Role.OWNER).values_list(
            "patient_name"
        ),
        pk=int,
    )
    assert both(pk=people.diary.pk) == [(people.diary.patient_name,)]
    assert both(pk=people.stranger_diary.pk) == [(people.stranger_diary.patient_name,)]


@pytest.mark.django_db(transaction=True)
def test_another_thread_compiles_for_its_own_connection(people: People) -> None:
    expected = orm_members(people.diary.pk, Role.VIEWER)
    assert expected and MEMBERS(diary_id=people.diary.pk, role=Role.VIEWER) == expected
    outcome: list[object] = []

    def read() -> None:
        try:
            outcome.append(MEMBERS(diary_id=people.diary.pk, role=Role.VIEWER))
            outcome.append(connections["default"] is not connection)
        except Exception as error:  # reported below, in the test's thread
            outcome.append(error)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    assert outcome == [expected, True]


def test_what_cannot_be_prepared_is_refused() -> None:
    with pytest.raises(TypeError, match="only int, str, date and datetime"):
        PreparedRows(lambda amount: Diary.objects.filter(pk=amount).values_list("pk"), amount=float)
    whole = PreparedRows(lambda pk: Diary.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="values_list"):
        whole(pk=1)
    with pytest.raises(TypeError, match="Expected the parameters"):
        MEMBERS(diary_id=1)


@pytest.mark.django_db
def test_a_parameter_the_database_changes_is_refused() -> None:
    # An integer compared with text goes to the SQL as text: the stand-in is not found there.
    lossy = PreparedRows(lambda name: Diary.objects.filter(patient_name=name).values_list("pk"), name=int)
    with pytest.raises(ValueError, match="do not reach the SQL unchanged"):
        lossy(name=3)


def test_membership_with_diary_is_the_orms_membership(people: People) -> None:
    for user in (people.owner, people.editor, people.viewer):
        prepared = membership_with_diary(diary_id=people.diary.pk, user_id=user.pk)
        orm = Membership.objects.select_related("diary").get(diary=people.diary, user=user)
        assert prepared is not None
        for field in Membership._meta.concrete_fields:
            assert getattr(prepared, field.attname) == getattr(orm, field.attname)
        for field in Diary._meta.concrete_fields:
            assert getattr(prepared.diary, field.attname) == getattr(orm.diary, field.attname)
        assert not prepared._state.adding and prepared.diary._state.db == "default"
    assert membership_with_diary(diary_id=people.diary.pk, user_id=people.stranger.pk) is None
    with CaptureQueriesContext(connection) as queries:
        membership = membership_with_diary(diary_id=people.diary.pk, user_id=people.owner.pk)
        assert membership is not None and membership.diary.patient_name == people.diary.patient_name
    assert len(queries) == 1  # the diary came with the membership


def test_a_date_and_a_datetime_are_adapted_as_the_orm_adapts_them(people: People) -> None:
    days = PreparedRows(
        lambda diary_id, day, since: (
            DayEntry.objects.filter(diary_id=diary_id, date__gte=day, created_at__gte=since)
            .order_by("date")
            .values_list("date", "fatigue")
        ),
        diary_id=int,
        day=dt.date,
        since=dt.datetime,
    )
    start = dt.date(2026, 3, 1)
    for offset in range(4):
        DayEntry.objects.create(diary=people.diary, date=start + dt.timedelta(days=offset), fatigue=offset)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    assert days(diary_id=people.diary.pk, day=dt.date(2026, 3, 3), since=an_hour_ago) == [
        (dt.date(2026, 3, 3), 2),
        (dt.date(2026, 3, 4), 3),
    ]
    assert days(diary_id=people.diary.pk, day=start, since=timezone.now() + dt.timedelta(hours=1)) == []


def test_an_update_changes_the_rows_its_values_choose(people: People) -> None:
    rate = PreparedUpdate(
        lambda diary_id, day, value, at: (
            DayEntry.objects.filter(diary_id=diary_id, date=day),
            {"fatigue": value, "updated_at": at},
        ),
        diary_id=int,
        day=dt.date,
        value=int,
        at=dt.datetime,
    )
    first, second = dt.date(2026, 3, 1), dt.date(2026, 3, 2)
    for day in (first, second):
        DayEntry.objects.create(diary=people.diary, date=day, fatigue=1)
    moment = timezone.now().replace(microsecond=0) - dt.timedelta(days=1)
    assert rate(diary_id=people.diary.pk, day=second, value=3, at=moment) == 1
    assert rate(diary_id=people.stranger_diary.pk, day=second, value=3, at=moment) == 0
    assert rate(diary_id=people.diary.pk, day=first, value=None, at=moment) == 1
    rows = dict(DayEntry.objects.filter(diary=people.diary).values_list("date", "fatigue"))
    assert rows == {first: None, second: 3}
    assert DayEntry.objects.get(diary=people.diary, date=second).updated_at == moment
    joined = PreparedUpdate(
        lambda role: (Diary.objects.filter(memberships__role=role), {"patient_name": "x"}), role=str
    )
    with pytest.raises(TypeError, match="one table"):
        joined(role=Role.OWNER)


def test_an_insert_adds_one_row_with_the_calls_values(people: People) -> None:
    add = PreparedInsert(
        lambda diary_id, user_id, what, at: ActivityEntry(
            diary_id=diary_id, user_id=user_id, actor="Pat", action="logged", what=what, at=at
        ),
        diary_id=int,
        user_id=int,
        what=str,
        at=dt.datetime,
    )
    with pytest.raises(ValueError, match="not a parameter"):  # "Pat" and "logged" are constants
        add(diary_id=people.diary.pk, user_id=people.owner.pk, what="a rating", at=timezone.now())
    moment = timezone.now().replace(microsecond=0)
    ADD_ENTRY(
        diary_id=people.diary.pk, user_id=people.owner.pk, actor="Pat", action="logged", what="a rating", at=moment
    )
    ADD_ENTRY(diary_id=people.diary.pk, user_id=None, actor="Link", action="viewed", what="Trends", at=moment)
    rows = sorted(
        ActivityEntry.objects.filter(diary=people.diary).values_list("user_id", "actor", "action", "what", "at"),
        key=str,
    )
    assert rows == sorted(
        [
            (people.owner.pk, "Pat", "logged", "a rating", moment),
            (None, "Link", "viewed", "Trends", moment),
        ],
        key=str,
    )


def test_an_integer_no_column_can_hold_matches_nothing(people: People) -> None:
    # As the ORM answers a primary key lookup; on SQLite it raises OverflowError for a foreign key.
    huge = 10**30
    assert list(Diary.objects.filter(pk=huge)) == []
    assert MEMBERS(diary_id=huge, role=Role.OWNER) == []
    assert membership_with_diary(diary_id=-huge, user_id=people.owner.pk) is None
    touch = PreparedUpdate(lambda pk: (Diary.objects.filter(pk=pk), {"patient_name": "x"}), pk=int)
    assert touch(pk=huge) == 0
    with pytest.raises(ValueError):
        ADD_ENTRY(diary_id=huge, user_id=None, actor="Pat", action="logged", what="x", at=timezone.now())


def test_a_diary_id_too_large_for_the_database_is_not_found(people: People) -> None:
    client = people.client_for("owner")
    for path in ("/d/99999999999999999999999/today/", "/d/99999999999999999999999/trends/"):
        assert client.get(path).status_code == 404
    response = client.post(f"/d/{10**25}/day/2026-11-20/field/fatigue/", {"fatigue": 2}, headers={"HX-Request": "true"})
    assert response.status_code == 404
