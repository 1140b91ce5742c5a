"""Mutation testing of the code where a bug does most harm (issue #23): `make mutation MODULE=<path>`.

mutmut 3 changes one thing at a time in a module (`>=` to `>`, `and` to `or`, a string, a number, a call's
argument) and runs the tests that cover the changed function; a change no test notices "survives". Each module
below is run with the tests that prove its behaviour, in a working folder of its own (`.mutation/<module>/`), so
a module's results are kept between runs and a rerun tests only what changed. docs/testing.md has the scores.

Why this shape (docs/testing.md, "Mutation testing", says more):
- mutmut copies the module and the apps into `<work>/mutants/` and puts that folder first on sys.path, so the
  tests import the mutated module and every other app from the copy (`also_copy` below lists the apps).
- A fork server imports Django and the tests once, then forks one process per mutant (`--max-children 1`: one
  at a time, this is a 2-core machine shared with other work). Every fork runs pytest with `--reuse-db`: the
  test database is made once and each test rolls back, so forks never migrate; nothing transactional is picked.
- The database is named after the run (`<name>_mut`), so a mutation run never touches another run's database.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
import psycopg
from mutmut.stats import status_by_exit_code
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
NOT_SLOW = "not browser and not worker and not reliability"

# The apps and files the tests import, copied beside the mutated module.
ALSO_COPY = [
    "accounts", "api", "applications", "challenges", "civtech", "cms", "discovery", "impact", "ledger",
    "notifications", "organisations", "sprints", "manage.py",
]  # fmt: skip

# Each module, with the tests that prove its behaviour. mutmut records which of them call each function and runs
# only those against that function's mutants. Keep transactional and slow tests out: they cannot share a kept
# database (and the run would take hours).
PERMISSION_TABLE = "tests/test_permissions.py"
MODULES: dict[str, list[str]] = {
    "api/permissions.py": [PERMISSION_TABLE, "tests/api/test_staff_api.py"],
    "applications/permissions.py": [
        PERMISSION_TABLE,
        "tests/applications/test_application_permissions.py",
        "tests/applications/test_assessment.py",
        "tests/applications/test_assessment_opens_at_the_deadline.py",
        "tests/applications/test_refusals_say_why.py",
        "tests/applications/test_submission.py",
        "tests/applications/test_boundaries.py",
    ],
    "challenges/permissions.py": [
        PERMISSION_TABLE,
        "tests/challenges/test_challenge_permissions.py",
        "tests/challenges/test_questions.py",
        "tests/challenges/test_alerts.py",
    ],
    "civtech/permissions.py": [PERMISSION_TABLE, "tests/test_rules_are_asked.py"],
    "discovery/permissions.py": [
        PERMISSION_TABLE,
        "tests/discovery/test_views.py",
    ],
    "impact/permissions.py": [
        PERMISSION_TABLE,
        "tests/impact/test_permissions.py",
        "tests/impact/test_returns.py",
        "tests/impact/test_benefits.py",
        "tests/impact/test_notices.py",
    ],
    "ledger/permissions.py": [
        PERMISSION_TABLE,
        "tests/ledger/test_contracts.py",
        "tests/ledger/test_contract_boundaries.py",
        "tests/ledger/test_contract_pages.py",
    ],
    "organisations/permissions.py": [
        PERMISSION_TABLE,
        "tests/organisations/test_invitations.py",
        "tests/organisations/test_registration.py",
    ],
    "sprints/permissions.py": [
        PERMISSION_TABLE,
        "tests/sprints/test_workspace_permissions.py",
        "tests/sprints/test_services.py",
    ],
    "accounts/middleware.py": [
        "tests/accounts/test_mfa.py",
        "tests/accounts/test_sign_in_doors.py",
        "tests/accounts/test_admin_scope.py",
        "tests/accounts/test_enforcement_by_method.py",
        "tests/test_totp_fresh.py",
    ],
    "impact/reporting.py": [
        "tests/impact/test_reporting.py",
        "tests/impact/test_boundaries.py",
        "tests/impact/test_rounding.py",
    ],
    "impact/models/settings.py": [  # the net-impact (additionality) formula
        "tests/impact/test_reporting.py",
        "tests/impact/test_boundaries.py",
        "tests/impact/test_rounding.py",
        "tests/impact/test_admin.py",
    ],
    "impact/services/assumptions.py": [  # adopting new additionality assumptions
        "tests/impact/test_reporting.py",
        "tests/impact/test_admin.py",
        "tests/impact/test_assumptions.py",
    ],
    "applications/services/submission.py": [  # the application journey: drafts, attachments, submission
        "tests/applications/test_submission.py",
        "tests/applications/test_boundaries.py",
        "tests/applications/test_attachment_limit.py",
        "tests/applications/test_refusals_say_why.py",
        "tests/applications/test_versions_seen_by_the_applicant.py",
    ],
    "applications/uploads.py": [
        "tests/applications/test_uploads.py",
        "tests/applications/test_boundaries.py",
        "tests/applications/test_attachment_limit.py",
    ],
    "ledger/services.py": [
        "tests/ledger/test_contracts.py",
        "tests/ledger/test_contract_boundaries.py",
        "tests/ledger/test_payment_due_dates.py",
        "tests/impact/test_boundaries.py",
    ],
}

# mutmut's exit codes, as it reads them (mutmut.models.results.status_by_exit_code).
KILLED, TIMEOUT, NOT_CHECKED = "killed", "timeout", "not checked"


def slug(module: str) -> str:
    return module.removesuffix(".py").replace("/", "-")


def lines(values: list[str]) -> str:
    return "".join(f"\n    {v}" for v in values)


class Undecorate(cst.CSTTransformer):
    """`@rule("x") def f` becomes `def f` followed by `f = (rule("x"))(f)`: the same function registered the same
    way, but one mutmut will mutate (it leaves decorated functions alone, and every permission rule and service
    here is decorated)."""

    def leave_Module(self, original, updated):
        return updated.with_changes(body=self._undecorated(updated.body))

    def leave_IndentedBlock(self, original, updated):
        return updated.with_changes(body=self._undecorated(updated.body))

    @staticmethod
    def _undecorated(body):
        statements = []
        for statement in body:
            decorators = getattr(statement, "decorators", ()) if isinstance(statement, cst.FunctionDef) else ()
            names = [d.decorator.value for d in decorators if isinstance(d.decorator, cst.Name)]
            if not decorators or (len(decorators) == 1 and names in (["staticmethod"], ["classmethod"])):
                statements.append(statement)
                continue
            name = statement.name.value
            applied = name
            for decorator in reversed(decorators):
                applied = f"({cst.Module([]).code_for_node(decorator.decorator)})({applied})"
            statements.append(statement.with_changes(decorators=()))
            statements.append(cst.parse_statement(f"{name} = {applied}  # undecorated by scripts/mutation.py\n"))
        return statements


def link_tree(work: Path, module: str) -> None:
    """Link the project's files into the working folder, except the module itself: that is an undecorated copy
    (in real folders down to it, so nothing written there can reach the project's own files)."""
    parts = Path(module).parts
    for name in [*ALSO_COPY, "tests", "pyproject.toml"]:
        if name != parts[0] and not (work / name).is_symlink():
            (work / name).symlink_to(ROOT / name)
    if not (work / "conftest.py").is_symlink():
        (work / "conftest.py").symlink_to(ROOT / "scripts" / "mutation_conftest.py")
    for depth in range(1, len(parts)):
        folder = Path(*parts[:depth])
        (work / folder).mkdir(exist_ok=True)
        for entry in (ROOT / folder).iterdir():
            here = work / folder / entry.name
            if entry.name not in (parts[depth], "__pycache__") and not here.is_symlink():
                here.symlink_to(entry)
    copy = work / module
    undecorated = cst.parse_module((ROOT / module).read_text()).visit(Undecorate()).code
    if not copy.exists() or copy.read_text() != undecorated:  # an unchanged copy keeps mutmut's earlier results
        copy.write_text(undecorated)


def prepare(module: str) -> Path:
    """The module's working folder: the project's files linked in, and mutmut's settings for this module."""
    work = WORK / slug(module)
    work.mkdir(parents=True, exist_ok=True)
    link_tree(work, module)
    pytest_args = ["-p", "no:cacheprovider", "--reuse-db", "-n", "0", "-m", NOT_SLOW]
    (work / "setup.cfg").write_text(
        "# Written by scripts/mutation.py for one module; edit MODULES there instead.\n"
        "[mutmut]\n"
        f"source_paths = {module}\n"
        f"also_copy ={lines([*ALSO_COPY, 'conftest.py'])}\n"
        f"pytest_add_cli_args ={lines(pytest_args)}\n"
        f"pytest_add_cli_args_test_selection ={lines(MODULES[module])}\n"
        "process_isolation = forkserver\n"
        # A forked pytest's own cost (about 3 s) dwarfs most tests' time, so mutmut's default timeout is too tight.
        "timeout_constant = 10\n"
        "use_setproctitle = false\n"
    )
    return work


def score(work: Path, module: str) -> dict:
    """Killed / total from mutmut's record of this module, and the survivors by name."""

    meta = json.loads((work / "mutants" / f"{module}.meta").read_text())
    statuses = {name: status_by_exit_code[code] for name, code in meta["exit_code_by_key"].items()}
    checked = {name: s for name, s in statuses.items() if s != NOT_CHECKED}  # a run stopped early leaves some
    return {
        "module": module,
        "killed": sum(s in (KILLED, TIMEOUT) for s in checked.values()),
        "total": len(checked),
        "not_checked": len(statuses) - len(checked),
        "survivors": sorted(n for n, s in checked.items() if s not in (KILLED, TIMEOUT)),
        "statuses": {n: s for n, s in checked.items() if s not in (KILLED, TIMEOUT)},
    }


def create_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def mutmut(work: Path, env: dict, *names: str, deadline: float | None) -> None:
    """Run mutmut (one mutant at a time); past the deadline, stop it as Ctrl-C would: it keeps what it has tried,
    and the untried mutants wait for the next run."""
    command = [str(Path(sys.executable).with_name("mutmut")), "run", "--max-children", "1", *names]
    process = subprocess.Popen(command, cwd=work, env=env, start_new_session=True)  # noqa: S603 - our venv's mutmut
    try:
        process.wait(timeout=None if deadline is None else max(deadline - time.monotonic(), 1))
    except subprocess.TimeoutExpired:
        print(f"\nTime is up: stopping mutmut ({work.name}); untried mutants are tried by the next run.")
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run(module: str, *, rerun_survivors: bool, minutes: float | None = None) -> dict:
    work = prepare(module)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "civtech.settings.test",
        "DATABASE_URL": os.environ.get("MUTATION_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civ_mut"),
    }
    env.pop("PYTEST_ADDOPTS", None)
    # The run's own database, migrated here once; each mutant's tests use it as it is (scripts/mutation_conftest.py).
    create_database(env["DATABASE_URL"])
    manage = [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"]
    subprocess.run(manage, cwd=ROOT, env=env, check=True)  # noqa: S603
    started = time.monotonic()
    deadline = None if minutes is None else started + 60 * minutes
    if rerun_survivors and (work / "mutants" / f"{module}.meta").exists():
        # mutmut keeps a survivor's verdict; name them to try them again against the tests written since.
        survivors = score(work, module)["survivors"]
        if survivors:
            mutmut(work, env, *survivors, deadline=deadline)
    mutmut(work, env, deadline=deadline)
    result = score(work, module)
    result["seconds"] = round(time.monotonic() - started)
    (work / "score.json").write_text(json.dumps(result, indent=2))
    if not (work / "before.json").exists():  # the first run's score: what the tests caught before any were added
        (work / "before.json").write_text(json.dumps(result, indent=2))
    return result


def report(result: dict) -> None:
    killed, total = result["killed"], result["total"]
    percent = 100 * killed / total if total else 100.0
    unchecked = f", {result['not_checked']} not yet tried" if result["not_checked"] else ""
    print(f"\n{result['module']}: {killed}/{total} killed ({percent:.0f}%){unchecked} in {result['seconds']} s")
    for name in result["survivors"]:
        print(f"  {result['statuses'][name]}: {name}   (mutmut show {name}, in .mutation/{slug(result['module'])})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "module", nargs="?", help="one of the modules below; all of them, one after another, if omitted"
    )
    parser.add_argument("--rerun-survivors", action="store_true", help="try the survivors again (after new tests)")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results for the module")
    parser.add_argument("--list", action="store_true", help="list the modules and their tests")
    parser.add_argument("--score", action="store_true", help="print the recorded score and survivors, run nothing")
    parser.add_argument("--minutes", type=float, help="stop each module's run after this long (it resumes next time)")
    args = parser.parse_args()
    if args.list:
        for module, tests in MODULES.items():
            print(module, *tests, sep="\n  ")
        return
    if args.module and args.module not in MODULES:
        sys.exit(f"{args.module} is not one of: {', '.join(MODULES)} (add it to MODULES in scripts/mutation.py)")
    results = []
    for module in [args.module] if args.module else list(MODULES):
        if args.score:
            if (WORK / slug(module) / "mutants").exists():
                report({**score(WORK / slug(module), module), "seconds": "-"})
            continue
        if args.fresh:
            shutil.rmtree(WORK / slug(module) / "mutants", ignore_errors=True)
            (WORK / slug(module) / "before.json").unlink(missing_ok=True)
        results.append(run(module, rerun_survivors=args.rerun_survivors, minutes=args.minutes))
        report(results[-1])
    (WORK / "last-run.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
