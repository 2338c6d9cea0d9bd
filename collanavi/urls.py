from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from collanavi import views
from inquiries import views as inquiry_views

handler403 = "collanavi.views.permission_denied"

urlpatterns = [
    path("", views.index, name="index"),
    path("healthz", views.healthz, name="healthz"),
    path("cases/", include("cases.urls")),
    path("organizations/", include("partners.urls")),
    path("casebook/", include("cases.casebook_urls")),
    path("inquiries/", include("inquiries.urls")),
    path("feedback/", inquiry_views.feedback, name="feedback"),
    path("privacy/", inquiry_views.privacy, name="privacy"),
    path("admin/", admin.site.urls),
    path("", include("guide.urls")),  # last: any other address of words ending in "/"
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
