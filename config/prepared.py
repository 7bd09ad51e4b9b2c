"""Statements that run on every request, built and compiled by the ORM once per connection.

Building a QuerySet and compiling it to SQL is pure Python and costs far more than
running it on the few rows a request needs: `make bench` measured 0.57 ms for the
membership read of every diary page (``Membership.objects.select_related("diary")
.get(...)``) against 0.03 ms for running its SQL. A prepared statement asks the ORM
for the SQL once, with stand-in values for its parameters, and afterwards only runs
that SQL with the values of the call:

- :class:`PreparedRows`, a ``values_list()`` query: the rows, passed through the
  converters the ORM would use (dates and times come back as Python objects);
- :class:`PreparedUpdate`, ``queryset.update(**values)``: the number of rows changed;
- :class:`PreparedInsert`, one new row of a model, every column a parameter.

Parameters are ``int``, ``str``, ``datetime.date`` or ``datetime.datetime``; dates and
times are adapted for the database as the ORM adapts them. A parameter whose
stand-in does not reach the SQL unchanged is refused when the statement is first
compiled, and so is a constant that the ORM made up (an insert's default).
Statements run inside the caller's transaction, on Django's cursor. No signals are
sent, as with ``update()``. On SQLite the SQL is also turned into SQLite's own
parameter style once, and run on the driver's cursor under Django's error
translation: Django's cursor wrapper converts the SQL on every call, which cost
three times the run of a membership read (34 of 46 µs). Whenever Django counts or
wraps queries (``DEBUG``, the tests' ``CaptureQueriesContext`` and
``execute_wrapper``, the benchmark's query counts), a statement goes through
Django's cursor instead and is counted and logged like any other.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import secrets
import sqlite3
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Model, QuerySet
from django.db.models.sql import InsertQuery, UpdateQuery

_KINDS = (int, str, dt.date, dt.datetime)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class _OutOfRange(ValueError):
    """An integer parameter that no database integer column can hold (an id typed into a URL)."""


_counter = itertools.count(1)
_token = secrets.token_hex(8)


def _stand_in(kind: type, number: int) -> Any:
    """A value of ``kind`` that no call will pass and that no other stand-in equals."""
    if kind is int:
        return -(2**62) - number
    if kind is str:
        return f"\x00prepared:{number}:{_token}"
    if kind is dt.datetime:
        return dt.datetime(1, 1, 2, tzinfo=dt.UTC) + dt.timedelta(microseconds=number)
    return dt.date(1, 1, 1) + dt.timedelta(days=number)


def _adapter(kind: type, connection: BaseDatabaseWrapper) -> Callable[[Any], Any] | None:
    if kind is dt.datetime:
        return connection.ops.adapt_datetimefield_value
    if kind is dt.date:
        return connection.ops.adapt_datefield_value
    return None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    #: The SQL in the driver's own parameter style, run on the driver's cursor (SQLite), or None.
    native_sql: str | None
    #: For each SQL parameter: (parameter name, adapter) or (None, a constant of the statement).
    params: tuple[tuple[str | None, Any], ...]
    compiler: Any = None
    converters: dict[int, Any] | None = None

    def values(self, given: dict[str, Any]) -> list[Any]:
        params = []
        for name, how in self.params:
            if name is None:
                params.append(how)
            else:
                value = given[name]
                params.append(how(value) if how is not None and value is not None else value)
        return params


class _Prepared:
    #: Whether a constant of the statement (a parameter the caller does not give) is allowed.
    constants_allowed = True

    def __init__(self, build: Callable[..., Any], *, using: str = DEFAULT_DB_ALIAS, **kinds: type):
        for name, kind in kinds.items():
            if kind not in _KINDS:
                raise TypeError(f"Parameter {name!r}: only int, str, date and datetime can be prepared, not {kind!r}.")
        self._build = build
        self._kinds = kinds
        self.using = using
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _statement(self, given: dict[str, Any]) -> tuple[BaseDatabaseWrapper, _Compiled, list[Any]]:
        if given.keys() != self._kinds.keys():
            raise TypeError(f"Expected the parameters {sorted(self._kinds)}, got {sorted(given)}.")
        for name, kind in self._kinds.items():
            value = given[name]
            if kind is int and value is not None and not _INT64_MIN <= value <= _INT64_MAX:
                # SQLite cannot even bind it; the ORM answers "no such row" for such a lookup.
                raise _OutOfRange(name)
        connection = connections[self.using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compile(connection)
            with self._lock:
                self._compiled[connection] = compiled
        return connection, compiled, compiled.values(given)

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        stand_ins = {name: _stand_in(kind, next(_counter)) for name, kind in self._kinds.items()}
        adapters = {name: _adapter(kind, connection) for name, kind in self._kinds.items()}
        # What each stand-in becomes in the SQL's parameters, as the ORM adapts it.
        found = {(adapters[name](value) if adapters[name] else value): name for name, value in stand_ins.items()}
        sql, sql_params, extra = self._sql(self._build(**stand_ins), connection)
        params: list[tuple[str | None, Any]] = []
        for param in sql_params:
            name = found.get(param) if _hashable(param) else None
            if name is None and not self.constants_allowed:
                raise ValueError(f"{param!r} in the SQL is not a parameter: give every column as one.")
            params.append((name, adapters[name]) if name is not None else (None, param))
        missing = set(self._kinds) - {name for name, _how in params}
        if missing:
            raise ValueError(f"The parameters {sorted(missing)} do not reach the SQL unchanged; prepare another query.")
        return _Compiled(sql, _native_sql(sql, connection), tuple(params), **extra)

    def _sql(self, built: Any, connection: BaseDatabaseWrapper) -> tuple[str, Any, dict[str, Any]]:
        raise NotImplementedError


def _native_sql(sql: str, connection: BaseDatabaseWrapper) -> str | None:
    if connection.vendor != "sqlite":
        return None
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def queries_watched(connection: BaseDatabaseWrapper) -> bool:
    """Whether Django counts, logs or wraps the connection's queries (DEBUG, the tests, the benchmark's
    counts): then every statement must go through Django's cursor."""
    return connection.queries_logged or bool(connection.execute_wrappers)


