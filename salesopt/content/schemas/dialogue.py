"""The dialogue's schema (frameworks/dialogue/): the five stages, each with its goal, aspects asked as
steps, and the questions with the kind of answer each needs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from salesopt.content.schemas.base import ContentModel

AnswerType = Literal["text", "choice", "number", "money", "percent", "duration"]
StageId = Literal["context", "funnel", "qualification", "enablement", "performance"]
STAGE_IDS: tuple[str, ...] = ("context", "funnel", "qualification", "enablement", "performance")


class Question(ContentModel):
    """One question of the dialogue, with the kind of answer it needs."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id, the key of the answer in the assessment.")
    prompt: str = Field(min_length=1, description="The question as the facilitator asks it.")
    type: AnswerType = Field(description="Kind of answer: text, choice, number, money, percent or duration.")
    help: str = Field("", description="One line under the question: what a good answer looks like.")
    options: tuple[str, ...] = Field((), description="Choices, for type 'choice' only.")
    multiple: bool = Field(False, description="For type 'choice': more than one option may be picked.")
    min: float | None = Field(None, description="Smallest accepted value (percent in points, duration in days).")
    max: float | None = Field(None, description="Largest accepted value (percent in points, duration in days).")
    integer: bool = Field(False, description="For type 'number': whole numbers only.")
    note: str = Field("", description="Facilitator note: what to listen for, what to ask next.")

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.type == "choice" and not self.options:
            raise ValueError("a 'choice' question needs options")
        if self.type != "choice" and self.options:
            raise ValueError(f"options are only for 'choice' questions, not '{self.type}'")
        if self.multiple and self.type != "choice":
            raise ValueError("multiple is only for 'choice' questions")
        if self.integer and self.type != "number":
            raise ValueError("integer is only for 'number' questions")
        if len(set(self.options)) != len(self.options):
            raise ValueError("options must be unique")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        if self.type in ("text", "choice") and (self.min is not None or self.max is not None):
            raise ValueError(f"min/max do not apply to '{self.type}' questions")
        return self


class Aspect(ContentModel):
    """One aspect of a stage, asked as one step of the dialogue."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable id of the aspect.")
    title: str = Field(min_length=1, description="Heading shown for the step.")
    questions: tuple[Question, ...] = Field(min_length=1, description="The questions, in the order asked.")


class Stage(ContentModel):
    """One dialogue stage: its goal, aspects in order, and closing question."""

    id: StageId = Field(description="Which stage this file describes.")
    number: int = Field(ge=1, le=5, description="Position in the engagement, 1-5.")
    title: str = Field(min_length=1, description="Stage title.")
    goal: str = Field(min_length=1, description="The stage's goal, from the seed.")
    approach: str = Field("", description="How the stage is run (the seed's 'Important' line).")
    minutes: int = Field(ge=1, description="Typical time the stage takes in a workshop, in minutes.")
    aspects: tuple[Aspect, ...] = Field(min_length=1, description="Aspects in the order asked.")
    output: str = Field(min_length=1, description="What the stage's output presents.")
    closing_question: str = Field(min_length=1, description="The question that ends the stage.")

    @model_validator(mode="after")
    def _unique_ids(self) -> Stage:
        seen: set[str] = set()
        for aspect in self.aspects:
            for q in aspect.questions:
                if q.id in seen:
                    raise ValueError(f"question id '{q.id}' is used twice")
                seen.add(q.id)
        return self

    def questions(self) -> list[Question]:
        return [q for a in self.aspects for q in a.questions]

    def question(self, qid: str) -> Question:
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)
