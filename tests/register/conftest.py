from typing import Any

import pytest

from tests.conftest import grant
from tests.factories import PartnershipFactory, UserFactory


@pytest.fixture
def editor(client: Any) -> Any:
    """A signed-in coordinator of some partnership: may edit the register."""
    user = UserFactory()
    grant(user, PartnershipFactory(), "coordinator")
    client.force_login(user)
    return user
