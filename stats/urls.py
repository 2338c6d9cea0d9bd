from django.urls import path

from stats import views

app_name = "stats"
urlpatterns = [
    path("", views.stats_page, name="page"),
    path("<slug:chart>.csv", views.chart_csv, name="csv"),
]
