"""The altered SQuAD questions that train and check refusal (bench/squad.py `altered`): one
constraint changed so that the article no longer answers."""

from __future__ import annotations

import random

from bench.squad import altered

ARTICLE = "The Normans conquered England in 1866. Rollo led the Normans into Normandy in 1911."


def test_a_year_moves_to_one_the_article_never_mentions() -> None:
    new = altered("Did the Normans conquer England in 1866?", ARTICLE, [], random.Random(1))
    assert new is not None and "1866" not in new
    year = int(new.split(" in ")[-1].rstrip("?"))
    assert str(year) not in ARTICLE and abs(year - 1866) <= 30


def test_a_name_is_replaced_by_one_of_another_article() -> None:
    new = altered("Who led the Normans into Normandy?", ARTICLE, ["Kyoto", "Normandy"], random.Random(1))
    assert new is not None and "Kyoto" in new and new.count("Norman") == 1
    # nothing to change: no year nor name of the article
    assert altered("What is a conquest?", ARTICLE, ["Kyoto"], random.Random(1)) is None
