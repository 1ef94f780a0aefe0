"""/embed and /search the LangChain way: LangChain's `Embeddings` over predictbench's embedder, and
an `InMemoryVectorStore` of the WordNet glosses searched by `similarity_search_with_score`.

The store holds the glosses' PRECOMPUTED vectors (shared-model's corpus vectors, the ones every
stack searches): they are written in the store's own record format, the one `add_documents` writes,
because `add_documents` would embed the 20,000 glosses again. Each record's vector is a row of
predictbench's corpus matrix (a view, no copy); the store stacks them into one matrix on every
query, which is its per-query cost (README.md).

Two things the store does differently from predictbench's search are undone here, so the results
are the same entries in the same order with the same scores (within float rounding):
- its score is the cosine in float64 (the query arrives as Python floats): rounded to float32, as
  predictbench's scores are;
- it breaks no ties (a reversed argsort), and the corpus has glosses that appear up to `most_copies`
  times with identical vectors, so identical scores are real: the store is asked for
  k + most_copies - 1 matches, enough to hold every entry tied at the k-th place, and the hits are
  sorted by score, then corpus index (each Document's metadata), and cut to k.

Validation and the response bodies are predictbench's, so errors and bodies equal the other stacks'.
LangChain's calls run inside the in-flight limit, as predictbench's own do.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from langchain_core.embeddings import Embeddings
from langchain_core.vectorstores import InMemoryVectorStore

from predictbench import strictjson
from predictbench.inference import DIMENSIONS, MODEL_NAME, Corpus, Embedder
from predictbench.service import Service

#: The metadata key of a Document's corpus index.
INDEX = "index"


class SentenceEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 as LangChain `Embeddings`: predictbench's embedder (this worker's ONNX Runtime
    session), each text embedded alone on the calling thread. Vectors as the interface has them, lists
    of floats (the float32 values, exactly)."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [vector.tolist() for vector in self.embedder.embed_all(texts)]

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed(text).tolist()


def gloss_store(corpus: Corpus, embeddings: Embeddings) -> InMemoryVectorStore:
    """Every gloss as a Document (its synset as the id, its corpus index in the metadata) with its precomputed vector."""
    store = InMemoryVectorStore(embeddings)
    for index, (synset, _words, gloss) in enumerate(corpus.entries):
        store.store[synset] = {"id": synset, "vector": corpus.vectors[index], "text": gloss, "metadata": {INDEX: index}}
    if len(store.store) != len(corpus.entries):
        raise ValueError(f"the corpus has {len(corpus.entries)} entries but {len(store.store)} distinct synsets")
    return store


def most_copies(vectors: np.ndarray) -> int:
    """The largest number of corpus entries that share one vector (identical glosses)."""
    return max(Counter(row.tobytes() for row in vectors).values())


class GlossRetrieval:
    """/embed and /search through LangChain, with predictbench's validation, limit, meters and bodies."""

    def __init__(self, service: Service):
        self.service = service
        self.embeddings = SentenceEmbeddings(service.embedder)
        self.store = gloss_store(service.corpus, self.embeddings)
        self.most_copies = most_copies(service.corpus.vectors)

    def embed(self, body: bytes) -> dict:
        service = self.service
        texts = strictjson.embed_texts(strictjson.bind(body, strictjson.EMBED), service.genai_limits)
        vectors = service.inflight.call(self.embeddings.embed_documents, texts)
        service.meters.embeddings.inc(len(texts))
        return {"model": MODEL_NAME, "dimensions": DIMENSIONS,
                "embeddings": [np.asarray(vector, dtype=np.float32) for vector in vectors]}

    def search(self, body: bytes) -> dict:
        service = self.service
        query, k = strictjson.search_query(strictjson.bind(body, strictjson.SEARCH), service.genai_limits)
        hits = service.inflight.call(self.nearest, query, k)
        service.meters.searches.inc()
        return {"model": MODEL_NAME, "query": query, "results": service.corpus.results(hits)}

    def nearest(self, query: str, k: int) -> list[tuple[int, np.float32]]:
        """The k best (corpus index, score) as the store finds them, best first, equal scores in corpus order."""
        wanted = min(k + self.most_copies - 1, len(self.store.store))
        found = self.store.similarity_search_with_score(query, k=wanted)
        hits = [(document.metadata[INDEX], np.float32(score)) for document, score in found]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:k]
