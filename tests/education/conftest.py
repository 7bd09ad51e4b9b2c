"""Make the education tests runnable with or without the project's settings.

When pytest-django is set up (DJANGO_SETTINGS_MODULE), it configures Django and
nothing happens here. Otherwise a minimal configuration is enough: these tests
need no database, only the translation functions.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

if "DJANGO_SETTINGS_MODULE" not in os.environ:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            USE_I18N=True,
            LANGUAGE_CODE="en",
            INSTALLED_APPS=[],
            DATABASES={},
        )
        django.setup()
