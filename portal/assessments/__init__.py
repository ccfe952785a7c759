"""数字化水平评测 (SPEC F-35, FAQ 6): attempts of the digital-level questionnaire.

- :mod:`.models` — :class:`~portal.assessments.models.Assessment`, one attempt, owning its engine
  submission 1:1 (PROTECT).
- :mod:`.services` — start or resume an attempt, and the engine's submit hook that stores the result.
- :mod:`.selectors` — the latest result (what filings use), history, the result page's data.
- :mod:`.prefill` — the engine's prefill source ``assessment.digital_level``.

See docs/assessment.md.
"""
