from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from qinglian.core.views import healthz
from qinglian.directory.views import home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("qinglian.accounts.urls")),
    path("work/appeals/stats/", include("qinglian.appeals.stats_work_urls")),
    path("work/finance/", include("qinglian.finance.urls")),
    path("work/powers/", include("qinglian.powers.work_urls")),
    path("work/disclosures/", include("qinglian.disclosures.work_urls")),
    path("work/appeals/", include("qinglian.appeals.work_urls")),
    path("work/meetings/", include("qinglian.meetings.work_urls")),
    path("work/", include("qinglian.workbench.urls")),
    path("api/", include("qinglian.api.urls")),
    path("log/", include("qinglian.transparency.urls")),
    # The mailbox's public pages: /v/<code>/ask/ (before the village pages) and /mailbox/.
    path("", include("qinglian.appeals.public_urls")),
    path("", include("qinglian.meetings.public_urls")),
    path("v/", include("qinglian.appeals.stats_urls")),
    path("v/", include("qinglian.powers.urls")),
    path("v/", include("qinglian.disclosures.urls")),
    path("admin/", admin.site.urls),
]
