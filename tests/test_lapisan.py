"""Dependencies point one way, as the README's code map says: each app imports (and its
templates load, include, extend, link to or name) only itself and the apps before it.

The order is read from the README's dependency line, so the document and the code cannot
drift apart: an app missing from the line, or an import pointing up it, fails here with the
file, line and reference. Templates outside an app's folder (base.html, includes/,
registration/, 403/404) are the site's frame: every app's pages render into it and it may link
to every app, so references *to* it are allowed from anywhere.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEPENDENCY_LINE = re.compile(r"^`inti`.*←")

# {% load a b %}, {% include "x" %}, {% extends "x" %}, {% url 'ns:name' %}
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_REF = re.compile(r"{%\s*(?:include|extends)\s+[\"']([^\"']+)[\"']")
URL_REF = re.compile(r"{%\s*url\s+[\"'](\w+):")
PY_TEMPLATE_NAME = re.compile(r"[\"']((?:admin/)?\w+/[\w/.-]+\.html)[\"']")


def layers() -> dict[str, int]:
    """App -> layer from the README line '`inti` ← `wilayah` ← … ← `a`, `b` ← …'."""
    lines = [line for line in README.read_text(encoding="utf-8").splitlines() if DEPENDENCY_LINE.match(line)]
    assert len(lines) == 1, "README needs exactly one dependency line starting with `inti` ←"
    order = {}
    for level, group in enumerate(lines[0].split("←")):
        for app in re.findall(r"`(\w+)`", group):
            order[app] = level
    return order


def apps_on_disk() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")} | {"config"}


def template_libraries() -> dict[str, str]:
    """Template tag library name -> the app that defines it."""
    return {p.stem: p.parent.parent.name for p in ROOT.glob("*/templatetags/*.py") if p.stem != "__init__"}


def template_owner(name: str, apps: set[str]) -> str | None:
    """The app a template belongs to (templates/<app>/… or templates/admin/<app>/…), or None
    for the site frame."""
    parts = name.split("/")
    if parts[0] == "admin" and len(parts) > 2:
        parts = parts[1:]
    return parts[0] if len(parts) > 1 and parts[0] in apps else None


def upward(source: str, target: str | None, order: dict[str, int]) -> bool:
    return target is not None and target != source and order[target] >= order[source]


def python_references(path: Path, apps: set[str]) -> list[tuple[int, str, str]]:
    """(line, app referred to, what) for every import of a project app, and every template
    named in a string."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in apps:
                found.append((node.lineno, top, f"import {name}"))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            for template in PY_TEMPLATE_NAME.findall(node.value):
                found.append((node.lineno, template_owner(template, apps) or "", f"template {template}"))
    return [(line, app, what) for line, app, what in found if app]


def template_references(path: Path, apps: set[str], libraries: dict[str, str]) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for group in LOAD.findall(line):
            for library in group.split():
                if library in libraries:
                    found.append((number, libraries[library], f"load {library}"))
        for name in TEMPLATE_REF.findall(line):
            owner = template_owner(name, apps)
            if owner:
                found.append((number, owner, f"template {name}"))
        for namespace in URL_REF.findall(line):
            if namespace in apps:
                found.append((number, namespace, f"url {namespace}:…"))
    return found


def test_readme_dependency_line_names_every_app():
    order = layers()
    assert set(order) == apps_on_disk(), "README dependency line and the apps on disk differ"


def test_no_upward_dependency_between_apps():
    order = layers()
    apps = set(order)
    libraries = template_libraries()
    problems = []
    for app in sorted(apps):
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, target, what in python_references(path, apps):
                if upward(app, target, order):
                    problems.append(f"{path.relative_to(ROOT)}:{line}: {app} → {target} ({what})")
    for path in sorted((ROOT / "templates").rglob("*.html")):
        owner = template_owner(str(path.relative_to(ROOT / "templates")), apps)
        if owner is None:
            continue  # the site frame
        for line, target, what in template_references(path, apps, libraries):
            if upward(owner, target, order):
                problems.append(f"{path.relative_to(ROOT)}:{line}: {owner} → {target} ({what})")
    assert not problems, "Upward dependencies:\n" + "\n".join(problems)


def test_the_check_sees_an_upward_import(tmp_path):
    """The checker itself: an import and a template tag of a higher app are caught."""
    order = {"inti": 0, "pmks": 1, "bantuan": 2}
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from bantuan.selectors import usulan_list\n", encoding="utf-8")
    refs = python_references(source, set(order))
    assert refs == [(2, "bantuan", "import bantuan.selectors")]
    assert upward("pmks", "bantuan", order) and not upward("bantuan", "pmks", order)
    page = tmp_path / "p.html"
    page.write_text('{% load i18n bantuan_tags %}\n{% url "bantuan:x" %}', encoding="utf-8")
    refs = template_references(page, set(order), {"bantuan_tags": "bantuan"})
    assert [(line, app) for line, app, _what in refs] == [(1, "bantuan"), (2, "bantuan")]
