"""The enterprise tests' factories live in tests/factories/ (shared by every test package)."""

from tests.factories.accounts import UserFactory
from tests.factories.enterprises import CompleteEnterpriseFactory, EnterpriseFactory
from tests.factories.identity import make_id_number, make_uscc

__all__ = ["CompleteEnterpriseFactory", "EnterpriseFactory", "UserFactory", "make_id_number", "make_uscc"]
