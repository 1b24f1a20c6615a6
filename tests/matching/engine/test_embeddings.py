import os
import subprocess
import sys

import numpy as np

from matching.engine.embeddings import EMBEDDING_DIM, default_model_path


def test_packaged_model_is_found_inside_site_packages():
    path = default_model_path()
    assert "site-packages" in str(path)
    assert (path / "model.safetensors").exists()


def test_embedder_loads_packaged_model_offline_and_returns_384_dim_unit_vectors(embedder):
    vectors = embedder.encode(["undersköterska", "software developer"])
    assert vectors.shape == (2, EMBEDDING_DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert float(vectors[0] @ vectors[1]) < 0.99


def test_importing_the_engine_does_not_import_sentence_transformers():
    code = (
        "import sys; import matching.engine.artefacts, matching.engine.cli; "
        "print('sentence_transformers' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
