"""Enterprise filings (SPEC F-30–F-37). Today: the evidence archive (其他材料, F-32) in
:mod:`portal.filings.evidence`; windows, the Filing and its state machine come next."""
