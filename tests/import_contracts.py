"""Import contracts of PeerLearn beyond import-linter's own (used by ``make check``).

* ``through_selectors``: a later stage uses an earlier one only through the earlier app's
  ``selectors`` (reads) and ``services`` (writes); never its models, views, forms or API.
* ``standalone``: a package imports nothing but itself and the standard library.
"""

from __future__ import annotations

import sys
from typing import Any

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(f"{package}.")


class ThroughSelectorsContract(Contract):
    """``stages`` lists the apps from the earliest to the latest; ``entrances`` names the
    modules of an app that later apps may import."""

    stages = fields.ListField(subfield=fields.StringField())
    entrances = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        stages: list[str] = [str(stage) for stage in self.stages]  # type: ignore[attr-defined]
        entrances: list[str] = [str(e) for e in self.entrances]  # type: ignore[attr-defined]
        violations: list[str] = []
        for later_index, later in enumerate(stages):
            for importer in sorted(graph.find_children(later) | {later}):
                for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                    earlier = imported.split(".")[0]
                    if earlier not in stages[:later_index]:
                        continue
                    if any(_within(imported, f"{earlier}.{e}") for e in entrances):
                        continue
                    violations.append(f"{importer} -> {imported}")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(violation, bold=False)
            output.new_line()


class StandaloneContract(Contract):
    """Every module of ``package`` imports only ``package`` itself and the standard library."""

    package = fields.StringField()

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        package = str(self.package)  # type: ignore[attr-defined]
        violations: list[str] = []
        modules = graph.find_children(package) | {package}
        for importer in sorted(modules):
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                top = imported.split(".")[0]
                if _within(imported, package) or top in sys.stdlib_module_names:
                    continue
                violations.append(f"{importer} -> {imported}")
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(violation, bold=False)
            output.new_line()


__all__: list[Any] = ["StandaloneContract", "ThroughSelectorsContract"]
