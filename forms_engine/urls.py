from django.urls import path

app_name = "forms_engine"
urlpatterns: list = []
