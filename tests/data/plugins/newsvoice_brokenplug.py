"""A third-party engine plugin whose import fails (a missing dependency)."""

import a_dependency_that_is_not_installed  # noqa: F401
