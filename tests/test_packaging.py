"""The wheel carries everything the library needs at run time: the site's configuration
(datasette_config/, found beside kb/), the NER model with its known-word list, the reference
data. Built with pip, unpacked, and imported from the unpacked files (not from the checkout)."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out)],
                   check=True, capture_output=True, cwd=out)
    [built] = out.glob("tilskudd-*.whl")
    return built


def test_wheel_holds_the_run_time_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    site = {n for n in names if n.startswith("datasette_config/")}
    assert site == {f"datasette_config/{p}" for p in (
        "metadata.yml", "settings.json", "plugins/tilskudd_site.py", "static/site.css",
        "templates/_facet_results.html", "templates/index.html",
        "templates/row-tilskudd-grants.html", "templates/row-tilskudd-organisations.html")}
    for path in ("nlp/model/config.cfg", "nlp/model/known_words/words.bin", "nlp/model/tok2vec/model",
                 "nlp/data/ner.cfg", "nlp/data/themes.yaml", "kb/data/kommuner.csv"):
        assert path in names, path
    assert not any(n.startswith(("tests/", "samples/", "nlp/training/")) for n in names)


def test_unpacked_wheel_finds_its_site_config_and_model(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import kb.publish, nlp.pipeline\n"
        "from nlp import Tagger\n"
        "print(kb.publish.__file__)\n"
        "print((kb.publish.CONFIG_DIR / 'metadata.yml').is_file(), nlp.pipeline.MODEL_DIR)\n"
        "print(sorted(kb.publish.build_metadata()['databases']))\n"
        "print([(e.text, e.label) for e in Tagger.load().tag('Skeiv Verden holder til i Oslo kommune.').entities])\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, capture_output=True,
                         text=True, cwd=tmp_path).stdout.splitlines()
    assert out[0] == str(tmp_path / "kb" / "publish.py")
    assert out[1] == f"True {tmp_path / 'nlp' / 'model'}"
    assert out[2] == "['tilskudd']"
    assert out[3] == "[('Skeiv Verden', 'ORG'), ('Oslo kommune', 'PLACE')]"  # the packaged model ran
