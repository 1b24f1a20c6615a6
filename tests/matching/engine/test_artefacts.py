import shutil

from matching.engine.artefacts import artefact_key, artefact_path, build_artefacts, load_matcher


def test_built_artefact_is_reused_and_loads_without_building_or_loading_the_embedding_model(matcher, mini_data_dir, cache_dir, embedder):
    path = artefact_path(mini_data_dir, cache_dir)
    assert path.exists() and path.stat().st_size < 50 * 2**20
    modified = path.stat().st_mtime_ns
    assert build_artefacts(mini_data_dir, cache_dir, embedder=embedder) == path
    assert path.stat().st_mtime_ns == modified
    loaded = load_matcher(mini_data_dir, cache_dir, build=False)
    assert not loaded.embedder.loaded
    assert loaded.code_occupation(["systemutvecklare"])[0][0].ssyk4 == "2512"


def test_artefact_key_changes_when_an_input_file_changes(mini_data_dir, tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(mini_data_dir, copy)
    before = artefact_key(copy)
    with (copy / "taxonomy/ssyk4_skills.csv").open("a", encoding="utf-8") as handle:
        handle.write("x,5321,Undersköterskor,y,Ny kompetens\n")
    assert artefact_key(copy) != before
