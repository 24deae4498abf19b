"""One hardened lxml parser for every XML document newsvoice reads back (feeds, lexicons,
its own EPUB and overlay files): no entity expansion, no DTD loading, no network, no huge
trees. Each caller may add options that only change what is kept (comments, blank text)."""

from __future__ import annotations

from lxml import etree


def xml_parser(
    *, remove_comments: bool = False, remove_pis: bool = False, remove_blank_text: bool = False
) -> etree.XMLParser:
    """A parser that expands no entity and fetches nothing."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=remove_comments,
        remove_pis=remove_pis,
        remove_blank_text=remove_blank_text,
    )
