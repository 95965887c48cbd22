from django.urls import URLPattern

app_name = "unity"
urlpatterns: list[URLPattern] = []
