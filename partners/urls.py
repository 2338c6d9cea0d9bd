from django.urls import path

from partners import views

app_name = "partners"
urlpatterns = [
    path("<int:pk>/", views.organization_detail, name="detail"),
]
