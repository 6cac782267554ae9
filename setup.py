"""The build hook: gettext catalogs (.po) compiled into .mo as the package is built.

Everything else is declared in pyproject.toml. A source checkout or an editable install
works without the .mo files too (`locales` compiles a catalog in memory when no fresh
.mo is at hand); `smup i18n compile` writes them beside the .po files.

The few lines of compiling are Babel's own calls, as in `locales.compile_po`, written here
rather than imported: the build runs in an environment with setuptools and Babel only,
where the project's packages are not importable.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithCatalogs(build_py):
    """build_py, then every locales/<lang>/LC_MESSAGES/<domain>.po compiled to .mo."""

    def run(self) -> None:
        super().run()
        for po in sorted(Path("locales").glob("*/LC_MESSAGES/*.po")):
            target = Path(self.build_lib) / po.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
            with target.open("wb") as out:
                write_mo(out, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
