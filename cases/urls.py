from django.urls import path

from cases import casebook_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<int:number>/", views.case_detail, name="detail"),
    path("<int:number>/pdf/", casebook_views.case_pdf, name="pdf"),
]
