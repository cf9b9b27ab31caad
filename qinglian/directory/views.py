"""Public pages of the directory: the villages of the county, open to anyone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qinglian.directory.selectors import townships_with_villages


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "directory/home.html", {"townships": townships_with_villages()})
