"""Build BeautifulSoup's tree from lxml's, in one pass.

BeautifulSoup's own lxml builder receives the parse as a stream of Python callbacks and spends
most of an extraction there (about two thirds of it on the Zyte pages). Here libxml2 builds its
tree in C and one walk makes the same ``Tag`` and ``NavigableString`` objects, linked as
BeautifulSoup links them: the same names, attributes (``class`` and the other multi-valued
ones as lists), string classes (``Script``, ``Stylesheet``, ``TemplateString``, ruby text),
white-space-only strings collapsed to one space or newline outside ``<pre>`` and
``<textarea>``, comments, processing instructions and the doctype. Two things the tree cannot
know are left as they are, and nothing reads them: white space between the end of ``</html>``
and the end of the file, and a valueless boolean attribute (``defer``), which reads as its
own name, as HTML defines it.

The walk counts elements and nesting as it goes and stops (TooComplex) at the first one past
a limit, so an absurd page is refused before any Python object is made for most of it.
"""

from __future__ import annotations

import gc
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from bs4 import BeautifulSoup, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import Comment, Doctype, NavigableString, PageElement, ProcessingInstruction
from lxml import etree

from ..errors import TooComplex

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..limits import Limits

_DOCTYPE = re.compile("<!doctype", re.IGNORECASE)
_ASCII_SPACES = "\x20\x0a\x09\x0c\x0d"
_NON_SPACE = re.compile(r"\S+")


