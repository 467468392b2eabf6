"""textvec.Query: the article's side of the weighted cosine prepared once gives weighted_cosine value
for value, and a cosine it bounds instead (below the floor) is below the floor both ways, so that
decide, which compares it only with the floor and up, decides the same."""

from __future__ import annotations

import random

from bot.items import textvec


def vectors(rng: random.Random, words: list[str], size: int) -> dict[str, float]:
    return {w: round(rng.random(), 4) for w in rng.sample(words, size)}


def test_the_prepared_cosine_is_weighted_cosine_value_for_value_or_a_bound_under_the_floor():
    rng = random.Random(17)
    words = [f"w{n}" for n in range(300)]
    bounded = exact = 0
    for _ in range(3000):
        article = textvec.normalized(vectors(rng, words, rng.randint(1, 40)))
        centroids = [vectors(rng, words, rng.randint(1, 120)) for _ in range(rng.randint(1, 20))]
        discount = textvec.local_discount(centroids)
        floor, scale = rng.choice([0.0, 0.15, 0.3]), rng.choice([1.0, 0.5, 0.25])
        query = textvec.Query(article, discount, floor)
        for centroid in centroids:
            true, ours = textvec.weighted_cosine(article, centroid, discount), query.cosine(centroid, scale)
            if ours == true:
                exact += 1
            else:  # a bound: at least the true value, and with its scale under the floor
                bounded += 1
                assert true <= ours and ours * scale < floor
    assert bounded and exact  # both ways taken


def test_an_article_sharing_no_word_with_a_centroid_scores_nothing():
    query = textvec.Query({"a": 0.6, "b": 0.8}, {"a": 0.5}, 0.15)
    assert query.cosine({"c": 1.0, "d": 2.0}) == 0.0 == textvec.weighted_cosine({"a": 0.6, "b": 0.8}, {"c": 1.0}, {})
    assert textvec.Query({}, {}).cosine({"a": 1.0}) == 0.0
