"""The patient's record: who may reach it and what is logged in it.

Times are stored in UTC; every diary has its own time zone, and "today" and
"time of day" are computed in it (docs/architecture.md, "Time").
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary import scales


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Choose a time zone from the list.")) from exc


class DiaryQuerySet(models.QuerySet["Diary"]):
    def for_user(self, user: object) -> DiaryQuerySet:
        return self.filter(memberships__user=user)


def new_revision() -> int:
    return secrets.randbits(62)


class Diary(models.Model):
    patient_name = models.CharField(_("patient's name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    created_at = models.DateTimeField(auto_now_add=True)
    #: Replaced by a new random number on every change to the diary (diary.services.diary_touch):
    #: page parts cached under the old number are never served again (diary.fragments). Random, not a
    #: counter, so that a restored backup or a reused id cannot meet a page cached before.
    revision = models.BigIntegerField(default=new_revision, editable=False)

    objects = DiaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("diary")
        verbose_name_plural = _("diaries")

    def __str__(self) -> str:
        return self.patient_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def local_now(self) -> dt.datetime:
        return timezone.now().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.local_now().date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Can log and edit")
    VIEWER = "viewer", _("Can view")


#: What each role may do, weakest first: a role includes the ones before it.
ROLE_RANK: dict[str, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class Membership(models.Model):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["diary", "user"], name="one_membership_per_person")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.diary_id}"

    def allows(self, need: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[need]


class Tracked(models.Model):
    """Who created and who last changed a record, and when (docs/security.md, "The activity log")."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


def _score_field(item: scales.Item) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        item.label,
        null=True,
        blank=True,
        choices=item.scale.choices,
        validators=[MinValueValidator(item.scale.low), MaxValueValidator(item.scale.high)],
    )


class DayEntryQuerySet(models.QuerySet["DayEntry"]):
    def in_period(self, start: dt.date, end: dt.date) -> DayEntryQuerySet:
        return self.filter(date__range=(start, end))


