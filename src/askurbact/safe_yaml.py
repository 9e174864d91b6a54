"""YAML as askurbact reads it (front matter, question files, settings): safe_load's rules,
minus aliases (a "billion laughs" file expands without bound), and no value that stops
the whole file: what YAML would make an impossible date (2023-02-29, 0000-01-01) or an
integer longer than Python converts (over 4300 digits) stays the text it is, for the
field that uses it to judge (and warn about). pyyaml is imported on first use only: a
one-off `ask` never reads YAML."""

from __future__ import annotations

import functools


class AliasNotAllowed(ValueError):
    """The text uses a YAML alias (or anchor)."""


@functools.cache
def loader_class() -> type:
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent, index):  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                raise AliasNotAllowed("YAML aliases are not allowed")
            return super().compose_node(parent, index)

    def or_text(construct):
        def construct_or_text(loader, node):
            try:
                return construct(loader, node)
            except (ValueError, OverflowError):  # out of range, too many digits
                return loader.construct_scalar(node)
        return construct_or_text

    for tag, construct in (("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
                           ("int", yaml.SafeLoader.construct_yaml_int)):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", or_text(construct))
    return Loader


def load(text: str) -> object:
    """The value of a YAML document. Raises yaml.YAMLError when it is malformed,
    AliasNotAllowed, or RecursionError when it is nested too deeply."""
    loader = loader_class()(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
