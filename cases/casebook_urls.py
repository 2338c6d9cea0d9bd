from django.urls import path

from cases import casebook_views as views

app_name = "casebook"
urlpatterns = [
    path("", views.casebook_detail, name="detail"),
    path("add/<int:number>/", views.casebook_add, name="add"),
    path("remove/<int:number>/", views.casebook_remove, name="remove"),
    path("move/<int:number>/", views.casebook_move, name="move"),
    path("clear/", views.casebook_clear, name="clear"),
    path("title/", views.casebook_title, name="title"),
    path("import/", views.casebook_import, name="import"),
    path("pdf/", views.casebook_pdf, name="pdf"),
]