class DayEntry(Tracked):
    """One diary day. A blank score means "not rated", which is not the same as 0."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="day_entries")
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=4000)
    #: Raised each time the note is saved, so two people editing it cannot overwrite each other.
    note_version = models.PositiveIntegerField(default=0, editable=False)

    locals().update({item.field: _score_field(item) for item in scales.ITEMS})

    objects = DayEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "date"], name="one_entry_per_day"),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{item.field}__isnull": True})
                    | models.Q(**{f"{item.field}__gte": item.scale.low, f"{item.field}__lte": item.scale.high}),
                    name=f"dayentry_{item.field}_in_range",
                )
                for item in scales.ITEMS
            ],
        ]

    def __str__(self) -> str:
        return f"{self.diary_id} {self.date}"

    def rated_count(self) -> int:
        """How many of the items asked every day are rated (follow-ups are not counted)."""
        return sum(getattr(self, item.field) is not None for item in scales.DAILY_ITEMS)


class QuickCheck(Tracked):
    """Strength and fatigue at a moment of the day, for strength against time since a dose."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="quick_checks")
    taken_at = models.DateTimeField(_("time"), default=timezone.now)
    strength = models.PositiveSmallIntegerField(
        _("leg strength"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    fatigue = models.PositiveSmallIntegerField(
        _("fatigue"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    #: Set by the page that starts the check; a retried submit finds the same row.
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "client_token"], name="quick_check_once_per_token"),
            models.CheckConstraint(
                condition=models.Q(strength__isnull=True) | models.Q(strength__lte=10),
                name="quick_check_strength_range",
            ),
            models.CheckConstraint(
                condition=models.Q(fatigue__isnull=True) | models.Q(fatigue__lte=10), name="quick_check_fatigue_range"
            ),
        ]
        indexes = [models.Index(fields=["diary", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.diary_id} {self.taken_at:%Y-%m-%d %H:%M}"


# --- Medications and doses ------------------------------------


class MedicineKind(models.TextChoices):
    AMIFAMPRIDINE = "amifampridine", _("Amifampridine (3,4-DAP)")
    PYRIDOSTIGMINE = "pyridostigmine", _("Pyridostigmine")
    PREDNISONE = "prednisone", _("Prednisone or prednisolone")
    AZATHIOPRINE = "azathioprine", _("Azathioprine")
    MYCOPHENOLATE = "mycophenolate", _("Mycophenolate")
    OTHER = "other", _("Another medicine")


class DoseUnit(models.TextChoices):
    MG = "mg", _("mg")
    MCG = "mcg", _("micrograms")
    G = "g", _("g")
    ML = "ml", _("ml")
    TABLET = "tablet", _("tablets")


class MedicationQuerySet(models.QuerySet["Medication"]):
    def current_on(self, day: dt.date) -> MedicationQuerySet:
        return self.filter(models.Q(start_date__lte=day), models.Q(end_date__isnull=True) | models.Q(end_date__gte=day))


class Medication(Tracked):
    """A prescription as the patient entered it. Changes make a new row; the old one is end-dated."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="medications")
    kind = models.CharField(_("medicine"), max_length=20, choices=MedicineKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    strength = models.DecimalField(
        _("strength of one tablet or dose form"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=10, choices=DoseUnit.choices, default=DoseUnit.MG)
    dose_amount = models.DecimalField(_("amount per dose"), max_digits=8, decimal_places=3)
    #: Scheduled times of day ("HH:MM", diary's zone), sorted.
    times = models.JSONField(_("times of day"), default=list)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("stop date"), null=True, blank=True)
    prescriber = models.CharField(_("prescriber"), max_length=100, blank=True)
    previous = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_version", editable=False
    )

    objects = MedicationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(dose_amount__gt=0), name="medication_dose_positive"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="medication_stops_after_start",
            ),
        ]
        indexes = [models.Index(fields=["diary", "start_date"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == MedicineKind.OTHER:
            return self.name
        return str(self.get_kind_display()) if not self.name else f"{self.get_kind_display()} ({self.name})"

    @property
    def daily_total(self) -> Decimal:
        return self.dose_amount * len(self.times)

    def scheduled_times(self) -> list[dt.time]:
        return [dt.time.fromisoformat(value) for value in self.times]


class DoseStatus(models.TextChoices):
    TAKEN = "taken", _("Taken")
    LATE = "late", _("Taken late")
    SKIPPED = "skipped", _("Skipped")
    EXTRA = "extra", _("Extra dose")


class DoseLogQuerySet(models.QuerySet["DoseLog"]):
    def taken(self) -> DoseLogQuerySet:
        return self.exclude(status=DoseStatus.SKIPPED)


class DoseLog(Tracked):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="dose_logs")
    medication = models.ForeignKey(Medication, on_delete=models.CASCADE, related_name="dose_logs")
    #: The scheduled slot this dose answers (UTC), or null for an extra dose.
    scheduled_for = models.DateTimeField(_("scheduled time"), null=True, blank=True)
    #: When it was actually taken (null when skipped).
    taken_at = models.DateTimeField(_("time taken"), null=True, blank=True)
    status = models.CharField(_("what happened"), max_length=10, choices=DoseStatus.choices)
    amount = models.DecimalField(_("amount"), max_digits=8, decimal_places=3, null=True, blank=True)
    with_food = models.BooleanField(_("with food"), null=True, blank=True)
    skip_reason = models.CharField(_("reason skipped"), max_length=200, blank=True)
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = DoseLogQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "client_token"], name="dose_once_per_token"),
            # One answer per scheduled slot: a double tap cannot log the same dose twice.
            models.UniqueConstraint(
                fields=["medication", "scheduled_for"],
                condition=models.Q(scheduled_for__isnull=False),
                name="one_dose_per_scheduled_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(status="skipped") | models.Q(taken_at__isnull=False), name="dose_taken_has_time"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0), name="dose_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["diary", "taken_at"]), models.Index(fields=["diary", "scheduled_for"])]

    def __str__(self) -> str:
        return f"{self.medication_id} {self.status} {self.taken_at or self.scheduled_for}"

    @property
    def moment(self) -> dt.datetime | None:
        return self.taken_at or self.scheduled_for


class SideEffectSymptom(models.TextChoices):
    TINGLING = "tingling", _("Tingling of mouth, fingers or limbs")
    NAUSEA = "nausea", _("Nausea")
    ABDOMINAL_PAIN = "abdominal_pain", _("Stomach pain")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")
    HEADACHE = "headache", _("Headache")
    BACK_PAIN = "back_pain", _("Back pain")
    RAISED_BP = "raised_bp", _("Raised blood pressure")
    SPASMS = "spasms", _("Muscle spasms or cramps")
    TWITCHING = "twitching", _("Muscle twitching")
    COLD_LIKE = "cold_like", _("Cold-like symptoms")
    SALIVA = "saliva", _("Extra saliva")
    SWEATING = "sweating", _("Sweating")
    PALPITATIONS = "palpitations", _("Pounding or racing heartbeat")
    COUGH = "cough", _("Cough or chest secretions")
    POOR_SLEEP = "poor_sleep", _("Poor sleep or anxiety")
    BLURRED_VISION = "blurred_vision", _("Blurred vision")
    COLD_HANDS = "cold_hands", _("Cold hands or feet")
    DIZZINESS = "dizziness", _("Dizziness")
    # The three below always raise emergency guidance (docs/clinical-safety.md).
    SEIZURE = "seizure", _("Seizure (fit)")
    SWELLING = "swelling", _("Swelling of the face, lips or throat")
    ALLERGIC_BREATHING = "allergic_breathing", _("Allergic reaction with trouble breathing")
    OTHER = "other", _("Something else")


class SideEffect(Tracked):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="side_effects")
    dose = models.ForeignKey(DoseLog, on_delete=models.CASCADE, related_name="side_effects", null=True, blank=True)
    symptom = models.CharField(_("symptom"), max_length=20, choices=SideEffectSymptom.choices)
    severity = models.PositiveSmallIntegerField(
        _("how bad (0-10)"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    onset_minutes = models.PositiveIntegerField(_("minutes after the dose"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=models.Q(severity__lte=10), name="side_effect_severity_range")]

    def __str__(self) -> str:
        return f"{self.symptom} {self.severity}"


# --- Rest ------------------------------------------------------


class RestTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Planned rest")
    WEAKNESS = "weakness", _("Weakness")
    ACTIVITY = "activity", _("After an activity")
    HEAT = "heat", _("Heat")


class RestPosition(models.TextChoices):
    LYING = "lying", _("Lying down")
    SITTING = "sitting", _("Sitting, supported")


class RestPeriod(Tracked):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="rest_periods")
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    planned = models.BooleanField(_("planned"), null=True, blank=True)
    trigger = models.CharField(_("why"), max_length=10, choices=RestTrigger.choices, blank=True)
    position = models.CharField(_("position"), max_length=10, choices=RestPosition.choices, blank=True)
    energy_before = models.PositiveSmallIntegerField(
        _("energy before (0-10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    energy_after = models.PositiveSmallIntegerField(
        _("energy after (0-10)"), null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["diary", "client_token"], name="rest_once_per_token"),
            # At most one rest running at a time per diary: "Start rest" twice starts one.
            models.UniqueConstraint(
                fields=["diary"], condition=models.Q(ended_at__isnull=True), name="one_running_rest"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=models.F("started_at")),
                name="rest_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(energy_before__isnull=True) | models.Q(energy_before__lte=10))
                & (models.Q(energy_after__isnull=True) | models.Q(energy_after__lte=10)),
                name="rest_energy_range",
            ),
        ]
        indexes = [models.Index(fields=["diary", "started_at"])]

    def __str__(self) -> str:
        return f"rest {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)


# --- Treatment sessions -------------------------------------------


class TreatmentKind(models.TextChoices):
    IVIG = "ivig", _("IVIG (immunoglobulin drip)")
    PLASMA_EXCHANGE = "plasma_exchange", _("Plasma exchange")
    RITUXIMAB = "rituximab", _("Rituximab")
    CHEMOTHERAPY = "chemotherapy", _("Chemotherapy")
    OTHER = "other", _("Other treatment")


class Benefit(models.TextChoices):
    WORSE = "worse", _("Worse")
    SAME = "same", _("No change")
    BETTER = "better", _("Better")


class TreatmentSession(Tracked):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="treatment_sessions")
    kind = models.CharField(_("treatment"), max_length=20, choices=TreatmentKind.choices)
    other_name = models.CharField(_("name of the treatment"), max_length=100, blank=True)
    course = models.CharField(
        _("course"), max_length=50, blank=True, help_text=_("A name or number for the course, e.g. “Course 2”.")
    )
    cycle = models.PositiveSmallIntegerField(_("cycle or session number"), null=True, blank=True)
    date = models.DateField(_("date"))
    product = models.CharField(_("product or regimen"), max_length=100, blank=True)
    reactions = models.CharField(_("reactions"), max_length=300, blank=True)
    benefit = models.CharField(_("benefit you noticed"), max_length=10, choices=Benefit.choices, blank=True)
    benefit_started = models.DateField(_("benefit started"), null=True, blank=True)
    benefit_faded = models.DateField(_("benefit faded"), null=True, blank=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(benefit_faded__isnull=True)
                | models.Q(benefit_started__isnull=True)
                | models.Q(benefit_faded__gte=models.F("benefit_started")),
                name="treatment_benefit_fades_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["diary", "date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"

    @property
    def display_name(self) -> str:
        return self.other_name if self.kind == TreatmentKind.OTHER and self.other_name else str(self.get_kind_display())


# --- Events -----------------------------------------------------


class EventKind(models.TextChoices):
    FALL = "fall", _("Fall")
    NEAR_FALL = "near_fall", _("Near-fall")
    CHOKING = "choking", _("Choking")
    INFECTION = "infection", _("Infection or fever")
    EMERGENCY_VISIT = "emergency_visit", _("Emergency visit or hospital stay")
    MEDICINE_CHANGE = "medicine_change", _("New or stopped medicine (any condition)")
    PROCEDURE = "procedure", _("Procedure, anaesthesia or contrast scan")
    SEIZURE = "seizure", _("Seizure")
    ALLERGIC_REACTION = "allergic_reaction", _("Allergic reaction")
    BLOOD_PRESSURE = "blood_pressure", _("Blood pressure reading")
    TEST_OR_SCAN = "test_or_scan", _("Test or scan")


class ScanType(models.TextChoices):
    TUMOUR_CT = "tumour_ct", _("Tumour screening: CT scan")
    TUMOUR_PET = "tumour_pet", _("Tumour screening: PET scan")
    ECG = "ecg", _("ECG (heart tracing)")
    BLOOD = "blood", _("Blood test")
    OTHER = "other", _("Other test or scan")

    @classmethod
    def tumour_screening(cls) -> tuple[str, ...]:
        return (cls.TUMOUR_CT, cls.TUMOUR_PET)


class Injury(models.TextChoices):
    NONE = "none", _("Not hurt")
    MINOR = "minor", _("Minor injury")
    SOUGHT_CARE = "sought_care", _("Needed medical care")


class Event(Tracked):
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("when"))
    ended_on = models.DateField(_("until (date)"), null=True, blank=True)
    # Fall or near-fall
    activity = models.CharField(_("what you were doing"), max_length=200, blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    injury = models.CharField(_("injury"), max_length=12, choices=Injury.choices, blank=True)
    head_strike = models.BooleanField(_("hit your head"), null=True, blank=True)
    # Choking
    food_or_drink = models.CharField(_("food or drink"), max_length=200, blank=True)
    cleared_by_itself = models.BooleanField(_("it cleared by itself"), null=True, blank=True)
    breathing_difficulty = models.BooleanField(_("trouble breathing afterwards"), null=True, blank=True)
    cough_too_weak = models.BooleanField(_("cough too weak to clear it"), null=True, blank=True)
    # Infection or fever
    temperature = models.DecimalField(_("temperature (°C)"), max_digits=4, decimal_places=1, null=True, blank=True)
    chest_symptoms = models.BooleanField(_("cough or chest symptoms"), null=True, blank=True)
    coughing_blood = models.BooleanField(_("coughing up blood"), null=True, blank=True)
    antibiotic = models.CharField(_("antibiotic, if any"), max_length=100, blank=True)
    # Emergency visit
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    treatments_given = models.CharField(_("treatments given"), max_length=300, blank=True)
    # New or stopped medicine
    medicine_name = models.CharField(_("medicine"), max_length=100, blank=True)
    medicine_started = models.BooleanField(_("started (yes) or stopped (no)"), null=True, blank=True)
    prescriber = models.CharField(_("prescriber"), max_length=100, blank=True)
    weakness_change = models.CharField(_("weakness afterwards"), max_length=10, choices=Benefit.choices, blank=True)
    # Procedure
    procedure_type = models.CharField(_("type of procedure"), max_length=200, blank=True)
    # Seizure or allergic reaction
    description = models.CharField(_("what happened"), max_length=500, blank=True)
    emergency_help_called = models.BooleanField(_("emergency help called"), null=True, blank=True)
    face_throat_swelling = models.BooleanField(_("swelling of face, lips or throat"), null=True, blank=True)
    # Paired blood pressure
    bp_lying_systolic = models.PositiveSmallIntegerField(_("lying or sitting: upper number"), null=True, blank=True)
    bp_lying_diastolic = models.PositiveSmallIntegerField(_("lying or sitting: lower number"), null=True, blank=True)
    bp_standing_systolic = models.PositiveSmallIntegerField(_("standing: upper number"), null=True, blank=True)
    bp_standing_diastolic = models.PositiveSmallIntegerField(_("standing: lower number"), null=True, blank=True)
    # Test or scan
    scan_type = models.CharField(_("type of test or scan"), max_length=12, choices=ScanType.choices, blank=True)
    result = models.CharField(_("result, as you were told it"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [models.UniqueConstraint(fields=["diary", "client_token"], name="event_once_per_token")]
        indexes = [models.Index(fields=["diary", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"

    @property
    def blood_pressure_drop(self) -> bool:
        """A drop of 20+ upper or 10+ lower on standing is worth reporting: a sign of the autonomic trouble LEMS can bring."""
        if None in (
            self.bp_lying_systolic,
            self.bp_standing_systolic,
            self.bp_lying_diastolic,
            self.bp_standing_diastolic,
        ):
            return False
        return (self.bp_lying_systolic - self.bp_standing_systolic >= 20) or (  # type: ignore[operator]
            self.bp_lying_diastolic - self.bp_standing_diastolic >= 10  # type: ignore[operator]
        )


# --- Sharing and the activity log (docs/security.md) ------------------


class SharedRole(models.TextChoices):
    EDITOR = "editor", _("Can log and edit")
    VIEWER = "viewer", _("Can view, see trends and download reports")


class Invitation(models.Model):
    """A single-use link the owner sends to a caregiver. Only a hash of the token is stored."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("access"), max_length=10, choices=SharedRole.choices)
    email = models.EmailField(_("their email (optional)"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} to {self.diary_id}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()


class ClinicianLink(models.Model):
    """A read-only link to the clinic summary, for a clinician, valid for a few days."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="clinician_links")
    label = models.CharField(_("for whom"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"clinician link {self.pk} to {self.diary_id}"

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Activity(models.TextChoices):
    VIEWED = "viewed", _("viewed")
    LOGGED = "logged", _("logged or changed")
    EXPORTED = "exported", _("downloaded")
    SHARED = "shared", _("changed sharing")


class ActivityEntry(models.Model):
    """Who did what to the diary, and when. Never the health content itself."""

    # The one index on (diary, -at) serves the log's page and a diary's deletion: every view by a
    # caregiver and every tap writes an entry, and each further index was one more page to write.
    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="activity", db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Who, in words, kept even if the account is later deleted ("Carla", "Clinician link: Dr Okafor").
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Activity.choices)
    #: What, in words: the page or kind of record ("Today", "a dose", "the clinic summary").
    what = models.CharField(max_length=150)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["diary", "-at"])]

    def __str__(self) -> str:
        return f"{self.actor} {self.action} {self.what}"


# --- The clinic summary ---------------------------------------


class VisitQuestion(Tracked):
    """Something the person wants to ask at the next clinic visit. The first open ones go on the report.

    The diary may suggest one from a "discuss at the next visit" answer (``suggested``): it stays
    marked as suggested, and off the report, until the person keeps it or dismisses it.
    """

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="visit_questions")
    text = models.CharField(_("question or concern"), max_length=300)
    done = models.BooleanField(_("asked or no longer needed"), default=False)
    #: The red-flag rule that suggested it (blank: the person wrote it).
    suggestion_key = models.CharField(max_length=40, blank=True, editable=False)
    #: Suggested by the diary and not yet kept or dismissed.
    suggested = models.BooleanField(default=False, editable=False)
    dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)
    #: Lower comes first; new questions go to the end.
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["done", "order", "pk"]
        indexes = [models.Index(fields=["diary", "done", "order"])]

    def __str__(self) -> str:
        return f"question {self.pk} in {self.diary_id}"


class Paper(models.TextChoices):
    A4 = "a4", _("A4")
    LETTER = "letter", _("Letter")


class ReportRecord(models.Model):
    """A clinic summary PDF was made: its period, so the next one can start where it ended."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="report_records")
    start = models.DateField()
    end = models.DateField()
    paper = models.CharField(max_length=10, choices=Paper.choices, default=Paper.A4)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["diary", "-created_at"])]

    def __str__(self) -> str:
        return f"report {self.start} to {self.end} of {self.diary_id}"


class DataImport(models.Model):
    """A diary made from an export file: the file's checksum, so the same data are not imported twice."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="data_imports")
    checksum = models.CharField(max_length=64, db_index=True)
    format_version = models.PositiveSmallIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"import {self.checksum[:8]} into {self.diary_id}"


# --- Red-flag prompts as they were shown (docs/clinical-safety.md) ---------------------------


class AlertLevel(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Same day")
    DISCUSS = "discuss", _("Next visit")


class RedFlagPrompt(models.Model):
    """Guidance the diary showed, stored when it was first shown, so a report says what was
    actually shown then, not what today's rules would show."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="red_flag_prompts")
    #: The diary day the answer belongs to.
    day = models.DateField()
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    #: The rule that fired (an item key of education/content/red_flags.toml).
    key = models.CharField(max_length=40)
    #: The words of the guidance's reason as shown.
    reason = models.CharField(max_length=300)
    #: The answer that raised it, in words, as it was when shown.
    answer = models.CharField(max_length=300)
    shown_at = models.DateTimeField(default=timezone.now)
    shown_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["day", "shown_at"]
        constraints = [models.UniqueConstraint(fields=["diary", "day", "key"], name="one_prompt_per_rule_and_day")]
        indexes = [models.Index(fields=["diary", "day"])]

    def __str__(self) -> str:
        return f"{self.level} {self.key} on {self.day} in {self.diary_id}"


# --- The weekly, optional and private questions (docs/clinical-safety.md) ---------------------


class WeeklyEntry(Tracked):
    """One week's optional answers, kept on the Monday that starts the week."""

    diary = models.ForeignKey(Diary, on_delete=models.CASCADE, related_name="weekly_entries")
    week_start = models.DateField(_("week starting"))
    weight_kg = models.DecimalField(
        _("weight (kg)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(20), MaxValueValidator(300)],
    )
    decreased_sweating = models.PositiveSmallIntegerField(
        _("less sweating than usual"),
        null=True,
        blank=True,
        choices=scales.F3.choices,
        validators=[MaxValueValidator(3)],
    )
    erectile_dysfunction = models.PositiveSmallIntegerField(
        _("erection problems"), null=True, blank=True, choices=scales.S3.choices, validators=[MaxValueValidator(3)]
    )
    morning_headaches = models.PositiveSmallIntegerField(
        _("headaches on waking"), null=True, blank=True, choices=scales.F3.choices, validators=[MaxValueValidator(3)]
    )
    daytime_sleepiness = models.PositiveSmallIntegerField(
        _("sleepy in the daytime"), null=True, blank=True, choices=scales.F3.choices, validators=[MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["diary", "week_start"], name="one_weekly_entry_per_week")]

    def __str__(self) -> str:
        return f"week of {self.week_start} in {self.diary_id}"
