"""All of a diary's data out (JSON and CSV), and back in as a new diary (docs/security.md, "Data in and out").

The format is described in docs/export-format.md. The JSON document is the one
that can be imported: into a new, empty diary that the importing person owns, in
one transaction, so a file is either imported whole or not at all. The CSV zip is
for reading in a spreadsheet.

Fields are exported by name from the models (everything the person or their
caregivers entered, and when); the record's id in the file is its id on the
server that made it, used only to link records inside the file. Who entered a
record is not carried over: accounts do not move between servers, so the
importing person becomes the one who entered every record.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from diary.models import (
    DataImport,
    DayEntry,
    Diary,
    DoseLog,
    Event,
    Medication,
    QuickCheck,
    RedFlagPrompt,
    RestPeriod,
    SideEffect,
    TreatmentSession,
    VisitQuestion,
    WeeklyEntry,
    validate_time_zone,
)
from diary.services import diary_create

FORMAT = "lems-diary-export"
FORMAT_VERSION = 2
#: Larger files are refused before they are read (six years of a busy diary is about 15 MB).
MAX_IMPORT_BYTES = 50 * 1024 * 1024
#: Fields that are not data: the row's own id (exported as "id"), its diary, and who entered it.
NOT_EXPORTED = {"id", "diary", "created_by", "updated_by", "shown_to"}
#: A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Kind:
    """One kind of record: its key in the file, its model, and its links to other kinds."""

    key: str
    model: type[models.Model]
    #: field name -> the key of the kind it points to.
    links: dict[str, str]
    #: The format version that added this kind.
    since: int = 1


#: In the order they are imported: a record's links point to kinds before it (or to itself).
KINDS: tuple[Kind, ...] = (
    Kind("day_entries", DayEntry, {}),
    Kind("quick_checks", QuickCheck, {}),
    Kind("medications", Medication, {"previous": "medications"}),
    Kind("dose_logs", DoseLog, {"medication": "medications"}),
    Kind("side_effects", SideEffect, {"dose": "dose_logs"}),
    Kind("rest_periods", RestPeriod, {}),
    Kind("treatment_sessions", TreatmentSession, {}),
    Kind("events", Event, {}),
    Kind("visit_questions", VisitQuestion, {}),
    Kind("weekly_entries", WeeklyEntry, {}, since=2),
    Kind("red_flag_prompts", RedFlagPrompt, {}, since=2),
)
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}
#: Kinds whose rows carry a random token: the same token in another diary means the same record.
TOKEN_KINDS = ("quick_checks", "dose_logs", "rest_periods", "events")


def data_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    # Django's documented field API: the fields with a column of their own, in declaration order.
    return [f for f in model._meta.get_fields() if f.concrete and f.name not in NOT_EXPORTED]  # type: ignore[misc]


def field_key(field: models.Field[Any, Any]) -> str:
    """The name in the file: a link is named after the field ("medication"), not its column."""
    return field.name


# --- out ----------------------------------------------------------------------------------------


def _value_out(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _rows(diary: Diary, kind: Kind) -> list[dict[str, Any]]:
    fields = data_fields(kind.model)
    names = ["pk", *(f.attname for f in fields)]
    rows = []
    for values in kind.model.objects.filter(diary=diary).order_by("pk").values_list(*names):  # type: ignore[attr-defined]
        record: dict[str, Any] = {"id": values[0]}
        for field, value in zip(fields, values[1:], strict=True):
            record[field_key(field)] = _value_out(field, value)
        rows.append(record)
    return rows


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def checksum(diary_data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(diary_data)).hexdigest()


def export_data(*, diary: Diary) -> dict[str, Any]:
    """The whole diary as one JSON-ready document (one query per kind of record)."""
    section: dict[str, Any] = {
        "patient_name": diary.patient_name,
        "time_zone": diary.time_zone,
        "created_at": _value_out(Diary._meta.get_field("created_at"), diary.created_at),
    }
    for kind in KINDS:
        section[kind.key] = _rows(diary, kind)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _value_out(Diary._meta.get_field("created_at"), timezone.now()),
        "counts": {kind.key: len(section[kind.key]) for kind in KINDS},
        "checksum": checksum(section),
        "diary": section,
    }


def export_json(*, diary: Diary) -> bytes:
    return json.dumps(export_data(diary=diary), ensure_ascii=False, indent=1).encode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value)
    # A note such as "=HYPERLINK(...)" must stay text when the file is opened in a spreadsheet.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # With a byte-order mark, spreadsheets read the file as UTF-8 (names with accents stay right).
    return ("\ufeff" + buffer.getvalue()).encode()


def export_csv_zip(*, diary: Diary) -> bytes:
    """One CSV file per kind of record, with the same columns as the JSON records, in a zip."""
    data = export_data(diary=diary)
    section = data["diary"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "diary.csv",
            _csv(
                ["patient_name", "time_zone", "created_at", "format", "format_version", "exported_at"],
                [
                    [
                        section["patient_name"],
                        section["time_zone"],
                        section["created_at"],
                        FORMAT,
                        FORMAT_VERSION,
                        data["exported_at"],
                    ]
                ],
            ),
        )
        for kind in KINDS:
            header = ["id", *(field_key(f) for f in data_fields(kind.model))]
            archive.writestr(f"{kind.key}.csv", _csv(header, ([r[h] for h in header] for r in section[kind.key])))
    return out.getvalue()


# --- in ------------------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file cannot be imported; the message says why, for the person."""


