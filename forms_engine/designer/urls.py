"""URLs of the designer, mounted by the admin hook at /admin/form-designer/ (namespace ``forms_designer``)."""

from django.urls import path

from forms_engine.designer import views

app_name = "forms_designer"

urlpatterns = [
    path("", views.index, name="index"),
    path("d/<slug:key>/", views.definition_detail, name="definition"),
    path("d/<slug:key>/diff/", views.diff, name="diff"),
    path("d/<slug:key>/history/", views.history, name="history"),
    path("v/<int:version_id>/", views.version_detail, name="version"),
    path("v/<int:version_id>/new-draft/", views.new_draft, name="new_draft"),
    path("v/<int:version_id>/steps/add/", views.step_add, name="step_add"),
    path("v/<int:version_id>/steps/<slug:key>/", views.step_edit, name="step_edit"),
    path("v/<int:version_id>/steps/<slug:step>/sections/add/", views.section_add, name="section_add"),
    path("v/<int:version_id>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("v/<int:version_id>/sections/<slug:section>/fields/add/", views.field_add, name="field_add"),
    path("v/<int:version_id>/fields/<slug:key>/", views.field_edit, name="field_edit"),
    path("v/<int:version_id>/structure/", views.structure_action, name="structure_action"),
    path("v/<int:version_id>/items/add/", views.item_add, name="item_add"),
    path("v/<int:version_id>/items/<slug:key>/", views.item_edit, name="item_edit"),
    path("v/<int:version_id>/groups/", views.groups, name="groups"),
    path("v/<int:version_id>/outcome/", views.outcome, name="outcome"),
    path("v/<int:version_id>/validations/", views.validations, name="validations"),
    path("v/<int:version_id>/metadata/", views.metadata, name="metadata"),
    path("v/<int:version_id>/json/", views.schema_json, name="json"),
    path("v/<int:version_id>/validate/", views.validate, name="validate"),
    path("v/<int:version_id>/test-score/", views.test_score, name="test_score"),
    path("v/<int:version_id>/impact/", views.impact, name="impact"),
    path("v/<int:version_id>/impact/<int:submission_id>/", views.impact_row, name="impact_row"),
    path("v/<int:version_id>/submit/", views.submit_for_approval, name="submit"),
    path("v/<int:version_id>/approve/", views.approve, name="approve"),
    path("v/<int:version_id>/reject/", views.reject, name="reject"),
    path("v/<int:version_id>/publish/", views.publish, name="publish"),
    path("v/<int:version_id>/retire/", views.retire, name="retire"),
]
