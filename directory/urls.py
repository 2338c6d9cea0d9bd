from django.urls import path

from directory import views

# The organization pages keep the names of the days they were partners' (partners:detail).
app_name = "partners"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("<int:pk>/", views.organization_detail, name="detail"),
]
