"""Renderers: every output is built from the Article model, never from source HTML."""