def build_soup(html: str, limits: Limits) -> tuple[BeautifulSoup, list[Tag]]:
    """The soup of ``html`` and its elements in document order, the soup first.

    The cyclic garbage collector is paused while the tree is built: every node made is
    kept, so its collections (one per 700 new objects, the older generations every tenth
    of those) find nothing and cost nearly as much as the walk itself. The collector is
    switched back on only if it was on (another thread may be building a tree too)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_soup(html, limits)
    finally:
        if was_enabled:
            gc.enable()


def _build_soup(html: str, limits: Limits) -> tuple[BeautifulSoup, list[Tag]]:
    builder = LXMLTreeBuilder()
    soup = BeautifulSoup("", builder=builder)
    if html.startswith("\ufeff"):
        html = html[1:]
    if not html:
        return soup, [soup]
    try:
        root = _lxml_root(html)
    except UnicodeEncodeError:  # lone surrogates (a str from JSON or a caller): dropped
        html = html.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
        root = _lxml_root(html)
    walk = _walker(soup, builder, limits)
    before = list(root.itersiblings(preceding=True))[::-1]
    dtd = root.getroottree().docinfo.internalDTD
    doctype_at = -1 if dtd is None else 0
    if dtd is not None and before:  # where the doctype stood among the comments before it
        found = _DOCTYPE.search(html)
        end = found.start() if found else 0
        doctype_at = html.count("<!--", 0, end) + html.count("<?", 0, end)
    for i, node in enumerate([*before, None]):
        if i == doctype_at and dtd is not None:
            doctype = Doctype._string_for_name_and_ids(dtd.name, dtd.external_id, dtd.system_url)
            walk.string(doctype, soup, Doctype)
        if node is not None:
            walk.other(node, soup)
    walk.element(root, soup)
    for node in root.itersiblings():  # after </html>: libxml2 starts another root
        if isinstance(node.tag, str):
            walk.element(node, soup)
        else:
            walk.other(node, soup)
    return soup, walk.elements


def _lxml_root(html: str) -> Any:
    parser = etree.HTMLParser(recover=True, default_doctype=False, huge_tree=True)
    parser.feed(html)
    return parser.close()


# per tag name: its multi-valued attributes, whether it can be empty (void), the string
# class of its text, the string classes it finds, whether it keeps white space
_Kind = tuple[
    tuple[str, ...], bool, "type[NavigableString] | None", "set[type[NavigableString]]", bool
]


class _Walker(NamedTuple):
    elements: list[Tag]
    element: Callable[[Any, Tag], None]
    string: Callable[[str, Tag, type[NavigableString]], None]
    other: Callable[[Any, Tag], None]


def _walker(soup: BeautifulSoup, builder: LXMLTreeBuilder, limits: Limits) -> _Walker:
    """The functions of one document's walk. They share, as local variables of this closure
    (the walk visits every node, so lookups matter), the values every new Tag gets and the
    element parsed most recently, to which the next one is linked."""
    elements: list[Tag] = [soup]
    last: list[PageElement | None] = [None]
    keep_space_tags = builder.preserve_whitespace_tags
    containers = builder.string_containers
    empty = builder.empty_element_tags or set()
    list_class = builder.attribute_value_list_class
    dict_class = builder.attribute_dict_class
    cdata = builder.cdata_list_attributes or {}
    universal = cdata.get("*", set())
    kinds: dict[str, _Kind] = {}

    def _kind(name: str) -> _Kind:
        own = containers.get(name)
        return (
            tuple(universal | cdata.get(name, set())),
            name in empty,
            own,
            main_types if own is None else {own},
            name in keep_space_tags,
        )

    substitute = builder.set_up_substitutions
    main_types = Tag.MAIN_CONTENT_STRING_TYPES
    max_depth, max_nodes = limits.max_depth, limits.max_nodes
    # A Tag made the ordinary way gives the fields every Tag has (so a newer BeautifulSoup
    # that adds one still gets it); each element then sets its own.
    template: dict[str, Any] = dict(Tag(soup, builder, "div").__dict__)
    template["_namespaces"] = builder.active_namespace_prefixes[-1]
    new_tag = Tag.__new__
    new_str = str.__new__
    plain = NavigableString
    comment_tag, pi_tag = etree.Comment, etree.PI

    def link(o: PageElement, parent: Tag) -> None:
        previous = last[0]
        o.previous_element = previous
        if previous is not None:
            previous.next_element = o
        siblings = parent.contents
        if siblings:
            before = siblings[-1]
            o.previous_sibling = before
            before.next_sibling = o
        else:
            o.previous_sibling = None
        siblings.append(o)
        last[0] = o

    def string(
        text: str,
        parent: Tag,
        kind: type[NavigableString],
        keep_space: bool = False,
        container: type[NavigableString] | None = None,
    ) -> None:
        if not keep_space and not text.strip(_ASCII_SPACES):
            text = "\n" if "\n" in text else " "
        if container is not None and kind is plain:
            kind = container
        o = new_str(kind, text)
        o.hidden = False
        o.parent = parent
        o.next_element = None
        o.next_sibling = None
        link(o, parent)

    def other(
        node: Any,
        parent: Tag,
        keep_space: bool = False,
        container: type[NavigableString] | None = None,
    ) -> None:
        """A comment or processing instruction (entities are already resolved)."""
        if node.tag is comment_tag:
            string(node.text or "", parent, Comment, keep_space, container)
        elif node.tag is pi_tag:
            text = f"{node.target} {node.text or ''}"
            string(text, parent, ProcessingInstruction, keep_space, container)

    def element(
        node: Any,
        parent: Tag,
        keep_space: bool = False,
        container: type[NavigableString] | None = None,
        depth: int = 1,
    ) -> None:
        if depth > max_depth:
            raise TooComplex(
                f"document nests elements more than {max_depth} deep",
                hint="this is not a normal article page",
            )
        name: str = node.tag
        kind_of_name = kinds.get(name)
        if kind_of_name is None:
            kind_of_name = kinds[name] = _kind(name)
        multi, can_be_empty, own, string_types, keeps_space = kind_of_name
        t = new_tag(Tag)
        fields = template.copy()
        fields["name"] = name
        fields["parent"] = parent
        items = node.items()
        if items:
            attrs = dict_class(items)
            for key in multi:
                value = attrs.get(key)
                if value is not None:
                    dict.__setitem__(attrs, key, list_class(_NON_SPACE.findall(value)))
        else:
            attrs = dict_class()
        fields["attrs"] = attrs
        fields["contents"] = []
        fields["can_be_empty_element"] = can_be_empty
        fields["interesting_string_types"] = string_types
        t.__dict__ = fields
        previous = last[0]
        t.previous_element = previous
        if previous is not None:
            previous.next_element = t
        siblings = parent.contents
        if siblings:
            before = siblings[-1]
            t.previous_sibling = before
            before.next_sibling = t
        siblings.append(t)
        last[0] = t
        if name == "meta":
            substitute(t)
        elements.append(t)
        if len(elements) > max_nodes:
            raise TooComplex(
                f"document has more than {max_nodes:,} elements",
                hint="this is not a normal article page",
            )
        keep_space = keep_space or keeps_space
        if own is not None:
            container = own
        # the element's text and its children's tails, made here rather than by string():
        # they are most of the nodes of a page
        kind = plain if container is None else container
        children = t.contents
        text = node.text
        if text:
            if not keep_space and not text.strip(_ASCII_SPACES):
                text = "\n" if "\n" in text else " "
            o = new_str(kind, text)
            o.__dict__ = {
                "hidden": False,
                "parent": t,
                "previous_element": t,
                "next_element": None,
                "previous_sibling": None,
                "next_sibling": None,
            }
            t.next_element = o
            children.append(o)
            last[0] = o
        for child in node:
            if type(child.tag) is str:
                element(child, t, keep_space, container, depth + 1)
            else:
                other(child, t, keep_space, container)
            tail = child.tail
            if tail:
                if not keep_space and not tail.strip(_ASCII_SPACES):
                    tail = "\n" if "\n" in tail else " "
                o = new_str(kind, tail)
                before = children[-1]
                previous = last[0]
                o.__dict__ = {
                    "hidden": False,
                    "parent": t,
                    "previous_element": previous,
                    "next_element": None,
                    "previous_sibling": before,
                    "next_sibling": None,
                }
                before.next_sibling = o
                previous.next_element = o  # type: ignore[union-attr]
                children.append(o)
                last[0] = o

    return _Walker(elements, element, string, other)
