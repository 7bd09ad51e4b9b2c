from __future__ import annotations

from django.urls import include, path

from diary.views import home
from diary.views import sharing as sharing_views

# No Django admin is mounted: health data is reached only through the diary's
# own access checks, and the admin would be a second, unaudited way in.
urlpatterns = [
    path("", home.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("d/", include("diary.urls")),
    path("learn/", include("education.urls")),
    path("invite/<str:token>/", sharing_views.invitation, name="invitation"),
    path("shared/<str:token>/", sharing_views.clinician_view, name="clinician_view"),
]
