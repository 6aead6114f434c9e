"""One money parser: a typed answer reads like a CSV cell. The Python reading of one value
(salesopt.crm.values.money_value, used by answers) and the importer's SQL (money_sql) agree on a
corpus, one value at a time and as a column whose plan the whole sample decides."""

from __future__ import annotations

import pytest

from salesopt.crm import cells
from salesopt.crm.values import money_value, plan_money
from salesopt.model.answers import parse_money

CORPUS = [
    "CHF 50k",
    "(500)",
    "€1.000",
    "1 234,50 €",
    "$ -",
    "50,000.00",
    "$50,000",
    "50k",
    "1.2M",
    "USD 50000",
    "€ 50 000",
    "-$500",
    "$-500",
    "500-",
    "1'250",
    "1\u00a0250",
    "2bn",
    "3 mm",
    "£1,250.75",
    "US$ 10",
    "R$ 1.500,00",
    "-",
    "",
    "n/a",
    "abc",
    "1,2,3",
    "12.5",
    "0",
    "+700",
    "1.250,5",
]


@pytest.mark.parametrize("text", CORPUS)
def test_one_value_reads_the_same_in_python_and_in_sql(text):
    sql = cells.parse_money([text])[0]
    python = money_value(text)
    assert python == pytest.approx(sql) if sql is not None else python is None


def test_a_column_reads_the_same_with_its_plan():
    column = ["€1.000", "€500", "€2.500", "(€1.000)", "-"]
    plan = plan_money(column)
    assert plan.dot_thousands
    assert [money_value(x, plan) for x in column] == cells.parse_money(column) == [1000.0, 500.0, 2500.0, -1000.0, None]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("CHF 50k", 50_000.0),
        ("(500)", -500.0),
        ("€1.000", 1000.0),
        ("1 234,50 €", 1234.5),
        ("$ -", None),
        ("50,000.00", 50_000.0),
        ("1.2M", 1_200_000.0),
        ("€ 50 000", 50_000.0),
    ],
)
def test_answers_read_money_like_the_importer(text, value):
    assert parse_money(text) == value
    assert cells.parse_money([text])[0] == value