def _run(connection: BaseDatabaseWrapper, compiled: _Compiled, params: list[Any], read: Callable[[Any], Any]) -> Any:
    """Run the statement and ``read`` its result from the cursor, inside the caller's transaction."""
    with connection.cursor() as cursor:
        if compiled.native_sql is None or queries_watched(connection):
            # Counted, logged and wrapped like any query.
            cursor.execute(compiled.sql, params)
            return read(cursor)
        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors:
            # sqlite3's own execute: the wrapper's would convert the SQL again.
            sqlite3.Cursor.execute(cursor.cursor, compiled.native_sql, params)
            return read(cursor.cursor)


_fetchall = operator.methodcaller("fetchall")
_rowcount = operator.attrgetter("rowcount")


def _nothing(cursor: Any) -> None:
    return None


class PreparedRows(_Prepared):
    """A ``values_list()`` query compiled once per database connection; each call runs only its SQL.

    ``build`` receives the parameters by name and returns the QuerySet; the keyword
    arguments name each parameter with its type::

        MEMBERS = PreparedRows(
            lambda diary_id, role: Membership.objects.filter(diary_id=diary_id, role=role).values_list("user_id"),
            diary_id=int,
            role=str,
        )
        MEMBERS(diary_id=1, role="owner")  # -> [(2,)]
    """

    def __call__(self, **given: Any) -> list[tuple[Any, ...]]:
        """The rows; none when an integer parameter is beyond any integer column (as the ORM answers)."""
        try:
            connection, compiled, params = self._statement(given)
        except _OutOfRange:
            return []
        rows = _run(connection, compiled, params, _fetchall)
        if compiled.converters:
            rows = [tuple(row) for row in compiled.compiler.apply_converters(map(list, rows), compiled.converters)]
        return rows

    def _sql(self, built: Any, connection: BaseDatabaseWrapper) -> tuple[str, Any, dict[str, Any]]:
        if not isinstance(built, QuerySet) or built._iterable_class.__name__ != "ValuesListIterable":
            raise TypeError("PreparedRows takes a values_list() query with its fields named.")
        compiler = built.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        fields = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
        return sql, params, {"compiler": compiler, "converters": compiler.get_converters(fields)}


class PreparedUpdate(_Prepared):
    """``queryset.update(**values)`` compiled once: ``build`` returns ``(queryset, values)``.

    Only a query on the model's own table (no joins, no parent models); the call
    returns the number of rows changed.
    """

    def __call__(self, **given: Any) -> int:
        """The number of rows changed; none when an integer parameter is beyond any integer column."""
        try:
            connection, compiled, params = self._statement(given)
        except _OutOfRange:
            return 0
        return _run(connection, compiled, params, _rowcount)

    def _sql(self, built: Any, connection: BaseDatabaseWrapper) -> tuple[str, Any, dict[str, Any]]:
        queryset, values = built
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        if query.related_updates or query.count_active_tables() > 1:
            raise TypeError("PreparedUpdate takes an update of one table only.")
        sql, params = query.get_compiler(connection=connection).as_sql()
        return sql, params, {}


class PreparedInsert(_Prepared):
    """One new row: ``build`` returns an unsaved model instance, every column given as a parameter.

    No primary key is read back (the call returns nothing) and no signal is sent.
    """

    constants_allowed = False

    def __call__(self, **given: Any) -> None:
        connection, compiled, params = self._statement(given)
        _run(connection, compiled, params, _nothing)

    def _sql(self, built: Any, connection: BaseDatabaseWrapper) -> tuple[str, Any, dict[str, Any]]:
        if not isinstance(built, Model) or built.pk is not None:
            raise TypeError("PreparedInsert takes an unsaved model instance without a primary key.")
        meta = built._meta
        fields = [field for field in meta.local_concrete_fields if not field.primary_key and not field.generated]
        query = InsertQuery(built.__class__)
        query.insert_values(fields, [built])
        statements = query.get_compiler(connection=connection).as_sql()
        if len(statements) != 1:
            raise TypeError("PreparedInsert takes a model whose insert is one statement.")
        sql, params = statements[0]
        return sql, params, {}


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True
