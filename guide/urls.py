from django.urls import re_path

from guide import views

app_name = "guide"
# Last in the site's URLs: any address of words ending in "/" that nothing else answers.
urlpatterns = [
    re_path(r"^(?P<path>(?:[a-z0-9-]+/)+)$", views.guide_page, name="page"),
]
