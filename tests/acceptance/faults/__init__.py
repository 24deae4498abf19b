"""Fault tests: the engine dying mid-article, a full disk, SIGKILL during writes."""
