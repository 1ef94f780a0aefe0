"""The models, on ONNX Runtime for Python, from the very files the Java stacks read.

- the tabular classifier: shared-model's build copy of breast-cancer/model.onnx and its card
  (OnnxPredictor.java);
- all-MiniLM-L6-v2 and its tokenizer, unpacked from the LangChain4j jar the Java stacks use
  (SentenceEmbedder.java): WordPiece with [CLS]/[SEP], truncated to 128 tokens, never padded, each
  text embedded alone, masked mean pooling, L2 normalisation;
- the WordNet corpus and its precomputed vectors (WordNetCorpus.java, CorpusVectors.java): a full
  scan by dot product, ties in corpus order.

One session per model per worker process, created after the fork, with the session options every
stack shares (InferenceOptions).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from . import settings
from .errors import ApiException

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 128
MODEL_SHA256 = "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e"
MINILM_FILE = "all-minilm-l6-v2.onnx"
TOKENIZER_FILE = "all-minilm-l6-v2-tokenizer.json"
CORPUS_FILE = "wordnet-noun-glosses-20k.tsv.gz"
VECTORS_FILE = "wordnet-noun-glosses-20k.all-minilm-l6-v2.vectors"
VECTORS_MAGIC = b"PBVECS01"
VECTORS_HEADER = 80


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _session(model: bytes, options: settings.InferenceOptions):
    import onnxruntime as ort
    return ort.InferenceSession(model, options.session_options(), providers=["CPUExecutionProvider"])


def _require(path: Path, what: str) -> bytes:
    if not path.is_file():
        raise FileNotFoundError(f"{what} not found at {path}: build the project first (./mvnw package)")
    return path.read_bytes()


class Predictor:
    """The tabular model: float32 [n, features] in, class probabilities [n, classes] out."""

    def __init__(self, folder: Path, options: settings.InferenceOptions):
        model = _require(folder / "model.onnx", "the tabular model")
        self.card = json.loads(_require(folder / "model-card.json", "the model card"))
        actual = sha256(model)
        if actual != self.card["sha256"]:
            raise ValueError(f"model file does not match its card: sha256 {actual}, card says {self.card['sha256']}")
        self.options = options
        self.classes = list(self.card["classes"])
        self.feature_count = len(self.card["features"])
        self.session = _session(model, options)
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        if len(inp.shape) != 2 or inp.shape[1] != self.feature_count:
            raise ValueError(f"model input {inp.name} has shape {inp.shape}, card lists {self.feature_count} features")

    @staticmethod
    def from_environment(options: settings.InferenceOptions) -> "Predictor":
        folder = settings.string("PREDICTBENCH_MODEL_DIR")
        return Predictor(Path(folder) if folder else settings.MODEL_CLASSES / "breast-cancer", options)

    def probabilities(self, rows) -> np.ndarray:
        """The inference alone: rows (valid, finite) as float32 [n, classes]."""
        features = np.asarray(rows, dtype=np.float32)
        return self.session.run(None, {self.input_name: features})[0]

    def predictions(self, probs: np.ndarray) -> list:
        """One {label, probabilities} per row; probabilities as 32-bit floats, written as their shortest decimal."""
        if not np.isfinite(probs).all():
            r = int(np.nonzero(~np.isfinite(probs).all(axis=1))[0][0])
            raise ApiException("NON_FINITE_VALUE", f"instances[{r}]: the model's output is not a finite number for "
                               "these values (a value so large that the model's 32-bit arithmetic overflows); send "
                               "values in the range of the data the model was trained on")
        classes = self.classes
        best = probs.argmax(axis=1)
        return [{"label": classes[b], "probabilities": dict(zip(classes, row))} for b, row in zip(best.tolist(), probs)]


class Embedder:
    """all-MiniLM-L6-v2: a text in, a unit vector of 384 float32 out."""

    def __init__(self, folder: Path, options: settings.InferenceOptions):
        from tokenizers import Tokenizer
        model = _require(folder / MINILM_FILE, "all-MiniLM-L6-v2")
        actual = sha256(model)
        if actual != MODEL_SHA256:
            raise ValueError(f"{MINILM_FILE} is not the expected {MODEL_NAME}: sha256 {actual}, expected {MODEL_SHA256}")
        self.tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self.options = options
        self.session = _session(model, options)
        self.takes_token_types = any(i.name == "token_type_ids" for i in self.session.get_inputs())

    @staticmethod
    def from_environment(options: settings.InferenceOptions) -> "Embedder":
        folder = settings.string("PREDICTBENCH_MINILM_DIR")
        return Embedder(Path(folder) if folder else settings.MINILM_DIR, options)

    def token_ids(self, text: str) -> list:
        return self.tokenizer.encode(_encodable(text)).ids

    def embed(self, text: str) -> np.ndarray:
        encoding = self.tokenizer.encode(_encodable(text))
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        inputs = {"input_ids": ids, "attention_mask": mask}
        if self.takes_token_types:
            inputs["token_type_ids"] = np.array([encoding.type_ids], dtype=np.int64)
        hidden = self.session.run(None, inputs)[0][0]
        m = mask[0].astype(bool)
        mean = (hidden[m].astype(np.float64).sum(axis=0) / max(int(m.sum()), 1)).astype(np.float32)
        norm = max(float(np.sqrt(np.dot(mean.astype(np.float64), mean.astype(np.float64)))), 1e-12)
        return (mean.astype(np.float64) / norm).astype(np.float32)

    def embed_all(self, texts) -> list:
        """Each text alone, never padded, so its vector does not depend on what it was sent with."""
        return [self.embed(t) for t in texts]


def _encodable(text: str) -> str:
    """A lone surrogate (from a JSON escape) becomes '?', as Java's String.getBytes(UTF_8) makes it."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


