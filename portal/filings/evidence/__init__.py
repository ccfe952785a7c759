"""The evidence archive (其他材料, SPEC F-32): one zip of at most 300 MB per slot, uploaded with the
tus protocol, inspected without extraction by a background task, frozen when a filing is submitted.

Modules: ``refusals`` (codes and messages), ``names`` (member-name decoding and rules),
``inspection`` (the pure zip checks), ``storage`` (parts and archives through the storage API),
``services`` (every write), ``selectors`` (owner-scoped reads), ``tasks`` (the background task),
``tus`` and ``views`` (HTTP), ``signals`` (``archive_replaced``). docs/evidence.md describes it all.
"""
