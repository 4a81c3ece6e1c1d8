"""The layers point one way: the apps stand on the core package, never the
other way round (settings and URLs name apps only as strings)."""

import ast
from pathlib import Path

from django.conf import settings

CORE = Path(settings.BASE_DIR) / "humas_portal"
ABOVE_THE_CORE = {"news", "socialmedia", "ppid", "dumas", "monitoring", "bench", "tests"}


def _imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def test_the_core_package_imports_no_app():
    offending = [
        f"{path.relative_to(CORE.parent)}:{line} imports {module}"
        for path in sorted(CORE.rglob("*.py"))
        for line, module in _imported_modules(path)
        if module.split(".")[0] in ABOVE_THE_CORE
    ]
    assert len(list(CORE.rglob("*.py"))) > 30
    assert offending == []
