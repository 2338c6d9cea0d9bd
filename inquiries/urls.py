from django.urls import path

from inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("new/", views.inquiry_new, name="new"),
    path("confirm/", views.inquiry_confirm, name="confirm"),
    path("done/", views.inquiry_done, name="done"),
]
