"""A tiny analysis model trained on reviews written for the tests (no corpus needed)."""

from __future__ import annotations

from thumbs.corpora import Document
from thumbs.learn.training import train_model
from thumbs.pipeline.model import Model

POSITIVE = [
    ("A wonderful film. The acting is superb and the story moved me.", 9),
    ("I loved every minute. A brilliant, funny and touching movie.", 10),
    ("Great cast, great script. One of the best films this year.", 9),
    ("Beautifully shot and wonderfully acted. I was moved to tears.", 8),
    ("A delightful surprise: smart, funny and never boring.", 8),
    ("Superb direction and a brilliant lead. Highly recommended.", 10),
    ("The film is a gem. Touching, warm and very well made.", 7),
    ("An excellent story told with great care. Loved it.", 9),
]
NEGATIVE = [
    ("A dull film. The acting is wooden and the story is boring.", 2),
    ("I hated every minute. An awful, tedious and stupid movie.", 1),
    ("Terrible cast, terrible script. One of the worst films this year.", 1),
    ("Badly shot and poorly acted. I was bored to tears.", 3),
    ("A dreadful mess: dumb, lazy and always boring.", 2),
    ("Awful direction and a wooden lead. Avoid it.", 1),
    ("The film is a disaster. Tedious, cold and badly made.", 4),
    ("A poor story told without any care. Hated it.", 3),
]
SUBJECTIVE = [
    "the acting is superb",
    "a dull and boring film",
    "i loved every minute",
    "an awful mess",
    "the best film of the year",
    "i was bored to tears",
    "brilliant and funny",
    "a tedious disaster",
]
OBJECTIVE = [
    "he moves to paris in 1920",
    "she meets her father at the station",
    "the war takes him to the front",
    "they travel north by train",
    "the family buys a farm",
    "his brother joins the army",
    "the town lies by a river",
    "she writes letters every week",
]


def documents() -> tuple[list[Document], list[Document], list[Document]]:
    reviews = [
        Document(id=f"r{i}", text=text, label=label, rating=float(rating))
        for i, (text, rating, label) in enumerate(
            [(t, r, "positive") for t, r in POSITIVE] + [(t, r, "negative") for t, r in NEGATIVE]
        )
    ]
    subj = [Document(id=f"s{i}", text=t, label="subjective") for i, t in enumerate(SUBJECTIVE)] + [
        Document(id=f"o{i}", text=t, label="objective") for i, t in enumerate(OBJECTIVE)
    ]
    mr = [
        Document(id=f"m{i}", text=t, label=label)
        for i, (t, label) in enumerate([(t, "positive") for t, _ in POSITIVE] + [(t, "negative") for t, _ in NEGATIVE])
    ]
    return reviews, subj, mr


def tiny_model() -> Model:
    reviews, subj, mr = documents()
    return train_model(reviews, subj, mr, recipe="tiny")
