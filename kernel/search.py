"""Searchable models: a `search_text` column kept, with its n-grams, by the change feed."""

from collections.abc import Iterable

from django.db import models

from kernel import feed, ngram

BATCH = 1000


class Searchable:
    """Mixin of a model found by keyword: it says what its search text is made of, either row
    by row (`build_search_text`, reading what `with_text_data` fetched for many rows at once)
    or for many rows at once (`search_texts`)."""

    def build_search_text(self) -> str:
        raise NotImplementedError

    @classmethod
    def with_text_data(cls, rows: models.QuerySet) -> models.QuerySet:
        """What build_search_text reads, fetched for many rows at once."""
        return rows

    @classmethod
    def search_texts(cls, pks: list[int]) -> dict[int, str]:
        """The search texts of the rows with these ids (gone rows: none)."""
        rows = cls.with_text_data(cls._base_manager.filter(pk__in=pks))
        return {row.pk: row.build_search_text() for row in rows}


def follow(model: type[models.Model]) -> feed.Artifact:
    """Keep the model's search texts and n-grams with every change to what they print: its own
    rows and, through the model's tracked `follows`, the rows they name."""
    source = feed.source(model)
    kind = source.kind

    def refresh(keys: feed.Keys) -> None:
        if any(None in changed for changed in keys.values()):  # every row of a kind
            rebuild()
            return
        write(model, feed.affected(model, _subjects(keys)))

    def rebuild() -> None:
        pks = list(model._base_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            found = model.search_texts(pks[start : start + BATCH])
            texts = [model(pk=pk, search_text=text) for pk, text in found.items()]
            model._base_manager.bulk_update(texts, ["search_text"], batch_size=ngram.BATCH)
        ngram.rebuild(model)

    return feed.artifact(
        f"{model._meta.label}.search_text",
        depends_on={kind, *source.follows},
        refresh=refresh,
        rebuild=rebuild,
    )


def _subjects(keys: feed.Keys) -> set[str]:
    return {kind if key is None else f"{kind}:{key}" for kind, ks in keys.items() for key in ks}


def write(model, pks: Iterable[int]) -> None:
    """These rows' search texts and n-grams as their rows are now (gone rows leave the index)."""
    pks = sorted(set(pks))
    for start in range(0, len(pks), BATCH):
        chunk = pks[start : start + BATCH]
        texts = model.search_texts(chunk)
        ngram.save_texts(model, texts)
        ngram.forget(model, set(chunk) - texts.keys())
