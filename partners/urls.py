from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
]
