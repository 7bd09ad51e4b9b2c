"""The app's settings (production, from the environment) with the hello-world URLconf."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.hello_urls"
