from __future__ import annotations

from django.urls import path

from education import views

app_name = "education"

urlpatterns = [
    path("", views.learn, name="learn"),
    path("tips/", views.tips, name="tips"),
    path("get-help/", views.red_flags, name="red_flags"),
    path("<slug:slug>/", views.learn_page, name="learn_page"),
]
