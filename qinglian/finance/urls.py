from django.urls import path

from qinglian.finance import views

app_name = "finance"
urlpatterns = [
    path("template.xlsx", views.ledger_template, name="template"),
    path("imports/<int:pk>/errors.xlsx", views.import_errors, name="import_errors"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher"),
    path("vouchers/<int:pk>/attach/", views.voucher_attach, name="voucher_attach"),
    path("vouchers/<int:pk>/sign/", views.voucher_sign, name="voucher_sign"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("assets/<int:pk>/change/", views.asset_change, name="asset_change"),
    path("resources/<int:pk>/change/", views.resource_change, name="resource_change"),
    path("<str:code>/", views.ledger, name="ledger"),
    path("<str:code>/upload/", views.ledger_upload, name="upload"),
    path("<str:code>/accounts/new/", views.account_new, name="account_new"),
    path("<str:code>/contracts/new/", views.contract_new, name="contract_new"),
    path("<str:code>/assets/new/", views.asset_new, name="asset_new"),
    path("<str:code>/resources/new/", views.resource_new, name="resource_new"),
    path("<str:code>/contracts/", views.contracts, name="contracts"),
    path("<str:code>/property/", views.property_registers, name="property"),
    path("<str:code>/<str:month>/", views.statement, name="statement"),
    path("<str:code>/<str:month>/close/", views.month_close, name="month_close"),
    path("<str:code>/<str:month>/reopen/", views.month_reopen, name="month_reopen"),
    path("<str:code>/<str:month>/submit/", views.month_submit, name="month_submit"),
]