class Corpus:
    """The WordNet glosses and their precomputed vectors, checked against the model and the corpus file."""

    def __init__(self, folder: Path):
        gz = _require(folder / CORPUS_FILE, "the WordNet corpus")
        lines = gzip.decompress(gz).decode("utf-8").split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if lines[0] != "synset_offset\twords\tgloss":
            raise ValueError(f"{CORPUS_FILE}: unexpected header {lines[0]}")
        self.entries = []
        for line in lines[1:]:
            cells = line.split("\t")
            if len(cells) != 3:
                raise ValueError(f"{CORPUS_FILE} line {len(self.entries) + 2}: {len(cells)} cells, expected 3")
            self.entries.append((cells[0], cells[1].split(", "), cells[2]))
        raw = _require(folder / VECTORS_FILE, "the corpus vectors")
        if raw[:8] != VECTORS_MAGIC:
            raise ValueError(f"{VECTORS_FILE} is not a vector file")
        count, dims = np.frombuffer(raw[8:16], "<i4").tolist()
        model_sha, corpus_sha = raw[16:48].hex(), raw[48:80].hex()
        if model_sha != MODEL_SHA256:
            raise ValueError(f"{VECTORS_FILE} was made by model sha256 {model_sha}, not {MODEL_SHA256}: rebuild shared-model")
        if corpus_sha != sha256(gz):
            raise ValueError(f"{VECTORS_FILE} was made from corpus sha256 {corpus_sha}, not {sha256(gz)}: rebuild shared-model")
        if count != len(self.entries) or dims != DIMENSIONS or len(raw) != VECTORS_HEADER + 4 * count * dims:
            raise ValueError(f"{VECTORS_FILE} holds {count} x {dims} floats, expected {len(self.entries)} x {DIMENSIONS}")
        self.vectors = np.frombuffer(raw, "<f4", offset=VECTORS_HEADER).reshape(count, dims)

    @staticmethod
    def from_environment() -> "Corpus":
        return Corpus(settings.MODEL_CLASSES / "wordnet")

    def nearest(self, query: np.ndarray, k: int) -> list:
        """The k best (index, score) by dot product, best first, equal scores in corpus order."""
        scores = self.vectors @ query
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        threshold = scores[top].min()
        candidates = np.nonzero(scores >= threshold)[0]
        order = candidates[np.lexsort((candidates, -scores[candidates]))][:k]
        return [(int(i), scores[i]) for i in order]

    def results(self, hits: list) -> list:
        out = []
        for i, score in hits:
            synset, words, gloss = self.entries[i]
            out.append({"synset": synset, "words": words, "gloss": gloss, "score": np.float32(score)})
        return out
