"""The portal's small world (tests/portal/conftest.py) for the open-data tests."""

from tests.portal.conftest import world  # noqa: F401
