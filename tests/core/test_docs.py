"""The README and .env.example document every variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r"""env_(?:str|bool|int|list|networks)\(\s*["']([A-Z][A-Z0-9_]+)["']|os\.environ(?:\.get)?[\(\[]\s*["']([A-Z][A-Z0-9_]+)["']"""
)


def settings_variables() -> set[str]:
    source = (ROOT / "humas_portal" / "settings.py").read_text()
    return {a or b for a, b in READS.findall(source)}


def test_the_settings_read_variables():
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= settings_variables()


def test_every_settings_variable_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in settings_variables() if name not in readme)
    assert not missing, f"README.md does not mention: {', '.join(missing)}"


def test_every_settings_variable_is_in_env_example():
    example = (ROOT / ".env.example").read_text()
    names = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    missing = sorted(settings_variables() - names)
    assert not missing, f".env.example does not list: {', '.join(missing)}"
