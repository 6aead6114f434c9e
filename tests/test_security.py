"""Security house rules, checked on the source: no user text through unsafe HTML, YAML only through
safe loaders, no pickles, production settings in .streamlit/config.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [p for d in ("salesopt", "ui", "app_pages") for p in (ROOT / d).rglob("*.py")] + [ROOT / "streamlit_app.py"]


def _code() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in SOURCES}


# st.html only with these module constants: fixed CSS, and one fixed script (no user text in any)
CONSTANT_HTML = {
    "WORKSHOP_CSS",
    "READABLE_CSS",
    'COMMIT_WHILE_TYPING_JS, unsafe_allow_javascript=True, width="content"',
}


def test_no_unsafe_allow_html_and_st_html_only_with_constant_css():
    for path, text in _code().items():
        assert "unsafe_allow_html" not in text, path
        for call in re.findall(r"st\.html\(([^)]*)\)", text):
            assert call.strip() in CONSTANT_HTML, f"{path}: st.html({call})"
    from ui import page

    for name in ("WORKSHOP_CSS", "READABLE_CSS", "COMMIT_WHILE_TYPING_JS"):
        assert isinstance(getattr(page, name), str)  # module constants, never built from input


def test_yaml_only_through_safe_loaders_and_no_pickle():
    for path, text in _code().items():
        for call in re.findall(r"yaml\.(?:load|unsafe_load|full_load|load_all)\(([^)]*)\)", text):
            assert call.endswith("Loader=SAFE_LOADER"), f"{path}: yaml.load({call})"
        assert "import pickle" not in text and "pickle.load" not in text, path
        assert not re.search(r"(?<![\w.])(eval|exec)\(", text), path


def test_production_settings():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 200  # a large CRM export fits; nothing larger reaches the app
    assert config["server"]["enableCORS"] is True
    assert config["server"]["enableAgentApi"] is False


def _nginx_blocks(text: str) -> dict[str, str]:
    """The proxy's location blocks by their match, and the server block's own lines under ''."""
    text = re.sub(r"#[^\n]*", "", text)
    server = text[text.index("server {") :]
    blocks = dict(re.findall(r"location\s+([^{]+?)\s*\{([^}]*)\}", server))
    blocks[""] = re.sub(r"location\s+[^{]+\{[^}]*\}", "", server)
    return blocks


def test_the_proxy_closes_metrics_and_forbids_framing():
    blocks = _nginx_blocks((ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8"))
    assert "return 404;" in blocks["^~ /_stcore/metrics"]
    assert "return 404;" in blocks["^~ /_stcore/agent"]
    assert "add_header Content-Security-Policy \"frame-ancestors 'none'\" always;" in blocks[""]
    assert 'add_header X-Frame-Options "DENY" always;' in blocks[""]
    assert 'add_header Referrer-Policy "no-referrer" always;' in blocks[""]
    # a location with an add_header of its own would drop the server's headers there
    assert all("add_header" not in body for match, body in blocks.items() if match)
