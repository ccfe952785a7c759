"""Factories shared by the test packages, one module per area:

* ``identity`` — valid USCC and ID numbers (``make_uscc``, ``make_id_number``, ``wrong_check``);
* ``accounts`` — the one ``UserFactory`` (password ``PASSWORD``), ``AccountFactory``,
  ``VerifiedLegalAccountFactory``;
* ``enterprises`` — ``EnterpriseFactory``, ``CompleteEnterpriseFactory``;
* ``forms`` — the form engine: schemas built in code, definitions, versions, submissions.

``tests/accounts/factories.py`` and ``tests/enterprises/factories.py`` re-export these names.
"""
