"""Searchable models: a `search_text` column kept, with its n-grams, by the change feed."""

from collections.abc import Iterable

from django.db import models

from kernel import feed, ngram

BATCH = 1000


class Searchable:
    """Mixin of a model found by keyword: it says what its search text is made of."""

    def build_search_text(self) -> str:
        raise NotImplementedError

    @classmethod
    def with_text_data(cls, rows: models.QuerySet) -> models.QuerySet:
        """What build_search_text reads, fetched for many rows at once."""
        return rows


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
            rows = model.with_text_data(
                model._base_manager.filter(pk__in=pks[start : start + BATCH])
            )
            texts = [model(pk=row.pk, search_text=row.build_search_text()) for row in rows]
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
        rows = model.with_text_data(model._base_manager.filter(pk__in=chunk))
        texts = {row.pk: row.build_search_text() for row in rows}
        ngram.save_texts(model, texts)
        ngram.forget(model, set(chunk) - texts.keys())
