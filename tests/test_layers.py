"""The layers contract names every package and every module of the project shell (issue #19).

`lint-imports` (in `make test`) checks only the modules a contract names: a new app or a new module in `civtech/`
left out of `[tool.importlinter]` would be checked by nothing. These tests make leaving it out fail.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def contract(contract_id: str) -> dict:
    return next(c for c in CONFIG["contracts"] if c["id"] == contract_id)


def layered_modules() -> set[str]:
    names = set()
    for layer in contract("layers")["layers"]:
        for part in layer.replace("|", ":").split(":"):
            names.add(part.strip().strip("()"))
    return names


def our_packages() -> set[str]:
    """Every top-level package that is a Django app of ours (it has an apps.py)."""
    return {path.parent.name for path in ROOT.glob("*/apps.py")}


def test_every_app_of_ours_is_a_root_package_and_checked_for_circles():
    assert our_packages() <= set(CONFIG["root_packages"])
    assert set(CONFIG["root_packages"]) == set(contract("acyclic")["ancestors"])


def test_every_app_of_ours_has_a_layer():
    layered = layered_modules()
    assert {name for name in our_packages() if name != "civtech"} <= layered


def test_every_module_of_the_project_shell_is_in_the_composition_layer_or_the_kernel():
    children = {
        f"civtech.{path.stem if path.is_file() else path.name}"
        for path in (ROOT / "civtech").iterdir()
        if (path.suffix == ".py" and path.name != "__init__.py") or (path / "__init__.py").is_file()
    }
    assert children - layered_modules() == set()


def test_every_exception_says_why():
    text = (ROOT / "pyproject.toml").read_text()
    for contract_id in ("layers", "acyclic"):
        section = text.split(f'id = "{contract_id}"', 1)[1].split("[[tool.importlinter.contracts]]", 1)[0]
        if "ignore_imports" not in section:
            continue
        previous = ""
        for line in section.split("ignore_imports = [", 1)[1].split("\n]", 1)[0].splitlines():
            line = line.strip()
            if line.startswith('"'):
                assert previous.startswith(("#", '"')), f"{line} has no reason above it"
            previous = line or previous
        ignores = contract(contract_id)["ignore_imports"]
        assert len(ignores) == len(set(ignores))
