"""The objection playbook's defaults: one response per objection of frameworks/objections, written
from its approach steps and its example, until the team writes its own."""

from __future__ import annotations

from collections.abc import Mapping

from salesopt.content.frameworks import ObjectionPlaybook
from salesopt.model.assessment import ObjectionResponse


def default_responses(books: Mapping[str, ObjectionPlaybook]) -> list[ObjectionResponse]:
    """'Acknowledge; Ask. E.g. "..."' per objection of every playbook, in file order."""
    return [
        ObjectionResponse(name=o.name, response="; ".join(o.approach) + (f'. E.g. "{o.example}"' if o.example else ""))
        for book in books.values()
        for o in book.objections
    ]


def playbook(saved: list[ObjectionResponse], books: Mapping[str, ObjectionPlaybook]) -> list[ObjectionResponse]:
    """The team's saved responses, else the defaults."""
    return list(saved) or default_responses(books)
