from django.urls import path

from . import staff_views, views

app_name = "reports"

urlpatterns = [
    path("report/", views.report_page, name="report"),
    path("report/data.csv", views.data_csv, name="data_csv"),
    path("report/data.json", views.data_json, name="data_json"),
    path("report/dictionary/", views.dictionary, name="dictionary"),
    path("report/charts/<str:name>-<str:size>.svg", views.chart, name="chart"),
    # The staff view, under /reviews/ (private, never cached), before reviews' own addresses.
    path("reviews/report/", staff_views.staff_report, name="staff"),
    path("reviews/report/data.csv", staff_views.staff_csv, name="staff_csv"),
]
