"""aiogram imported with its Telegram types built on first use, not all at import.

aiogram declares every Telegram type with pydantic's ``defer_build=True``, but
``aiogram.types`` then rebuilds all of them (about 440 models) at import: about 100 MB of
validators and serializers, most of them for types a registration bot never receives
(aiogram issue #1513, "High memory consumption due to importing any object from
aiogram"). Imported through `import_aiogram`, that loop only hands each type the namespace
it would have been rebuilt with (as the model's parent namespace, which pydantic uses for
every later rebuild); pydantic then builds a type the first time it is validated or
created — an Update, a Message, a SendMessage — and keeps it.

Nothing else changes: the same classes, the same validation. `tests/bot/test_lazy_types`
builds every aiogram type and method this way (the guarantee the eager loop gave at
import) and checks that the deferral took place. Should a pydantic or aiogram release
change what this relies on, the import falls back to aiogram's own eager build.
"""

from __future__ import annotations

import inspect
import logging
import sys
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

log = logging.getLogger(__name__)

# The keyword aiogram's rebuild loop passes its namespace with (pydantic 2.x).
_NAMESPACE_ARG = "_types_namespace"
# The loop rebuilds the models of this package (pydantic itself also calls model_rebuild
# with a namespace, when a generic model such as aiogram's TelegramMethod is
# parametrized: those calls go through untouched).
_TYPES = "aiogram.types."


def import_aiogram() -> bool:
    """Imports aiogram, deferring its types' build. True when the build was deferred
    (False when aiogram was already imported, or pydantic no longer takes the namespace
    the way this relies on: then aiogram builds everything as usual)."""
    if "aiogram" in sys.modules:
        return False
    original = BaseModel.__dict__["model_rebuild"]
    if _NAMESPACE_ARG not in inspect.signature(original.__func__).parameters:
        log.info("pydantic's model_rebuild changed; aiogram's types are built at import")
        import aiogram

        return False
    taken: dict[str, Any] = {}  # the namespace of aiogram's loop, once it has run

    def deferring(cls: type[BaseModel], **kwargs: Any) -> bool | None:
        namespace = kwargs.get(_NAMESPACE_ARG)
        if namespace is None or kwargs.get("force") or not cls.__module__.startswith(_TYPES):
            result: bool | None = original.__func__(cls, **kwargs)
            return result
        taken["namespace"] = namespace
        _give_namespace(cls, namespace)
        return None

    BaseModel.model_rebuild = classmethod(deferring)  # type: ignore[method-assign,assignment,arg-type]
    try:
        import aiogram
        import aiogram.methods
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    if "namespace" not in taken:
        return False
    # Models outside aiogram.types (the Bot API methods, ...) that could not be built
    # at their definition get the same namespace, for their first use.
    for model in aiogram_models():
        if not model.__pydantic_complete__:
            _give_namespace(model, taken["namespace"])
    return True


def aiogram_models() -> Iterator[type[BaseModel]]:
    """Every pydantic model class aiogram defines."""
    seen: set[type[BaseModel]] = set()
    stack: list[type[BaseModel]] = [BaseModel]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if _is_aiogram(sub):
                    yield sub


def _is_aiogram(cls: type) -> bool:
    return cls.__module__.startswith("aiogram.")


def _give_namespace(cls: type[BaseModel], namespace: dict[str, Any]) -> None:
    own = cls.__pydantic_parent_namespace__
    cls.__pydantic_parent_namespace__ = {**namespace, **own} if own else namespace
