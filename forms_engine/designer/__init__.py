"""The form designer (issue 5): policy staff edit, validate, preview, test-score, diff, assess
the impact of, get approved and publish form versions in the Wagtail admin's 表单管理.

Views are thin: they parse requests, change a copy of the draft's schema with the pure helpers of
:mod:`forms_engine.designer.edits`, and save through :func:`forms_engine.services.save_draft_schema`.
"""
