import subprocess
import sys

import numpy as np

from matching.engine.embeddings import E5_NAME, EMBEDDING_DIM, MINILM, MINILM_NAME, Embedder, default_model_path


def test_packaged_minilm_model_is_found_inside_site_packages():
    path = default_model_path()
    assert "site-packages" in str(path)
    assert (path / "model.safetensors").exists()


def test_default_embedder_is_multilingual_e5_returning_384_dim_unit_vectors(embedder):
    vectors = embedder.encode(["undersköterska", "software developer"])
    assert embedder.name == E5_NAME
    assert vectors.shape == (2, EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert float(vectors[0] @ vectors[1]) < 0.99


def test_e5_puts_a_swedish_compound_closer_to_its_variant_and_its_english_title_than_to_another_job(embedder):
    lager, lagermedarbetare, warehouse, nurse = embedder.encode(
        ["lagerarbetare", "lagermedarbetare", "warehouse worker", "sjuksköterska"])
    assert lager @ lagermedarbetare > lager @ nurse
    assert lager @ warehouse > warehouse @ nurse


def test_the_minilm_setting_and_a_model_directory_use_sentence_transformers():
    minilm = Embedder(MINILM)
    assert minilm.model_path == default_model_path() and minilm.name == MINILM_NAME
    own = Embedder(default_model_path())
    assert own.name == str(default_model_path())
    assert own.encode(["elektriker"]).shape == (1, EMBEDDING_DIM)


def test_memoised_vectors_survive_a_round_trip_through_a_cache_file(embedder, tmp_path):
    vectors = embedder.encode(["svetsare", "målare"])
    embedder.save_cache(tmp_path / "vectors.npz")
    fresh = Embedder()
    assert fresh.load_cache(tmp_path / "vectors.npz") >= 2
    assert np.array_equal(fresh.encode(["svetsare", "målare"]), vectors)
    assert not fresh.loaded


def test_importing_the_engine_and_encoding_with_e5_imports_neither_torch_nor_sentence_transformers():
    code = (
        "import sys; import matching.engine.artefacts, matching.engine.cli; "
        "from matching.engine.embeddings import Embedder; Embedder().encode(['kock']); "
        "print('sentence_transformers' in sys.modules, 'torch' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False False"
