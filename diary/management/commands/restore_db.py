"""Restore a backup made by backup_db, replacing the database's contents."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from diary.management.commands.backup_db import pg_env


class Command(BaseCommand):
    help = "Replace the database's contents with the backup at PATH. Stop the app first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, path: Path, yes: bool, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"No backup at {path}.")
        if not yes and input("This replaces all data in the database. Type 'yes' to go on: ") != "yes":
            raise CommandError("Restore cancelled.")
        settings_dict = connection.settings_dict
        if connection.vendor == "sqlite":
            source = sqlite3.connect(path)
            try:
                connection.ensure_connection()
                source.backup(connection.connection)
            finally:
                source.close()
        elif connection.vendor == "postgresql":
            connection.close()
            result = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--dbname",
                    settings_dict["NAME"],
                    str(path),
                ],
                env=pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            raise CommandError(f"No restore method for {connection.vendor}.")
        self.stdout.write(self.style.SUCCESS(f"Restored from {path}"))
