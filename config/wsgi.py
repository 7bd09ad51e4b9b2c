from __future__ import annotations

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# Import every view (and what they import: the charts, the PDF's libraries) as each worker starts,
# not during someone's first request to it: that import takes about a second.
get_resolver().url_patterns  # noqa: B018
# What is loaded now lives as long as the worker: out of the garbage collector's scans.
gc.freeze()
