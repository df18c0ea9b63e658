from django.urls import path

from dependencies import views

prefix = "o/<int:organisation_id>/dependencies/"

urlpatterns = [
    path(prefix, views.dependency_map, name="dependency-map"),
    path(prefix + "components/", views.component_list, name="component-list-page"),
    path(prefix + "components/<int:component_id>/", views.component_detail, name="component-detail-page"),
    path(prefix + "alternatives/", views.alternatives, name="dependency-alternatives"),
    path(prefix + "import/", views.import_components, name="dependency-import"),
    path(prefix + "import/template.csv", views.template, name="dependency-import-template"),
    path(prefix + "sharing/", views.sharing, name="dependency-sharing"),
]
