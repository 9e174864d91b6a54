"""askurbact: ask the documents of the URBACT "Social innovation in cities" workstream."""

__version__ = "0.1.0"
