from django.urls import path

from inquiries import views

app_name = "inquiries"
urlpatterns = [
    path("new/", views.inquiry_new, name="new"),
    path("confirm/", views.inquiry_confirm, name="confirm"),
    path("done/", views.inquiry_done, name="done"),
]

# A case's update proposal, under the case's address and names (cases:update): the root URLconf
# adds these to the cases' URLs.
case_urlpatterns = [
    path("<int:number>/update/", views.proposal_new, name="update"),
    path("<int:number>/update/done/", views.proposal_done, name="update_done"),
]
