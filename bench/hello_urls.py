"""The machine's ceiling: one tiny view behind the app's whole middleware stack."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("hello world", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello, name="home"), path("hello/", hello, name="hello")]