@dataclass(frozen=True)
class ImportResult:
    diary: Diary
    counts: dict[str, int]


def _parse(raw: bytes) -> dict[str, Any]:
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportRefused(_("The file is too large to be a diary export (more than 50 MB)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(_("This file is not a diary export from this app.")) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        # Cut short, the text breaks off at its end: JSON names the start of the string or the word
        # ("nu" of null, "fals" of false) that was cut.
        at_the_end = error.pos >= len(text.rstrip()) - len("false") or error.msg.startswith("Unterminated string")
        if FORMAT in text[:2000] and at_the_end:
            raise ImportRefused(
                _("The file is incomplete: it ends too early, perhaps cut off while copying. Export it again.")
            ) from None
        if FORMAT in text[:2000]:
            raise ImportRefused(
                _("The file is damaged: it is a diary export, but parts of it cannot be read.")
            ) from None
        raise ImportRefused(_("This file is not a diary export from this app.")) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(_("This file is not a diary export from this app."))
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportRefused(_("This file is not a diary export from this app."))
    if version > FORMAT_VERSION:
        raise ImportRefused(
            _(
                "This file was made by a newer version of the diary (format %(version)d; this server reads "
                "format %(ours)d). Update this server, or export again from a server of the same version."
            )
            % {"version": version, "ours": FORMAT_VERSION}
        )
    section = data.get("diary")
    counts = data.get("counts")
    if not isinstance(section, dict) or not isinstance(counts, dict):
        raise ImportRefused(_("The file is incomplete: part of the diary is missing."))
    for kind in KINDS:
        if kind.since > version:
            continue
        rows = section.get(kind.key)
        if not isinstance(rows, list) or counts.get(kind.key) != len(rows):
            raise ImportRefused(_("The file is incomplete: some records are missing. Export it again."))
    if data.get("checksum") != checksum(section):
        raise ImportRefused(
            _("The file has been changed or damaged since it was exported (its checksum does not match).")
        )
    _upgrade(section, version)
    return data


#: Fields added after format 1, each read as "not answered" from an older file.
ADDED_IN_2: dict[str, tuple[str, ...]] = {
    "day_entries": ("cough_too_weak", "ivig_headache"),
    "events": ("cleared_by_itself", "cough_too_weak", "coughing_blood", "scan_type", "result"),
    "visit_questions": ("suggestion_key", "suggested", "dismissed_at"),
}


def _upgrade(section: dict[str, Any], version: int) -> None:
    """Read an older file as if it had today's fields and kinds, empty (it is checked afterwards
    like any other file)."""
    if version >= 2:
        return
    for kind in KINDS:
        rows = section.setdefault(kind.key, [])
        fields = {field_key(f): f for f in data_fields(kind.model)}
        for row in rows:
            if not isinstance(row, dict):
                continue
            for name in ADDED_IN_2.get(kind.key, ()):
                field = fields[name]
                if name not in row:
                    row[name] = _value_out(field, field.get_default()) if field.has_default() else _empty(field)


def _empty(field: models.Field[Any, Any]) -> Any:
    return None if field.null else ""


def _refuse_duplicates(section: dict[str, Any], digest: str, user: User) -> None:
    """Refuse data that are already in a diary this person can open (the same file, or the same records)."""
    mine = Diary.objects.filter(memberships__user=user)
    earlier = DataImport.objects.filter(checksum=digest, diary__in=mine).select_related("diary").first()
    if earlier is not None:
        raise ImportRefused(
            _("This file has already been imported: its data are in the diary of %(name)s.")
            % {"name": earlier.diary.patient_name}
        )
    for key in TOKEN_KINDS:
        tokens = [row.get("client_token") for row in section[key] if isinstance(row, dict)]
        tokens = [t for t in tokens if isinstance(t, str)]
        if not tokens:
            continue
        model = KINDS_BY_KEY[key].model
        for start in range(0, len(tokens), 500):
            found = (
                model.objects.filter(diary__in=mine, client_token__in=tokens[start : start + 500])  # type: ignore[attr-defined]
                .select_related("diary")
                .first()
            )
            if found is not None:
                raise ImportRefused(
                    _("These data are already in the diary of %(name)s: importing them again would duplicate them.")
                    % {"name": found.diary.patient_name}
                )


def _json_type_fits(field: models.Field[Any, Any], raw: Any) -> bool:
    """The JSON type the export writes for this field (or null), so nothing is silently converted."""
    if raw is None:
        return True
    if isinstance(field, models.BooleanField):
        return isinstance(raw, bool)
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return isinstance(raw, int) and not isinstance(raw, bool)
    if isinstance(field, models.JSONField):
        return isinstance(raw, list)
    # Text, choices, dates, times, decimals and tokens are all written as strings.
    return isinstance(raw, str)


def _valid_times(times: Any) -> bool:
    if not isinstance(times, list) or len(times) > 24:
        return False
    for value in times:
        if not isinstance(value, str) or len(value) != 5:
            return False
        try:
            dt.time.fromisoformat(value)
        except ValueError:
            return False
    return True


def _build(kind: Kind, row: Any, *, diary: Diary, user: User, ids: dict[str, dict[int, Any]]) -> models.Model:
    """One unsaved record from the file, every field converted and checked as a form would."""
    if not isinstance(row, dict):
        raise ImportRefused(_("The file is damaged: a record is not in the expected form."))
    fields = data_fields(kind.model)
    expected = {"id", *(field_key(f) for f in fields)}
    if set(row) != expected or not isinstance(row["id"], int) or isinstance(row["id"], bool):
        raise ImportRefused(_("The file is damaged: a record does not have the expected fields."))
    values: dict[str, Any] = {}
    for field in fields:
        raw = row[field_key(field)]
        if field.name in kind.links:
            if raw is None:
                values[field.name] = None
                continue
            target = ids[kind.links[field.name]].get(raw) if isinstance(raw, int) else None
            if target is None and field.name != "previous":
                raise ImportRefused(_("The file is damaged: a record points to one that is not in the file."))
            values[field.name] = target
            continue
        if not _json_type_fits(field, raw):
            raise ImportRefused(_("The file is damaged: a value is not of the expected type."))
        try:
            value = field.to_python(raw)
        except ValidationError:
            raise ImportRefused(_("The file is damaged: a value cannot be read.")) from None
        if isinstance(value, dt.datetime) and timezone.is_naive(value):
            raise ImportRefused(_("The file is damaged: a time has no time zone."))
        values[field.name] = value
    if kind.model is Medication and not _valid_times(values.get("times")):
        raise ImportRefused(_("The file is damaged: a medicine's times of day cannot be read."))
    if "previous" in values:
        values["previous"] = None  # linked after every medication exists
    record = kind.model(diary=diary, **values)
    if hasattr(record, "created_by_id"):
        record.created_by = user  # type: ignore[attr-defined]
        record.updated_by = user  # type: ignore[attr-defined]
    try:
        record.clean_fields(exclude=["diary", "created_by", "updated_by", *kind.links])
    except ValidationError as error:
        names = ", ".join(sorted(error.message_dict))
        raise ImportRefused(
            _("The file holds values this diary cannot store (%(fields)s in %(kind)s).")
            % {"fields": names, "kind": kind.key}
        ) from None
    return record


def import_json(*, raw: bytes, user: User) -> ImportResult:
    """Make a new diary, owned by ``user``, holding exactly the file's data; all or nothing."""
    data = _parse(raw)
    section = data["diary"]
    name, zone = section.get("patient_name"), section.get("time_zone")
    if not isinstance(name, str) or not name.strip() or len(name) > 100 or not isinstance(zone, str):
        raise ImportRefused(_("The file is damaged: the diary's name or time zone is missing."))
    try:
        validate_time_zone(zone)
    except ValidationError:
        raise ImportRefused(_("The file names a time zone this server does not know.")) from None
    digest = data["checksum"]
    _refuse_duplicates(section, digest, user)
    try:
        with transaction.atomic():
            diary = diary_create(owner=user, patient_name=name, time_zone=zone)
            created = Diary._meta.get_field("created_at").to_python(section.get("created_at"))
            if created is not None:
                Diary.objects.filter(pk=diary.pk).update(created_at=created)
                diary.created_at = created
            ids: dict[str, dict[int, Any]] = {kind.key: {} for kind in KINDS}
            for kind in KINDS:
                rows = section[kind.key]
                records = [_build(kind, row, diary=diary, user=user, ids=ids) for row in rows]
                saved = kind.model.objects.bulk_create(records)  # type: ignore[attr-defined]
                for row, record in zip(rows, saved, strict=True):
                    if row["id"] in ids[kind.key]:
                        raise ImportRefused(_("The file is damaged: two records have the same id."))
                    ids[kind.key][row["id"]] = record
            _link_medication_versions(section["medications"], ids["medications"])
            DataImport.objects.create(
                diary=diary, checksum=digest, format_version=data["format_version"], imported_by=user
            )
    except IntegrityError:
        raise ImportRefused(
            _("The file holds records that contradict each other (for example two entries for the same day).")
        ) from None
    counts = {kind.key: len(section[kind.key]) for kind in KINDS}
    return ImportResult(diary, counts)


def _link_medication_versions(rows: list[dict[str, Any]], saved: dict[int, Any]) -> None:
    changed = []
    for row in rows:
        previous = row.get("previous")
        if previous is None:
            continue
        target = saved.get(previous) if isinstance(previous, int) else None
        if target is None:
            raise ImportRefused(_("The file is damaged: a record points to one that is not in the file."))
        record = saved[row["id"]]
        record.previous = target
        changed.append(record)
    if changed:
        Medication.objects.bulk_update(changed, ["previous"])
