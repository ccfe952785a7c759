"""The staff screens of recognition in the Wagtail admin: 公示与认定 (:mod:`.publicity`) and the
认定企业 register (:mod:`.register`), mounted by :mod:`.viewsets`."""
