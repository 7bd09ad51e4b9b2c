"""Build the demo account (``diary.demo``).

.venv/bin/python manage.py seed_demo               # replace the demo account
.venv/bin/python manage.py seed_demo --if-missing  # keep it if it exists
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary.demo import DEFAULT_DAYS, DEFAULT_SEED, DEMO_EMAIL, DEMO_PASSWORD, DEMO_URL, build_demo, demo_user


class Command(BaseCommand):
    help = "Create a demo account with about six months of made-up LEMS diary data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the demo account already exists.")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help="Days of data, ending today.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data).")

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if options["if_missing"] and demo_user() is not None:
            self.stdout.write("The demo account already exists; nothing changed.")
        else:
            started = time.perf_counter()
            diary = build_demo(days=days, seed=options["seed"])
            elapsed = time.perf_counter() - started
            self.stdout.write(
                self.style.SUCCESS(
                    f"Built the demo diary '{diary.patient_name}': {diary.day_entries.count()} days, "
                    f"{diary.quick_checks.count()} quick checks, {diary.medications.count()} medications, "
                    f"{diary.dose_logs.count()} doses, {diary.side_effects.count()} side effects, "
                    f"{diary.rest_periods.count()} rests, {diary.treatment_sessions.count()} treatment sessions "
                    f"and {diary.events.count()} events over {days} days in {elapsed:.2f} s."
                )
            )
        self.stdout.write(f"Open {DEMO_URL} and sign in with")
        self.stdout.write(f"  email:    {DEMO_EMAIL}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
