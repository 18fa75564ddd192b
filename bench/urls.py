"""The site's URLs plus two floor views, served only by the benchmark (DJANGO_SETTINGS_MODULE=bench.settings).

`bench/floor/` is the cheapest authenticated Django response on the same stack (middleware, session read and
save, user lookup); `bench/floor-page/` adds the shared page chrome (base.html with its context processors).
A page's time divided by these shows what the page itself costs.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from coordination.urls import urlpatterns as site_urlpatterns


@login_required
def floor(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def floor_page(request):
    return render(request, "base.html", {})


urlpatterns = [
    path("bench/floor/", floor),
    path("bench/floor-page/", floor_page),
    *site_urlpatterns,
]
