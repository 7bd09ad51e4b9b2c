from __future__ import annotations

from django.urls import include, path

from diary.views import home

# No Django admin is mounted: health data is reached only through the diary's
# own access checks, and the admin would be a second, unaudited way in.
urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("d/", include("diary.urls")),
    path("learn/", include("education.urls")),
]
